"""A small N-Quads reader for the RDFC-1.0 test suite: text → the engine's quads.

The engine never parses N-Quads (it makes quads from JSON-LD), so this lives
with the tests. Terms come back in the engine's canonical form: IRIs and
literals unescaped, then written again with :func:`iri_term` /
:func:`literal_term`, blank nodes as their ``_:label``.
"""

from __future__ import annotations

import re

from badges.credentials.rdfc import XSD_STRING, Quad, iri_term, literal_term

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRI = rf'<((?:[^\x00-\x20<>"{{}}|^`\\]|{_UCHAR})*)>'
_BNODE = r"(_:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)"
_LITERAL = (rf'"((?:[^"\\\n\r]|\\[tbnrf"\'\\]|{_UCHAR})*)"'
            rf"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^{_IRI})?")
_TERM = re.compile(rf"\s*(?:{_IRI}|{_BNODE}|{_LITERAL})")
_END = re.compile(r"\s*\.\s*(?:#.*)?$")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(rf"\\[tbnrf\"'\\]|{_UCHAR}")


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        return _ECHAR[s[1]] if len(s) == 2 else chr(int(s[2:], 16))

    return _ESCAPE.sub(one, text)


def _term(match: re.Match[str]) -> str:
    iri, bnode, lexical, language, datatype = match.groups()
    if iri is not None:
        return iri_term(_unescape(iri))
    if bnode is not None:
        return bnode
    dt = _unescape(datatype) if datatype is not None else XSD_STRING
    return literal_term(_unescape(lexical), dt, language)


def parse_nquads(text: str) -> list[Quad]:
    """The quads of an N-Quads document (duplicates kept: the algorithm removes them)."""
    quads: list[Quad] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        terms, pos = [], 0
        while len(terms) < 4 and (m := _TERM.match(line, pos)):
            terms.append(_term(m))
            pos = m.end()
        if len(terms) < 3 or not _END.match(line, pos):
            raise ValueError(f"line {number}: not an N-Quads statement: {line!r}")
        quads.append((terms[0], terms[1], terms[2], terms[3] if len(terms) == 4 else ""))
    return quads

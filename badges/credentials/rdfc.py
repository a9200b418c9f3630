"""RDFC-1.0 (RDF Dataset Canonicalization) with RDFC-1.0 escaping and bounded work.

* **Escaping.** RDFC-1.0 Appendix A: BS, HT, LF, FF, CR, ``"`` and ``\\`` are
  written as ECHAR; the other C0 controls and DEL as UCHAR with upper-case hex.
  pyld 3.3 writes neither ``\\b``/``\\f`` nor the UCHARs; because the
  serialisation also feeds the blank-node hashes, the fix is this
  implementation of the whole algorithm, not a post-processing step.
* **Bounded work.** RDFC-1.0 §4.4.3 requires defending against poison
  datasets: quads and blank nodes are capped, and the Hash N-Degree Quads
  recursion and its permutations share one work budget; exceeding any raises
  ``CanonicalizationError("too_complex")``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import permutations

Quad = tuple[str, str, str, str]  # (subject, <predicate>, object, graph or "") as N-Quads terms



class CanonicalizationError(ValueError):
    """A document cannot be canonicalised safely.

    ``code`` is ``"undefined_term"`` (content the signature would not cover),
    ``"too_complex"`` (work bound exceeded), ``"unknown_context"`` (a context
    URL that is not bundled; ``term`` is the URL) or ``"invalid_jsonld"``.
    """

    def __init__(self, code: str, message: str, *, term: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.term = term


@dataclass(frozen=True)
class Limits:
    """Work bounds. Real credentials stay far below every one of them."""

    max_depth: int = 48
    max_json_nodes: int = 50_000
    max_quads: int = 20_000
    max_blank_nodes: int = 2_000
    max_work: int = 20_000  # Hash N-Degree Quads calls + permutations, in total


DEFAULT_LIMITS = Limits()
HASH_ALGORITHMS = ("sha256", "sha384")

# --- N-Quads terms with RDFC-1.0 escaping ------------------------------------------------

_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
            0x22: '\\"', 0x5C: "\\\\"}
_ESCAPE_TABLE = {c: _ESCAPES.get(c, f"\\u{c:04X}") for c in [*range(0x20), 0x7F, 0x22, 0x5C]}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


#: RDF 1.2 N-Quads canonical form (and rdf-canonize, the reference for jsonld.js): inside
#: an IRI, the characters IRIREF excludes — C0 controls, space, ``< > " { } | ^ ` \`` —
#: are written as UCHAR with upper-case hex. DEL and non-ASCII stay as they are.
_IRI_ESCAPE_TABLE = {c: f"\\u{c:04X}" for c in [*range(0x21), *b'<>"{}|^`\\']}
_IRI_NEEDS_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_UCHAR = re.compile(r"\\u([0-9A-F]{4})")


def escape_iri(iri: str) -> str:
    """Escape an IRI for N-Quads as RDFC-1.0 / rdf-canonize do (``{`` → ``\\u007B``)."""
    return iri.translate(_IRI_ESCAPE_TABLE) if _IRI_NEEDS_ESCAPE.search(iri) else iri


def iri_term(iri: str) -> str:
    """An IRI as a canonical N-Quads term: ``<…>`` with the excluded characters escaped."""
    if _IRI_NEEDS_ESCAPE.search(iri):
        return "<" + iri.translate(_IRI_ESCAPE_TABLE) + ">"
    return "<" + iri + ">"


def _unescape_iri_term(term: str) -> str:
    """Inverse of :func:`iri_term`'s escaping (the brackets stay)."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1), 16)), term) if "\\" in term else term


def escape_literal(value: str) -> str:
    """Escape a literal's lexical form as RDFC-1.0 Appendix A prescribes."""
    return value.translate(_ESCAPE_TABLE) if _NEEDS_ESCAPE.search(value) else value


def literal_term(value: str, datatype: str = XSD_STRING, language: str | None = None) -> str:
    """An N-Quads literal in canonical form."""
    body = '"' + escape_literal(value) + '"'
    if language:
        return body + "@" + language
    if datatype in (XSD_STRING, RDF_LANGSTRING):
        return body
    return body + "^^" + iri_term(datatype)


def serialize_quad(q: Quad) -> str:
    """One canonical N-Quads line, newline included."""
    return f"{q[0]} {q[1]} {q[2]} {q[3]} .\n" if q[3] else f"{q[0]} {q[1]} {q[2]} .\n"


# --- RDFC-1.0 -------------------------------------------------------------------------------


class _Issuer:
    __slots__ = ("counter", "issued", "order", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.counter = 0
        self.issued: dict[str, str] = {}
        self.order: list[str] = []

    def issue(self, bnode: str) -> str:
        got = self.issued.get(bnode)
        if got is None:
            got = self.issued[bnode] = f"{self.prefix}{self.counter}"
            self.counter += 1
            self.order.append(bnode)
        return got

    def copy(self) -> _Issuer:
        new = _Issuer(self.prefix)
        new.counter, new.issued, new.order = self.counter, dict(self.issued), list(self.order)
        return new


class _Rdfc:
    """RDFC-1.0 (W3C Rec, 21 May 2024) over quads whose terms are N-Quads strings."""

    def __init__(self, quads: Iterable[Quad], limits: Limits,
                 hash_algorithm: str = "sha256") -> None:
        if hash_algorithm not in HASH_ALGORITHMS:
            raise ValueError(f"RDFC-1.0 hash algorithm must be one of {HASH_ALGORITHMS}")
        self.hash = getattr(hashlib, hash_algorithm)
        self.quads = list(quads)
        self.limits = limits
        self.work = 0
        self.by_bnode: dict[str, list[Quad]] = {}
        by_bnode = self.by_bnode
        for q in self.quads:
            s, _p, o, g = q
            if s[0] == "_":
                by_bnode.setdefault(s, []).append(q)
            if o[0] == "_" and o != s:
                by_bnode.setdefault(o, []).append(q)
            if g and g[0] == "_" and g != s and g != o:
                by_bnode.setdefault(g, []).append(q)
        if len(self.by_bnode) > limits.max_blank_nodes:
            raise CanonicalizationError("too_complex", "too many blank nodes")
        self.first_degree: dict[str, str] = {}
        self.canonical = _Issuer("_:c14n")

    def hash_first_degree(self, bnode: str) -> str:
        got = self.first_degree.get(bnode)
        if got is None:
            lines = []
            for s, p, o, g in self.by_bnode[bnode]:
                s = (("_:a" if s == bnode else "_:z") if s[:2] == "_:" else s)
                o = (("_:a" if o == bnode else "_:z") if o[:2] == "_:" else o)
                g = (("_:a" if g == bnode else "_:z") if g[:2] == "_:" else g)
                lines.append(serialize_quad((s, p, o, g)))
            lines.sort()
            got = self.first_degree[bnode] = self.hash("".join(lines).encode()).hexdigest()
        return got

    def _spend(self, units: int) -> None:
        self.work += units
        if self.work > self.limits.max_work:
            raise CanonicalizationError(
                "too_complex", "canonicalisation work bound exceeded (poison dataset?)"
            )

    def hash_related(self, related: str, q: Quad, issuer: _Issuer, position: str) -> str:
        ident = (self.canonical.issued.get(related) or issuer.issued.get(related)
                 or self.hash_first_degree(related))
        # The predicate's IRI itself, unescaped (RDFC-1.0 §4.7.3; rdf-canonize does the same).
        data = position + (_unescape_iri_term(q[1]) if position != "g" else "") + ident
        return str(self.hash(data.encode()).hexdigest())

    def hash_n_degree(self, bnode: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self._spend(1)
        related_map: dict[str, list[str]] = {}
        for q in self.by_bnode[bnode]:
            for term, position in ((q[0], "s"), (q[2], "o"), (q[3], "g")):
                if term[:2] == "_:" and term != bnode:
                    h = self.hash_related(term, q, issuer, position)
                    related_map.setdefault(h, []).append(term)
        md = self.hash()
        for related_hash in sorted(related_map):
            nodes = related_map[related_hash]
            md.update(related_hash.encode())
            if math.factorial(len(nodes)) > self.limits.max_work - self.work:
                self._spend(math.factorial(len(nodes)))
            chosen_path, chosen_issuer = "", None
            for perm in permutations(nodes):
                self._spend(1)
                issuer_copy, path, recursion = issuer.copy(), "", []
                skip = False
                for related in perm:
                    if related in self.canonical.issued:
                        path += self.canonical.issued[related]
                    else:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        path += issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, issuer_copy = self.hash_n_degree(related, issuer_copy)
                    path += issuer_copy.issue(related) + "<" + result_hash + ">"
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path, chosen_issuer = path, issuer_copy
            md.update(chosen_path.encode())
            issuer = chosen_issuer if chosen_issuer is not None else issuer
        return md.hexdigest(), issuer

    def run(self) -> str:
        by_hash: dict[str, list[str]] = {}
        for bnode in self.by_bnode:
            by_hash.setdefault(self.hash_first_degree(bnode), []).append(bnode)
        shared = []
        for h in sorted(by_hash):
            if len(by_hash[h]) == 1:
                self.canonical.issue(by_hash[h][0])
            else:
                shared.append(h)
        for h in shared:
            results = []
            for bnode in by_hash[h]:
                if bnode in self.canonical.issued:
                    continue
                temp = _Issuer("_:b")
                temp.issue(bnode)
                results.append(self.hash_n_degree(bnode, temp))
            for _hash, result_issuer in sorted(results, key=lambda r: r[0]):
                for existing in result_issuer.order:
                    self.canonical.issue(existing)
        label = self.canonical.issued
        lines = []
        for s, p, o, g in self.quads:  # unique quads, injective labels: unique lines
            if s[0] == "_":
                s = label[s]
            if o[0] == "_":
                o = label[o]
            if g:
                lines.append(f"{s} {p} {o} {label.get(g, g)} .\n")
            else:
                lines.append(f"{s} {p} {o} .\n")
        lines.sort()
        return "".join(lines)


def rdfc10(quads: Iterable[Quad], limits: Limits = DEFAULT_LIMITS,
           hash_algorithm: str = "sha256") -> str:
    """Canonical N-Quads (RDFC-1.0) of a set of quads, with bounded work.

    SHA-256 is what Data Integrity uses; RDFC-1.0 also allows SHA-384.
    """
    unique = set(quads)
    if len(unique) > limits.max_quads:
        raise CanonicalizationError("too_complex", "too many statements")
    return _Rdfc(unique, limits, hash_algorithm).run()

"""RDFC-1.0 canonicalisation for Data Integrity proofs, with pyld 3.3's gaps closed.

What a Data Integrity signature covers is the RDF dataset a JSON-LD document
means, serialised by RDFC-1.0. pyld gets most of that right; this module closes
the gaps that matter for a signature that must hold for decades:

* **Escaping.** RDFC-1.0 Appendix A: BS, HT, LF, FF, CR, ``"`` and ``\\`` are
  written as ECHAR (``\\b \\t \\n \\f \\r \\" \\\\``); the other C0 controls and
  DEL as UCHAR with upper-case hex (``\\u001F``). pyld 3.3 writes neither
  ``\\b``/``\\f`` nor the UCHARs, so a literal with a control character would
  hash differently than in a conformant verifier. Because the serialisation
  also feeds the blank-node hashes, the fix cannot be a post-processing step:
  the canonicalisation algorithm below (:func:`rdfc10`) serialises with the
  right escaping throughout.
* **Bounded work.** RDFC-1.0 §4.4.3 requires defending against poison
  datasets. Document depth, node count, quad count and blank nodes are capped,
  and the Hash N-Degree Quads recursion and its permutations share one work
  budget; exceeding any raises ``CanonicalizationError("too_complex")``.
* **Nothing unsigned.** JSON-LD expansion silently drops terms the contexts
  do not define, and pyld resolves relative IRIs against a made-up base
  (``http://example.org/base/``). Either way the JSON someone reads would not
  be what was signed, so both raise ``CanonicalizationError("undefined_term")``.
  ``strict=True`` (used when *we* sign) also refuses terms that only resolve
  through VC 2.0's ``issuer-dependent`` ``@vocab``.

JSON-LD → RDF takes a fast path (:class:`_FastRdf`) for the shapes credentials
use — pyld's own context processing and IRI expansion, cached, driving a
restricted expansion that emits quads directly — and falls back to full pyld
expansion for anything else. Both produce the same dataset; differential tests
(hypothesis) keep them byte-identical with plain pyld.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import permutations
from typing import Any

from pyld.context_resolver import ContextResolver
from pyld.jsonld import (
    JsonLdError,
    JsonLdProcessor,
    _canonicalize_double,
    _resolved_context_cache,
)

from .loader import document_loader

Quad = tuple[str, str, str, str]  # (subject, <predicate>, object, graph or "") as N-Quads terms

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")


class CanonicalizationError(ValueError):
    """A document cannot be canonicalised safely.

    ``code`` is ``"undefined_term"`` (content the signature would not cover),
    ``"too_complex"`` (work bound exceeded) or ``"invalid_jsonld"``.
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

# --- N-Quads terms with RDFC-1.0 escaping ------------------------------------------------

_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
            0x22: '\\"', 0x5C: "\\\\"}
_ESCAPE_TABLE = {c: _ESCAPES.get(c, f"\\u{c:04X}") for c in [*range(0x20), 0x7F, 0x22, 0x5C]}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


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
    return body + "^^<" + datatype + ">"


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

    def __init__(self, quads: Iterable[Quad], limits: Limits) -> None:
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
            got = self.first_degree[bnode] = hashlib.sha256("".join(lines).encode()).hexdigest()
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
        data = position + (q[1] if position != "g" else "") + ident
        return hashlib.sha256(data.encode()).hexdigest()

    def hash_n_degree(self, bnode: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self._spend(1)
        related_map: dict[str, list[str]] = {}
        for q in self.by_bnode[bnode]:
            for term, position in ((q[0], "s"), (q[2], "o"), (q[3], "g")):
                if term[:2] == "_:" and term != bnode:
                    h = self.hash_related(term, q, issuer, position)
                    related_map.setdefault(h, []).append(term)
        md = hashlib.sha256()
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


def rdfc10(quads: Iterable[Quad], limits: Limits = DEFAULT_LIMITS) -> str:
    """Canonical N-Quads (RDFC-1.0, SHA-256) of a set of quads, with bounded work."""
    unique = set(quads)
    if len(unique) > limits.max_quads:
        raise CanonicalizationError("too_complex", "too many statements")
    return _Rdfc(unique, limits).run()


# --- JSON-LD -> quads -----------------------------------------------------------------------


def _check_shape(doc: Any, limits: Limits) -> None:
    """Refuse absurdly deep or large JSON before any JSON-LD processing."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > limits.max_depth or count > limits.max_json_nodes:
            raise CanonicalizationError("too_complex", "document too deep or too large")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _is_absolute(iri: str) -> bool:
    return bool(_ABSOLUTE_IRI.match(iri))


def _walk_expanded(value: Any) -> None:
    """Find IRIs that pyld kept relative (and so would silently drop)."""
    if isinstance(value, list):
        for item in value:
            _walk_expanded(item)
        return
    if not isinstance(value, dict):
        return
    node_id = value.get("@id")
    if isinstance(node_id, str) and not _is_absolute(node_id):
        raise CanonicalizationError(
            "undefined_term", f"relative IRI {node_id!r} would not be signed", term=node_id
        )
    types = value.get("@type", [])
    for t in types if isinstance(types, list) else [types]:
        if isinstance(t, str) and t != "@json" and (not _is_absolute(t) or t[:2] == "_:"):
            raise CanonicalizationError(
                "undefined_term", f"type {t!r} is not defined by the contexts", term=t
            )
    for key, item in value.items():
        if key[:2] == "_:":
            raise CanonicalizationError(
                "undefined_term", f"blank-node property {key!r} would not be signed", term=key
            )
        if key not in ("@id", "@type", "@value", "@language", "@direction", "@index"):
            _walk_expanded(item)


def _pyld_options() -> dict[str, Any]:
    return {
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(_resolved_context_cache, document_loader),
        # None, not "": pyld 3.3 resolves relative IRIs against
        # http://example.org/base/ when the base is "", inventing IRIs.
        "base": None,
        "processingMode": "json-ld-1.1",
        "produceGeneralizedRdf": False,
    }


def _term_of(component: dict[str, Any]) -> str:
    if component["type"] == "IRI":
        return "<" + component["value"] + ">"
    if component["type"] == "blank node":
        return component["value"]
    return literal_term(component["value"], component["datatype"], component.get("language"))


def pyld_quads(doc: dict[str, Any]) -> set[Quad]:
    """JSON-LD → quads through pyld, refusing anything expansion would drop."""
    dropped: list[str | None] = []
    processor = JsonLdProcessor(on_property_dropped=dropped.append)
    options = _pyld_options()
    try:
        expanded = processor.expand(doc, options)
        if dropped:
            term = dropped[0] or "(a term mapped to null)"
            raise CanonicalizationError(
                "undefined_term", f"term {term!r} is not defined by the contexts", term=term
            )
        _walk_expanded(expanded)
        dataset = processor.to_rdf(expanded, options)
    except JsonLdError as exc:
        raise CanonicalizationError("invalid_jsonld", f"invalid JSON-LD: {exc}") from exc
    quads: set[Quad] = set()
    for graph, triples in dataset.items():
        g = "" if graph == "@default" else (graph if graph[:2] == "_:" else f"<{graph}>")
        for t in triples:
            quads.add((_term_of(t["subject"]), "<" + t["predicate"]["value"] + ">",
                       _term_of(t["object"]), g))
    return quads


# --- fast path ------------------------------------------------------------------------------


class _Unsupported(Exception):
    """The fast path does not handle this shape: use full pyld expansion."""


XSD = "http://www.w3.org/2001/XMLSchema#"
_KEEP_SCALAR_TYPES = (None, "@id", "@vocab", "@none")


class _FastRdf:
    """JSON-LD → quads for the subset of JSON-LD 1.1 our credentials use.

    It follows pyld's expansion step by step (``_expand`` / ``_expand_object``
    / ``_prepare_nested_context`` / ``_object_to_rdf``) but emits quads
    directly, and it calls pyld itself for context processing and IRI
    expansion, memoising both: pyld spends most of its time re-resolving the
    same scoped contexts (JCS-hashing each one) for every node. Anything
    outside the subset — value objects, lists, graphs, language maps, @nest,
    @reverse, embedded contexts, relative IRIs, dropped terms — raises
    :class:`_Unsupported`, and pyld handles the document instead.
    """

    def __init__(self) -> None:
        self.proc = JsonLdProcessor()
        self.options = _pyld_options()
        self.options.update(isFrame=False, keepFreeFloatingNodes=False)
        self.contexts: dict[Any, tuple[dict[str, Any], Any, Any]] = {}
        self.terms: dict[tuple[int, str], Any] = {}
        self.initial = self.proc._get_initial_context(self.options)

    # memoised pyld primitives ------------------------------------------------------------
    def _process(self, active: dict[str, Any], local: Any, **flags: bool) -> dict[str, Any]:
        key = (id(active), id(local) if not isinstance(local, tuple) else local,
               tuple(sorted(flags.items())))
        hit = self.contexts.get(key)
        if hit is None:
            try:
                ctx = self.proc._process_context(
                    active, list(local) if isinstance(local, tuple) else local,
                    self.options, **flags)
            except JsonLdError as exc:
                raise _Unsupported from exc
            hit = self.contexts[key] = (ctx, active, local)  # keep both alive: ids stay valid
        return hit[0]

    def _term(self, ctx: dict[str, Any], key: str) -> Any:
        """Expanded IRI of a property or type name (vocab-relative), memoised."""
        ck = (id(ctx), key)
        got = self.terms.get(ck, self)
        if got is self:
            got = self.proc._expand_iri(ctx, key, vocab=True, base=None)
            if len(self.terms) < 50_000:  # keys come from documents: stay bounded
                self.terms[ck] = got
        return got

    def _iri(self, ctx: dict[str, Any], value: str, vocab: bool = False) -> str:
        iri = self.proc._expand_iri(ctx, value, vocab=vocab, base=None)
        if not isinstance(iri, str) or not _is_absolute(iri):
            raise _Unsupported
        if iri[:2] == "_:":
            return self._bnode_label(iri)
        return "<" + iri + ">"

    def _bnode_label(self, label: str) -> str:
        got = self.labels.get(label)
        if got is None:
            got = self.labels[label] = f"_:d{len(self.labels)}"
        return got

    # expansion ---------------------------------------------------------------------------
    def quads(self, doc: dict[str, Any], limits: Limits) -> set[Quad]:
        context = doc.get("@context")
        urls = (context,) if isinstance(context, str) else context
        if not isinstance(urls, list | tuple) or not all(isinstance(u, str) for u in urls):
            raise _Unsupported
        self.out: set[Quad] = set()
        self.labels: dict[str, str] = {}
        self.count = 0
        self.fresh = 0
        self.limits = limits
        active = self._process(self.initial, tuple(urls))
        self._node(active, None, doc, 0, top=True)
        if len(self.out) > limits.max_quads:
            raise CanonicalizationError("too_complex", "too many statements")
        return self.out

    def _node(self, active: dict[str, Any], prop: str | None, element: dict[str, Any],
              depth: int, top: bool = False) -> str:
        self.count += len(element)
        if depth > self.limits.max_depth or self.count > self.limits.max_json_nodes:
            raise _Unsupported  # pyld path applies the limits and reports them
        mapping = active["mappings"].get(prop) if prop is not None else None
        scoped = mapping.get("@context") if mapping else None
        type_scoped = active if active.get("previousContext") else None
        revert = True
        if type_scoped is not None and len(element) <= 2 and "@context" not in element:
            for key in element:
                expanded = self._term(type_scoped, key)
                if expanded == "@value":
                    raise _Unsupported
                if expanded == "@id" and len(element) == 1:
                    revert = False
        if revert:
            active = active.get("previousContext") or active
        if scoped is not None:
            active = self._process(active, scoped, override_protected=True)
        if "@context" in element and not top:
            raise _Unsupported
        type_scoped = active
        type_keys = [k for k in element if self._term(active, k) == "@type"]
        types: list[str] = []
        if type_keys:
            if len(type_keys) > 1:
                raise _Unsupported
            value = element[type_keys[0]]
            types = value if isinstance(value, list) else [value]
            if not all(isinstance(t, str) for t in types):
                raise _Unsupported
        for t in sorted(types):
            tdef = type_scoped["mappings"].get(t)
            if tdef and tdef.get("@context") is not None and tdef["@context"] is not False:
                active = self._process(active, tdef["@context"], propagate=False)

        subject = None
        props = []
        for key, value in element.items():
            if key == "@context" or key in type_keys:
                continue
            expanded = self._term(active, key)
            if expanded == "@id":
                if not isinstance(value, str):
                    raise _Unsupported
                subject = self._iri(active, value)
            elif not isinstance(expanded, str) or expanded[0] == "@" or expanded[:2] == "_:" \
                    or not _is_absolute(expanded):
                raise _Unsupported
            else:
                props.append((key, expanded, value))
        if subject is None:
            self.fresh += 1
            subject = f"_:n{self.fresh}"
        out = self.out
        for t in types:
            type_iri = self._term(type_scoped, t)  # same expansion as pyld's, memoised
            if not isinstance(type_iri, str) or type_iri[:2] == "_:" or not _is_absolute(type_iri):
                raise _Unsupported
            out.add((subject, RDF_TYPE, "<" + type_iri + ">", ""))
        for key, expanded, value in props:
            tdef = active["mappings"].get(key)
            term_ctx = active
            if tdef:
                if tdef.get("reverse") or tdef.get("@container", ["@set"]) != ["@set"] \
                        or "@language" in tdef or "@direction" in tdef:
                    raise _Unsupported
                if tdef.get("@context") is not None:
                    term_ctx = self._process(active, tdef["@context"], propagate=True,
                                             override_protected=True)
            predicate = "<" + expanded + ">"
            for item in value if isinstance(value, list) else (value,):
                if item is None:
                    continue
                if isinstance(item, dict):
                    obj = self._node(term_ctx, key, item, depth + 1)
                elif isinstance(item, list):
                    raise _Unsupported
                else:
                    obj = self._scalar(term_ctx, key, item)
                out.add((subject, predicate, obj, ""))
        return subject

    def _scalar(self, ctx: dict[str, Any], key: str, value: Any) -> str:
        if "@language" in ctx or "@direction" in ctx:
            raise _Unsupported
        tdef = ctx["mappings"].get(key)
        type_ = tdef.get("@type") if tdef else None
        if isinstance(value, str):
            if type_ in ("@id", "@vocab"):
                return self._iri(ctx, value, vocab=type_ == "@vocab")
            if type_ is None:
                if _NEEDS_ESCAPE.search(value):
                    return '"' + value.translate(_ESCAPE_TABLE) + '"'
                return '"' + value + '"'
        datatype = None if type_ in _KEEP_SCALAR_TYPES else type_
        if datatype in ("@json", XSD + "double"):
            raise _Unsupported
        if isinstance(value, bool):
            return literal_term("true" if value else "false", datatype or XSD + "boolean")
        if isinstance(value, int | float):
            if not math.isfinite(value) or abs(value) >= 1e21:
                raise _Unsupported
            if float(value).is_integer():
                return literal_term(str(int(value)), datatype or XSD + "integer")
            return literal_term(_canonicalize_double(value), datatype or XSD + "double")
        if isinstance(value, str):
            return literal_term(value, datatype or XSD_STRING)
        raise _Unsupported


_FAST = _FastRdf()


def to_quads(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> set[Quad]:
    """The RDF dataset of ``doc``: fast path for known shapes, pyld otherwise."""
    try:
        return _FAST.quads(doc, limits)
    except _Unsupported:
        _check_shape(doc, limits)
        return pyld_quads(doc)


def _check_strict(quads: set[Quad]) -> None:
    marker = "<" + ISSUER_DEPENDENT
    for _s, p, o, _g in quads:
        if p.startswith(marker) or (p == RDF_TYPE and o.startswith(marker)):
            term = (o if p == RDF_TYPE else p)[len(marker):-1]
            raise CanonicalizationError(
                "undefined_term", f"term {term!r} is not defined by the contexts", term=term
            )


def canonicalize(doc: dict[str, Any], *, strict: bool = False,
                 limits: Limits = DEFAULT_LIMITS) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (closed loader, bounded work)."""
    if not isinstance(doc, dict):
        raise CanonicalizationError("invalid_jsonld", "a JSON-LD document must be an object")
    quads = to_quads(doc, limits)
    if strict:
        _check_strict(quads)
    return rdfc10(quads, limits)


def canonicalize_pyld(doc: dict[str, Any]) -> str:
    """Plain pyld URDNA2015 output, for differential tests and benchmarks only."""
    from pyld import jsonld

    return jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                  "documentLoader": document_loader})

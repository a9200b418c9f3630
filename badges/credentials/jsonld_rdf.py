"""JSON-LD → RDF quads: a fast path for credential shapes, full pyld otherwise.

The fast path (:class:`_FastRdf`) uses pyld's own context processing and IRI
expansion, cached, driving a restricted expansion that emits quads directly;
anything it does not handle falls back to full pyld expansion. Both refuse
content the signature would not cover (terms the contexts do not define,
relative IRIs) and both produce the same dataset; differential tests
(hypothesis) keep them byte-identical with plain pyld.
"""

from __future__ import annotations

import math
import re
import threading
from decimal import Decimal
from typing import Any, cast

from cachetools import LRUCache
from pyld.context_resolver import ContextResolver
from pyld.jsonld import (
    JsonLdError,
    JsonLdProcessor,
    _canonicalize_double,
)

from .loader import ContextNotBundledError, document_loader
from .rdfc import (
    _ESCAPE_TABLE,
    _NEEDS_ESCAPE,
    DEFAULT_LIMITS,
    XSD_STRING,
    CanonicalizationError,
    Limits,
    Quad,
    iri_term,
    literal_term,
)

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: jsonld.js's test for an absolute IRI, with whitespace as *either* language sees it:
#: Python's ``\s`` also matches U+001C–U+001F and U+0085, JavaScript's also U+FEFF. An IRI
#: holding one of those is refused, never signed in a form one of the two would drop.
_ABSOLUTE_IRI = re.compile(r"([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s\ufeff]*")

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
    return bool(_ABSOLUTE_IRI.fullmatch(iri))


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


class _Processor(JsonLdProcessor):  # type: ignore[misc]  # pyld is untyped
    """pyld, with jsonld.js's handling of a context's default ``@direction``.

    jsonld.js (what Digital Bazaar's verifiers run) does not carry ``@direction``
    into a cloned active context, and it clones the context a type-scoped
    context reverts to; pyld shares that one unchanged. So where a nested node
    reverts, pyld still applied the default direction and jsonld.js did not,
    and the two signed different datasets. Clone the way jsonld.js does.
    """

    def _clone_active_context(self, active_ctx: dict[str, Any]) -> dict[str, Any]:
        child: dict[str, Any] = super()._clone_active_context(active_ctx)
        previous = child.get("previousContext")
        if previous is not None and _has_direction(previous):
            child["previousContext"] = self._clone_active_context(previous)
        return child


    def _object_to_rdf(self, item: Any, issuer: Any, triples: list[Any],
                       options: dict[str, Any]) -> dict[str, Any]:
        value = item.get("@value") if isinstance(item, dict) else None
        if type(value) is float and item.get("@type") not in ("@json", XSD + "double") \
                and not js_reads_as_double(value):
            literal: dict[str, Any] = super()._object_to_rdf({**item, "@value": 0}, issuer,
                                                             triples, options)
            literal["value"] = js_integer_text(value)
            return literal
        return cast(dict[str, Any], super()._object_to_rdf(item, issuer, triples, options))


def js_reads_as_double(value: float) -> bool:
    """Whether jsonld.js writes this JSON number as an ``xsd:double`` literal.

    jsonld.js calls a number a double when ``String(n)`` has a ``.`` or
    ``|n| >= 1e21``; every other number is written with ``toFixed(0)``,
    so ``2.0`` is ``"2"`` and — a quirk, but the one every Digital Bazaar
    verifier has — ``5e-324`` and ``1e-7`` are ``"0"``. What a signature
    covers must match, so numbers are written the way jsonld.js writes them.
    """
    if not math.isfinite(value) or abs(value) >= 1e21:  # NaN, ±Infinity: not JSON; as pyld
        return True
    if value.is_integer():
        return False
    _sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    point = len(digits) + int(exponent)  # where JavaScript puts the decimal point
    return -6 < point <= 21 or len(digits) > 1


def js_integer_text(value: float) -> str:
    """``Number.prototype.toFixed(0)`` of a number jsonld.js writes as an integer."""
    if value.is_integer():
        return str(int(value))
    return "-0" if value < 0 else "0"  # only tiny numbers get here (see js_reads_as_double)


def _has_direction(ctx: dict[str, Any] | None) -> bool:
    while ctx is not None:
        if "@direction" in ctx:
            return True
        ctx = ctx.get("previousContext")
    return False


class _ThreadContexts(threading.local):
    """pyld's resolved-context cache, one per thread.

    pyld keeps one module-wide cache, and each resolved context a cache of its
    processed forms; neither is safe to share between threads (two threads
    canonicalising at once met a KeyError inside it). Contexts are few and
    bundled, so a cache per thread costs little.
    """

    def __init__(self) -> None:
        self.cache: LRUCache[Any, Any] = LRUCache(maxsize=100)


_CONTEXTS = _ThreadContexts()


def _resolved_contexts() -> LRUCache[Any, Any]:
    return _CONTEXTS.cache


def _pyld_options() -> dict[str, Any]:
    return {
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(_resolved_contexts(), document_loader),
        # None, not "": pyld 3.3 resolves relative IRIs against
        # http://example.org/base/ when the base is "", inventing IRIs.
        "base": None,
        "processingMode": "json-ld-1.1",
        "produceGeneralizedRdf": False,
        # As Digital Bazaar's eddsa-rdfc-2022 cryptosuite: a base direction is kept as the
        # literal's datatype (https://www.w3.org/ns/i18n#ar-eg_rtl), not silently dropped.
        "rdfDirection": "i18n-datatype",
    }


def _unbundled_context(exc: BaseException) -> str | None:
    """The URL of the unknown context behind a pyld error, if that is what it is.

    pyld wraps the loader's :class:`ContextNotBundledError` in its own errors;
    a verifier must be able to say "unknown context" in plain words instead of
    showing pyld's message, and the answer is "cannot tell", not "altered".
    """
    seen: BaseException | None = exc
    for _ in range(10):  # causes form a short chain; never loop on a cycle
        if seen is None:
            return None
        if isinstance(seen, ContextNotBundledError):
            return seen.url
        seen = seen.__cause__ or seen.__context__
    return None


def _term_of(component: dict[str, Any]) -> str:
    if component["type"] == "IRI":
        return iri_term(component["value"])
    if component["type"] == "blank node":
        return str(component["value"])
    return literal_term(component["value"], component["datatype"], component.get("language"))


def pyld_quads(doc: dict[str, Any]) -> set[Quad]:
    """JSON-LD → quads through pyld, refusing anything expansion would drop."""
    dropped: list[str | None] = []
    processor = _Processor(on_property_dropped=dropped.append)
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
        url = _unbundled_context(exc)
        if url is not None:
            raise CanonicalizationError(
                "unknown_context", f"the context {url} is not one this service knows", term=url
            ) from exc
        raise CanonicalizationError("invalid_jsonld", f"invalid JSON-LD: {exc}") from exc
    quads: set[Quad] = set()
    for graph, triples in dataset.items():
        g = "" if graph == "@default" else (graph if graph[:2] == "_:" else iri_term(graph))
        for t in triples:
            quads.add((_term_of(t["subject"]), iri_term(t["predicate"]["value"]),
                       _term_of(t["object"]), g))
    return quads


# --- fast path ------------------------------------------------------------------------------


class _Unsupported(Exception):
    """The fast path does not handle this shape: use full pyld expansion."""


_KEEP_SCALAR_TYPES = (None, "@id", "@vocab", "@none")


class _Subtree:
    """The quads of one JSON node and everything below it, to replay elsewhere.

    Blank nodes made inside are stored as offsets (``int``) from the first
    label the subtree used, so a replay numbers them after whatever the
    current document has made so far.
    """

    __slots__ = ("count", "depth", "fresh", "quads", "subject")

    def __init__(self, quads: list[tuple[Any, ...]], subject: str | int, fresh: int, count: int,
                 depth: int) -> None:
        self.quads, self.subject, self.fresh, self.count, self.depth = (
            quads, subject, fresh, count, depth)


#: Subtrees worth remembering: identified nodes (achievements, profiles) of some size.
_MEMO_MIN_KEYS = 4
_MEMO_MAX_REPR = 32_768
_MEMO_ENTRIES = 512


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

    It also remembers the quads of identified subtrees (an achievement, an
    issuer profile): a bulk run signs thousands of credentials around the same
    achievement, and a verifier sees the same issuers again and again. A
    subtree's quads depend only on the active context and the subtree's JSON,
    so the key is the context's identity, the property and the subtree's
    ``repr`` (exact for JSON values: no two different values share one).
    Subtrees that use explicit blank-node ids are not remembered, because
    those labels are shared with the rest of their document.

    One instance per thread: the per-document state lives on the instance.
    """

    def __init__(self) -> None:
        self.proc = _Processor()
        self.options = _pyld_options()
        self.options.update(isFrame=False, keepFreeFloatingNodes=False)
        self.contexts: dict[Any, tuple[dict[str, Any], Any, Any]] = {}
        self.terms: dict[tuple[int, str], Any] = {}
        self.vocab_terms: dict[str, str] = {}
        self.initial = self.proc._get_initial_context(self.options)
        self.memo: dict[tuple[int, str | None, str], _Subtree] = {}
        self.label_uses = 0
        self.deepest = 0

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

    def _vocab_term(self, iri: str) -> str:
        """``iri_term`` of a property or type IRI, memoised: the same few recur in every node."""
        got = self.vocab_terms.get(iri)
        if got is None:
            got = iri_term(iri)
            if len(self.vocab_terms) < 50_000:  # IRIs come from documents: stay bounded
                self.vocab_terms[iri] = got
        return got

    def _iri(self, ctx: dict[str, Any], value: str, vocab: bool = False) -> str:
        iri = self.proc._expand_iri(ctx, value, vocab=vocab, base=None)
        if not isinstance(iri, str) or not _is_absolute(iri):
            raise _Unsupported
        if iri[:2] == "_:":
            return self._bnode_label(iri)
        return iri_term(iri)

    def _bnode_label(self, label: str) -> str:
        self.label_uses += 1
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
        self.deepest = 0
        self.limits = limits
        active = self._process(self.initial, tuple(urls))
        self._node(active, None, doc, 0, top=True)
        if len(self.out) > limits.max_quads:
            raise CanonicalizationError("too_complex", "too many statements")
        return self.out

    # remembered subtrees ------------------------------------------------------------------
    def _node(self, active: dict[str, Any], prop: str | None, element: dict[str, Any],
              depth: int, top: bool = False) -> str:
        if top or len(element) < _MEMO_MIN_KEYS or not ("id" in element or "@id" in element):
            return self._expand_node(active, prop, element, depth, top)
        fingerprint = repr(element)
        if len(fingerprint) > _MEMO_MAX_REPR:
            return self._expand_node(active, prop, element, depth, top)
        key = (id(active), prop, fingerprint)
        known = self.memo.get(key)
        if known is None:
            return self._record(key, active, prop, element, depth)
        return self._replay(known, depth)

    def _record(self, key: tuple[int, str | None, str], active: dict[str, Any],
                prop: str | None, element: dict[str, Any], depth: int) -> str:
        outer, uses, first, count, deepest = (
            self.out, self.label_uses, self.fresh, self.count, self.deepest)
        self.out, self.deepest = set(), depth
        try:
            subject = self._expand_node(active, prop, element, depth)
            made = self.out
        finally:
            self.out = outer
            reached, self.deepest = self.deepest, max(deepest, self.deepest)
        outer |= made
        if self.label_uses == uses:  # no explicit blank-node ids inside: safe to replay

            def offset(term: str) -> str | int:
                if term[:3] == "_:n" and int(term[3:]) > first:
                    return int(term[3:]) - first
                return term

            if len(self.memo) >= _MEMO_ENTRIES:
                self.memo.clear()  # keys come from documents: stay bounded
            self.memo[key] = _Subtree(
                [(offset(s_), p, offset(o), g) for s_, p, o, g in made], offset(subject),
                self.fresh - first, self.count - count, reached - depth)
        return subject

    def _replay(self, known: _Subtree, depth: int) -> str:
        self.count += known.count
        if depth + known.depth > self.limits.max_depth \
                or self.count > self.limits.max_json_nodes:
            raise _Unsupported  # pyld path applies the limits and reports them
        self.deepest = max(self.deepest, depth + known.depth)
        base = self.fresh
        self.fresh += known.fresh
        self.out.update(
            (s_ if type(s_) is str else f"_:n{base + s_}", p,
             o if type(o) is str else f"_:n{base + o}", g)
            for s_, p, o, g in known.quads)
        subject = known.subject
        return subject if type(subject) is str else f"_:n{base + cast(int, subject)}"

    # expansion ---------------------------------------------------------------------------
    def _expand_node(self, active: dict[str, Any], prop: str | None, element: dict[str, Any],
                     depth: int, top: bool = False) -> str:
        self.count += len(element)
        self.deepest = max(self.deepest, depth)
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
            out.add((subject, RDF_TYPE, self._vocab_term(type_iri), ""))
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
            predicate = self._vocab_term(expanded)
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
            if isinstance(value, int):
                return literal_term(str(value), datatype or XSD + "integer")
            if not js_reads_as_double(value):
                return literal_term(js_integer_text(value), datatype or XSD + "integer")
            return literal_term(_canonicalize_double(value), datatype or XSD + "double")
        if isinstance(value, str):
            return literal_term(value, datatype or XSD_STRING)
        raise _Unsupported


class _PerThread(threading.local):
    """One :class:`_FastRdf` (state and caches) per thread."""

    def __init__(self) -> None:
        self.fast = _FastRdf()

    def quads(self, doc: dict[str, Any], limits: Limits) -> set[Quad]:
        return self.fast.quads(doc, limits)


_FAST = _PerThread()


def to_quads(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> set[Quad]:
    """The RDF dataset of ``doc``: fast path for known shapes, pyld otherwise."""
    try:
        return _FAST.quads(doc, limits)
    except _Unsupported:
        _check_shape(doc, limits)
        return pyld_quads(doc)

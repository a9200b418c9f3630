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

from typing import Any, cast

from .jsonld_rdf import _FAST, RDF_TYPE, _Unsupported, pyld_quads, to_quads
from .loader import document_loader
from .rdfc import (
    DEFAULT_LIMITS,
    CanonicalizationError,
    Limits,
    Quad,
    escape_literal,
    literal_term,
    rdfc10,
    serialize_quad,
)

__all__ = [
    "DEFAULT_LIMITS", "ISSUER_DEPENDENT", "_FAST", "CanonicalizationError", "Limits", "Quad",
    "_Unsupported", "canonicalize", "canonicalize_pyld", "escape_literal", "literal_term",
    "pyld_quads", "rdfc10", "serialize_quad", "to_quads",
]

ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"


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

    return cast(str, jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                  "documentLoader": document_loader}))

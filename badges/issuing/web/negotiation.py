"""Which form a client wants of a public document: JSON-LD, a VC-JWT, or a page.

Werkzeug's ``best_match`` compares whole values, parameters included, so
``application/ld+json; profile="…"`` matched nothing and ``*/*`` picked the
first offer (HTML). Verifiers ask in all these ways; here media types are
compared without their parameters, and a client that names no HTML type but
accepts anything (curl, Python requests, Node fetch send ``*/*``) is a machine.
A request without any Accept header gets the page, as before.
"""

from __future__ import annotations

from flask import request

JSONLD = "application/ld+json"
JSON = "application/json"
VC_JWT = "application/vc+jwt"
#: Media types under which these documents are JSON(-LD) for a machine.
MACHINE = frozenset({JSONLD, JSON, "application/vc", "application/vc+ld+json",
                     "application/did+ld+json"})
HTML = frozenset({"text/html", "application/xhtml+xml"})


def _accepted() -> dict[str, float]:
    """Bare media type → its highest quality in the Accept header (parameters dropped)."""
    found: dict[str, float] = {}
    for value, quality in request.accept_mimetypes:
        bare = value.split(";", 1)[0].strip().lower()
        found[bare] = max(quality, found.get(bare, 0.0))
    return found


def _best(accepted: dict[str, float], types: frozenset[str]) -> float:
    return max((q for t, q in accepted.items() if t in types), default=0.0)


def wants_json() -> bool:
    """True when the document should be answered as JSON-LD rather than a page."""
    if request.args.get("format") == "json":
        return True
    accepted = _accepted()
    machine, html = _best(accepted, MACHINE), _best(accepted, HTML)
    if machine > 0 and machine >= html:
        return True
    if html > 0:
        return False
    return accepted.get("*/*", 0.0) > 0 or accepted.get("application/*", 0.0) > 0


def wants_jwt() -> bool:
    """True when the client asks for the VC-JWT (``application/vc+jwt``) above anything else."""
    accepted = _accepted()
    jwt = accepted.get(VC_JWT, 0.0)
    return jwt > 0 and jwt >= max((q for t, q in accepted.items() if t != VC_JWT), default=0.0)


def json_mimetype() -> str:
    """``application/ld+json`` for a client that named a JSON-LD or VC type, else plain JSON."""
    return JSONLD if any(t in MACHINE - {JSON} for t in _accepted()) else JSON

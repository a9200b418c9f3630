"""A closed JSON-LD document loader: the bundled, pinned contexts and nothing else.

Why closed: a credential's meaning (and so what its signature covers) depends
on the contexts it names. Fetching them at verification time would let whoever
controls a context URL — or the network between us and it — change that
meaning, and would make verification depend on hosts that may disappear long
before the credential expires. So every context the engine understands is a
file in ``contexts/`` with a pinned checksum, and any other URL is an error,
raised before anything touches the network.

The loader follows pyld's loader contract (``loader(url, options) ->
RemoteDocument``) and raises :class:`pyld.jsonld.JsonLdError` with code
``"loading document failed"`` for unknown URLs, so pyld reports the failure the
way it reports any other loading failure.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from pyld.jsonld import JsonLdError

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

#: URL -> bundled file name. The unversioned OB 3.0 ``.../v3p0/context.json`` changed
#: over time; credentials that name it were signed against its 3.0.0 content, which is
#: pinned here (as the Digital Credentials Consortium's loader pins it). It is never fetched.
CONTEXT_FILES: dict[str, str] = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-2.0.1.json",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    "https://w3id.org/openbadges/v2": "ob-v2p0.json",
    # Older credentials: VC Data Model 1.1, OB 3.0.0, legacy Ed25519Signature2020 proofs.
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-3.0.0.json",
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-v1.jsonld",
    # Ours: the EU micro-credential elements OB 3.0 has no term for. A fixed URL
    # (not BADGES_BASE_URL) so a move of the service never breaks old credentials;
    # every instance serves the same bytes at /contexts/microcredential/v1.jsonld.
    # Frozen once published: a change needs a new file and a new URL (v2).
    "https://skillspas.nl/contexts/microcredential/v1.jsonld":
        "skillspas-microcredential-v1.jsonld",
}

# Commonly used names for the URLs above, so callers need not repeat strings.
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
MICROCREDENTIAL_V1 = "https://skillspas.nl/contexts/microcredential/v1.jsonld"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3P0_UNVERSIONED = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
ED25519_2020_V1 = "https://w3id.org/security/suites/ed25519-2020/v1"

_lock = threading.Lock()
_documents: dict[str, Any] = {}  # parsed once, never mutated after insertion
_extra: dict[str, Any] = {}  # contexts registered at runtime (our own extensions)


class ContextNotBundledError(JsonLdError):  # type: ignore[misc]  # pyld ships no type hints
    """Raised for any URL the engine does not bundle (never fetched)."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"Context {url!r} is not bundled with this service and is never fetched.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
        self.url = url


def _checksums() -> dict[str, str]:
    sums: dict[str, str] = {}
    path = CONTEXTS_DIR / "CONTEXTS.sha256"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 2:
                sums[parts[1]] = parts[0]
    return sums


def _load_bundled(url: str) -> Any:
    name = CONTEXT_FILES[url]
    raw = (CONTEXTS_DIR / name).read_bytes()
    expected = _checksums().get(name)
    if expected is not None and hashlib.sha256(raw).hexdigest() != expected:
        # A modified context silently changes what signatures mean: refuse it.
        raise JsonLdError(
            f"Bundled context {name} does not match its pinned checksum.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return json.loads(raw)


def get_context(url: str) -> Any:
    """Return the parsed context document for ``url`` (shared; do not mutate)."""
    doc = _documents.get(url)
    if doc is not None:
        return doc
    with _lock:
        doc = _documents.get(url)
        if doc is None:
            if url in _extra:
                doc = _extra[url]
            elif url in CONTEXT_FILES:
                doc = _load_bundled(url)
            else:
                raise ContextNotBundledError(url)
            _documents[url] = doc
    return doc


def is_known(url: str) -> bool:
    """True when ``url`` names a context this loader serves."""
    return url in CONTEXT_FILES or url in _extra


def register_context(url: str, document: dict[str, Any]) -> None:
    """Add a bundled context (e.g. our own extension context) under ``url``.

    Registering a URL a second time with different content is refused: a
    context that changes under a URL would change the meaning of credentials
    already signed with it.
    """
    if not isinstance(document, dict) or "@context" not in document:
        raise ValueError("a context document is a JSON object with an '@context' member")
    frozen = copy.deepcopy(document)
    with _lock:
        existing = _extra.get(url)
        if url in CONTEXT_FILES or (existing is not None and existing != frozen):
            raise ValueError(f"context {url!r} is already registered with other content")
        _extra[url] = frozen
        _documents[url] = frozen


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader serving only bundled contexts (never the network)."""
    document = get_context(url)
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # pyld copies what it keeps, but hand it a copy anyway: a processor bug
        # must not be able to corrupt the shared parsed context.
        "document": copy.deepcopy(document),
    }

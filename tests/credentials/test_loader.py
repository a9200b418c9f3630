from __future__ import annotations

import pytest
from pyld import jsonld

from badges.credentials import loader


def test_serves_every_pinned_context():
    for url in loader.CONTEXT_FILES:
        doc = loader.document_loader(url, {})
        assert doc["documentUrl"] == url
        assert "@context" in doc["document"]


def test_parses_each_context_once():
    first = loader.get_context(loader.VC_V2)
    assert loader.get_context(loader.VC_V2) is first


@pytest.mark.parametrize("url", [
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.4.json",  # not (yet) pinned
    "https://example.com/context.jsonld",
    "http://127.0.0.1:1/ctx",
    "file:///etc/passwd",
])
def test_refuses_unknown_urls_without_fetching(url, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the loader must never touch the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    with pytest.raises(jsonld.JsonLdError) as info:
        loader.document_loader(url, {})
    assert info.value.code == "loading document failed"


def test_pyld_reports_unknown_context_through_canonicalize():
    from badges.credentials.canon import CanonicalizationError, canonicalize

    with pytest.raises(CanonicalizationError) as info:
        canonicalize({"@context": "https://example.com/ctx", "name": "x"})
    assert info.value.code == "unknown_context"
    assert info.value.term == "https://example.com/ctx"
    assert "Dereferencing" not in str(info.value)  # plain words, not pyld's


def test_older_contexts_are_pinned_with_the_shared_checksums():
    """VC 1.1, OB 3.0.0 (the unversioned URL) and Ed25519Signature2020: same bytes as the
    interop folder's copies, so the loader's checksum check covers them."""
    import hashlib

    from tests.interop_data import INTEROP

    shared = {line.split()[1]: line.split()[0]
              for line in (INTEROP / "CONTEXTS.sha256").read_text().splitlines() if line.strip()}
    for url in (loader.VC_V1, loader.OB_V3P0_UNVERSIONED, loader.ED25519_2020_V1):
        name = loader.CONTEXT_FILES[url]
        assert hashlib.sha256((loader.CONTEXTS_DIR / name).read_bytes()).hexdigest() == \
            shared[name]
        assert "@context" in loader.get_context(url)


def test_register_context():
    url = "https://skillspas.example.nl/ns/test-extension/v1"
    ctx = {"@context": {"@protected": True,
                        "mboNiveau": "https://skillspas.example.nl/ns#mboNiveau"}}
    loader.register_context(url, ctx)
    loader.register_context(url, ctx)  # idempotent
    assert loader.is_known(url)
    assert loader.document_loader(url, {})["document"] == ctx
    with pytest.raises(ValueError):
        loader.register_context(url, {"@context": {"other": "https://x.example/"}})
    with pytest.raises(ValueError):
        loader.register_context(loader.VC_V2, ctx)

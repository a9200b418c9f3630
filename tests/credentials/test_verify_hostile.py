"""Hostile input never escapes as an exception: every case becomes a clean report."""

from __future__ import annotations

import json
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badges.credentials import keys
from badges.credentials.verify import (
    ChainResolver,
    DidKeyResolver,
    FragmentMultikeyResolver,
    KeyResolver,
    ResolvedKey,
    StaticKeyResolver,
    StaticStatusResolver,
    StatusResolver,
    verify_input,
)
from badges.credentials.verify.resolvers import FetchingStatusResolver
from tests.interop_data import SAMPLES

VERDICTS = {"valid", "revoked", "suspended", "expired", "not_yet_valid", "invalid",
            "indeterminate"}


def _assert_clean(report, verdict: str = "invalid", check: str = "input") -> None:
    assert report.verdict == verdict
    assert report.verified is False
    result = report.check(check)
    assert result is not None and result.status == "fail"
    assert result.message_nl and result.message_en
    json.dumps(report.to_dict())


def test_50mb_input_refused_fast() -> None:
    for data in (b"{" + b" " * 50_000_000, "[" * 50_000_000):
        report = verify_input(data)  # refused on size, before any parsing
        _assert_clean(report)
        assert "too large" in report.check("input").message_en


def test_invalid_json_and_non_objects() -> None:
    for data in ('{"a": ', "[1, 2]", "42", '{"a": NaN}', '{"a": 1, "a": 2}', "", "\x00\xff",
                 b"\xff\xfe\x00garbage", '{"a": 1' + "0" * 5000 + "}"):
        _assert_clean(verify_input(data))


def test_deeply_nested_json() -> None:
    _assert_clean(verify_input("[" * 100_000 + "]" * 100_000))
    nested = '{"a":' * 200 + "1" + "}" * 200
    _assert_clean(verify_input(nested))
    doc: dict = {}
    cursor = doc
    for _ in range(500):
        cursor["x"] = {}
        cursor = cursor["x"]
    _assert_clean(verify_input(doc))
    cyclic: dict = {"type": ["VerifiableCredential"]}
    cyclic["self"] = cyclic
    _assert_clean(verify_input(cyclic))


def test_png_with_corrupt_chunk() -> None:
    png = bytearray((SAMPLES / "simple-json.png").read_bytes())
    png[png.find(b"iTXt") + 60] ^= 0x01
    report = verify_input(bytes(png))
    _assert_clean(report)
    assert "CRC" in report.check("input").message_en
    truncated = (SAMPLES / "simple-json.png").read_bytes()[:5000]
    _assert_clean(verify_input(truncated))
    huge_length = bytearray((SAMPLES / "simple-json.png").read_bytes())
    huge_length[8:12] = struct.pack(">I", 0xFFFFFFF0)
    _assert_clean(verify_input(bytes(huge_length)))


def test_image_without_badge_and_svg_bomb() -> None:
    _assert_clean(verify_input(b'<svg xmlns="http://www.w3.org/2000/svg"/>'))
    bomb = ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><svg xmlns="http://www.w3.org/2000/svg">&c;</svg>')
    _assert_clean(verify_input(bomb))


def test_canonicalisation_bomb_is_refused_quickly() -> None:
    doc = json.loads((SAMPLES / "simple.json").read_text())
    # thousands of structurally identical blank nodes: the worst case for RDFC-1.0
    doc["evidence"] = [{"type": ["Evidence"], "name": "x"} for _ in range(5000)]
    report = verify_input(doc)
    assert report.verdict == "invalid"
    assert report.check("proof").status == "fail"


def test_garbage_in_every_field_never_raises() -> None:
    doc = json.loads((SAMPLES / "simple.json").read_text())
    for key in list(doc):
        for junk in (None, 1, [], {}, "x", [None], {"id": 5}, True, 1e308):
            mutated = {**doc, key: junk}
            report = verify_input(mutated)
            assert report.verdict in VERDICTS
            json.dumps(report.to_dict())


def test_resolver_doubles_satisfy_protocols() -> None:
    key = keys.generate_ed25519()
    multibase = keys.public_key_multibase(key.public_key())
    static = StaticKeyResolver({"https://a.test#k": ResolvedKey(key.public_key(), None, True)})
    for resolver in (static, DidKeyResolver(), FragmentMultikeyResolver(),
                     ChainResolver(static, DidKeyResolver())):
        assert isinstance(resolver, KeyResolver)
    assert isinstance(StaticStatusResolver(), StatusResolver)
    assert isinstance(FetchingStatusResolver(None), StatusResolver)
    did = f"did:key:{multibase}"
    resolved = DidKeyResolver().resolve(f"{did}#{multibase}")
    assert resolved.confirmed and resolved.controller == did
    assert DidKeyResolver().resolve(f"{did}#other") is None
    assert DidKeyResolver().resolve("did:key:zNOTAKEY") is None
    fragment = FragmentMultikeyResolver().resolve(f"https://x.test/issuers/1#{multibase}")
    assert fragment.confirmed is False and fragment.controller == "https://x.test/issuers/1"
    assert FragmentMultikeyResolver().resolve("https://x.test/issuers/1#key-1") is None
    chain = ChainResolver(static, DidKeyResolver())
    assert chain.resolve("https://a.test#k").confirmed and chain.resolve(did) is not None
    assert chain.resolve("https://unknown.test#k") is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(["@context", "type", "proof", "issuer", "id", "validFrom",
                                       "credentialSubject", "credentialStatus", "validUntil",
                                       "badge", "recipient", "verification", "x"]) | st.text(
                                           max_size=8), children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300), json_values,
                 json_values.map(json.dumps),
                 st.binary(max_size=200).map(lambda b: b"\x89PNG\r\n\x1a\n" + b)))
def test_fuzz_never_raises(data) -> None:
    report = verify_input(data)
    assert report.verdict in VERDICTS
    assert report.verified == (report.verdict == "valid")
    json.dumps(report.to_dict())

"""build_credential: schema-valid output that signs, verifies and detects any change."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from _interop import SAMPLES, load_json
from hypothesis import given, settings
from hypothesis import strategies as st

from badges.credentials import data_integrity as di
from badges.credentials import documents as docs
from badges.credentials.bench import sample_credential
from badges.credentials.keys import generate_ed25519

KEY = generate_ed25519()
VM = "https://skillspas.example.nl/issuers/roc-de-maas#key-1"


@pytest.fixture(scope="module")
def signed():
    return di.sign(sample_credential(), KEY, VM, created=datetime(2025, 7, 1, tzinfo=UTC))


def test_built_credential_shape_and_schema():
    doc = sample_credential()
    assert docs.validate_schema(doc) == []
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = doc["credentialSubject"]
    ach = subject["achievement"]
    assert ach["achievementType"] == "ext:Keuzedeel"
    assert {a["targetType"] for a in ach["alignment"]} == {
        "ext:Kwalificatiedossier", "ext:Keuzedeel", "ceasn:Competency"}
    assert doc["issuer"]["otherIdentifier"][0] == {
        "type": "IdentifierEntry", "identifier": "25LX", "identifierType": "ext:BRIN"}
    identity = subject["identifier"][0]
    assert identity["identityHash"].startswith("sha256$") and identity["hashed"] is True


def test_signed_credential_validates_and_verifies(signed):
    assert docs.validate_schema(signed) == []  # single proof object normalised to a list
    di.verify_proof(signed, signed["proof"], KEY.public_key())


def test_schema_errors_raise():
    with pytest.raises(docs.CredentialSchemaError):
        docs.build_credential(
            credential_id="https://x.example/c/1",
            issuer=docs.IssuerData(id="https://x.example/i", name="X"),
            achievement_data=docs.AchievementData(
                id="https://x.example/a", name="A", description="d", criteria_narrative="n",
                kind="Onbekend"),
            recipient=docs.RecipientData(email="a@b.nl"),
            valid_from=datetime(2025, 1, 1, tzinfo=UTC))


def test_validate_schema_on_samples():
    assert docs.validate_schema(load_json(SAMPLES / "simple.json")) == []
    broken = load_json(SAMPLES / "simple.json")
    del broken["issuer"]
    assert any("issuer" in e for e in docs.validate_schema(broken))


def test_hash_email_and_match():
    obj = {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
           "salt": "zout", "identityHash": docs.hash_email("Henk@Example.NL ", "zout")}
    assert docs.email_matches(obj, "henk@example.nl")
    assert not docs.email_matches(obj, "ben@example.nl")
    assert docs.email_matches({"identityType": "emailAddress", "hashed": False,
                               "identityHash": "ben@example.nl"}, "BEN@example.nl")
    assert not docs.email_matches({**obj, "identityType": "name"}, "henk@example.nl")


# --- any single change breaks the signature ------------------------------------------------

def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    elif isinstance(node, str | int | float) and not isinstance(node, bool):
        yield path


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _mutated(value, choice: int, text: str):
    if isinstance(value, str):
        options = [value + (text or "x"), (text or "y") + value,
                   value[:-1] if len(value) > 1 else value + "z", value.swapcase()]
        out = options[choice % len(options)]
        return out if out != value else value + "!"
    return value + 1 + choice


def _all_leaf_paths():
    doc = di.sign(sample_credential(), KEY, VM, created=datetime(2025, 7, 1, tzinfo=UTC))
    return doc, list(_leaves(doc))


SIGNED, PATHS = _all_leaf_paths()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: "/".join(map(str, p)))
def test_every_leaf_change_breaks_verification(path):
    doc = copy.deepcopy(SIGNED)
    parent = _get(doc, path[:-1])
    parent[path[-1]] = _mutated(parent[path[-1]], 0, "")
    with pytest.raises(di.ProofError):
        di.verify_proof(doc, doc["proof"], KEY.public_key())


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, len(PATHS) - 1), choice=st.integers(0, 7),
       text=st.text(max_size=5))
def test_any_mutation_breaks_verification(index, choice, text):
    doc = copy.deepcopy(SIGNED)
    path = PATHS[index]
    parent = _get(doc, path[:-1])
    before = parent[path[-1]]
    parent[path[-1]] = _mutated(before, choice, text)
    with pytest.raises(di.ProofError):
        di.verify_proof(doc, doc["proof"], KEY.public_key())


def _entry(purpose: str, index: int) -> dict:
    from badges.credentials.status_list import status_entry

    return status_entry(f"https://x.example/status/{purpose}", index, purpose)


def test_two_status_entries_validate_and_a_broken_second_is_named():
    doc = sample_credential()
    doc["credentialStatus"] = [_entry("revocation", 3), _entry("suspension", 7)]
    assert docs.validate_schema(doc) == []
    del doc["credentialStatus"][1]["type"]
    errors = docs.validate_schema(doc)
    assert len(errors) == 1 and errors[0].startswith("credentialStatus/1"), errors

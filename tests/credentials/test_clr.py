"""CLR 2.0: building, signing and verifying a ClrCredential with embedded credentials."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from badges.credentials import bench, clr, data_integrity, keys
from badges.credentials.documents import AchievementData, IssuerData
from badges.credentials.loader import OB_V3P0, VC_V2
from badges.credentials.verify import ResolvedKey, StaticKeyResolver, verify_input
from badges.credentials.verify.resolvers import StaticStatusResolver

SCHOOL = "https://skillspas.example.nl/issuers/roc-de-maas"
PLATFORM = "https://skillspas.example.nl/issuers/skillspas"
SCHOOL_KEY, PLATFORM_KEY = keys.generate_ed25519(), keys.generate_ed25519()


def _resolver() -> StaticKeyResolver:
    return StaticKeyResolver({
        f"{SCHOOL}#key-1": ResolvedKey(public_key=SCHOOL_KEY.public_key(), controller=SCHOOL,
                                       confirmed=True),
        f"{PLATFORM}#key-1": ResolvedKey(public_key=PLATFORM_KEY.public_key(),
                                         controller=PLATFORM, confirmed=True),
    })


def _embedded(number: int) -> dict:
    doc = bench.sample_credential(SCHOOL, number)
    doc.pop("credentialStatus")  # no status list to resolve offline
    return data_integrity.sign(doc, SCHOOL_KEY, f"{SCHOOL}#key-1")


def _clr(credentials: list[dict], **extra) -> dict:
    return clr.build_clr(clr.ClrData(
        credential_id="urn:uuid:8d1e3f9a-4c2b-4e8f-9a7d-1b2c3d4e5f60",
        issuer=IssuerData(id=PLATFORM, name="Skillspas"), name="Overzicht van Vanessa",
        valid_from=datetime(2025, 8, 1, tzinfo=UTC), recipient_email="vanessa@example.nl",
        credentials=credentials, **extra))


def _verify(doc: dict):
    return verify_input(doc, key_resolver=_resolver(), status_resolver=StaticStatusResolver({}))


class TestBuild:
    def test_shape_follows_clr_2(self):
        inner = [_embedded(1), _embedded(2)]
        doc = _clr(inner, partial=True)
        assert doc["@context"] == [VC_V2, clr.CLR_V2P0, OB_V3P0]
        assert doc["type"] == ["VerifiableCredential", "ClrCredential"]
        subject = doc["credentialSubject"]
        assert subject["type"] == ["ClrSubject"]
        assert subject["verifiableCredential"] == inner  # embedded with their proofs
        assert subject["identifier"][0]["hashed"] is True
        assert "vanessa" not in str(subject["identifier"])
        assert doc["partial"] is True

    def test_associations_between_achievements(self):
        a = _embedded(1)
        target = AchievementData(id="https://skillspas.example.nl/achievements/traject",
                                 name="Van kassa naar zorg", description="LLO-traject",
                                 criteria_narrative="Alle modules behaald.")
        source = clr.achievement_id_of(a)
        doc = _clr([a], achievements=[target],
                   associations=clr.part_of(target.id, [source]))
        assoc = doc["credentialSubject"]["association"]
        assert assoc == [{"type": "Association", "associationType": "isChildOf",
                          "sourceId": source, "targetId": target.id}]
        assert doc["credentialSubject"]["achievement"][0]["name"] == "Van kassa naar zorg"
        assert [x.association_type for x in clr.chain_associations(["a", "b", "c"])] == [
            "precedes", "precedes"]

    @pytest.mark.parametrize("bad", [
        {"credentials": []},
        {"credentials": [{"unsigned": True}]},
        {"associations": [clr.Association("isChildOf", "urn:x", "urn:y")]},
    ])
    def test_refuses_bad_input(self, bad):
        args = {"credentials": [_embedded(1)], **bad}
        with pytest.raises(clr.ClrError):
            _clr(args.pop("credentials"), **args)

    def test_unknown_association_type(self):
        with pytest.raises(clr.ClrError):
            clr.Association("isFriendOf", "a", "b")


class TestVerify:
    def test_signed_clr_verifies_with_each_embedded_proof(self):
        signed = data_integrity.sign(_clr([_embedded(1), _embedded(2)]), PLATFORM_KEY,
                                     f"{PLATFORM}#key-1")
        report = _verify(signed)
        assert report.verdict == "valid", [c.to_dict() for c in report.checks]
        assert report.check("embedded").status == "pass"
        assert report.check("schema").status == "pass"

    def test_tampered_embedded_credential_is_detected(self):
        inner = [_embedded(1), _embedded(2)]
        tampered = copy.deepcopy(inner)
        tampered[1]["credentialSubject"]["achievement"]["name"] = "Diploma Verpleegkunde"
        # The CLR issuer signs over the tampered copy: its own proof is fine...
        signed = data_integrity.sign(_clr(tampered), PLATFORM_KEY, f"{PLATFORM}#key-1")
        report = _verify(signed)
        assert report.check("proof").status == "pass"
        # ...but the embedded credential's own proof is not.
        assert report.check("embedded").status == "fail"
        assert "#2" in report.check("embedded").message_en
        assert report.verdict == "invalid"

    def test_changing_the_clr_after_signing_breaks_the_outer_proof(self):
        signed = data_integrity.sign(_clr([_embedded(1)]), PLATFORM_KEY, f"{PLATFORM}#key-1")
        signed["credentialSubject"]["verifiableCredential"].append(_embedded(3))
        assert _verify(signed).check("proof").status == "fail"

    def test_missing_clr_subject_shape_fails_schema(self):
        doc = _clr([_embedded(1)])
        doc["credentialSubject"]["type"] = ["AchievementSubject"]
        # (cannot even be signed: the CLR terms are scoped to ClrSubject)
        assert _verify(doc).check("schema").status == "fail"

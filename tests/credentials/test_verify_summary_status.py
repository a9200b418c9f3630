"""The report's sentence never says or implies "not revoked" when no status was checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from badges.credentials import documents, status_list
from badges.credentials.data_integrity import sign
from badges.credentials.keys import generate_ed25519, public_key_multibase
from badges.credentials.verify import StaticStatusResolver, verify_input

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LIST_URL = "https://skillspas.test/status/roc-x/1"


def _signed(with_status: bool) -> tuple[dict, str]:
    key = generate_ed25519()
    multibase = public_key_multibase(key.public_key())
    did = f"did:key:{multibase}"
    doc = documents.build_credential(
        credential_id="https://skillspas.test/credentials/1",
        issuer=documents.IssuerData(id=did, name="ROC X"),
        achievement_data=documents.AchievementData(
            id="https://skillspas.test/achievements/k0123", name="Keuzedeel Duurzaamheid",
            description="Duurzaam werken", criteria_narrative="Examen behaald"),
        recipient=documents.RecipientData(email="vanessa@example.nl", salt="00ff00ff00ff00ff"),
        valid_from=NOW - timedelta(days=1),
        credential_status=[status_list.status_entry(LIST_URL, 7, "revocation")]
        if with_status else None)
    return sign(doc, key, f"{did}#{multibase}", created=NOW - timedelta(days=1)), did


def test_no_status_information_is_said_plainly() -> None:
    doc, _did = _signed(with_status=False)
    report = verify_input(doc, now=NOW)
    assert report.verdict == "valid"
    assert report.summary_nl.endswith("De status (ingetrokken of niet) kon niet worden "
                                      "gecontroleerd.")
    assert report.summary_en.endswith("Its status (revoked or not) could not be checked.")


def test_a_checked_status_adds_no_caveat() -> None:
    doc, did = _signed(with_status=True)
    lists = StaticStatusResolver({LIST_URL: status_list.status_list_credential(
        LIST_URL, did, "revocation", status_list.new_bitstring(), "2026-01-01T00:00:00Z")})
    report = verify_input(doc, now=NOW, status_resolver=lists)
    assert report.verdict == "valid" and report.check("status").status == "pass"
    assert "status" not in report.summary_en.lower()

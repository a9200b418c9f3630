"""Demo credentials for the four personas, through the real issuing and import services.

Idempotent: every credential has a ``dedup_key`` (persona × achievement ×
"demo"), so a second run issues nothing; the imported badge is signed with
a key derived from a fixed seed, so it is byte-for-byte the same document
and the import service recognises it as a duplicate.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.accounts.models import User
from badges.credentials import data_integrity, keys
from badges.credentials.documents import (
    AchievementData,
    IssuerData,
    RecipientData,
    SkillData,
    build_credential,
)
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.passport import importing
from badges.passport.models import ImportedCredential

PERIOD = "demo"


def _d(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


# persona email → [(issuer slug, achievement name, options)]
AWARDS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "vanessa@example.nl": [
        ("lerende-stad-oss", "Digitaal meedoen", {"valid_from": _d(2025, 2, 14)}),
        ("lerende-stad-oss", "Taalcafé: Nederlands op B1", {"valid_from": _d(2025, 6, 20)}),
        ("maasvallei-zorg-welzijn", "Basiszorg", {
            "valid_from": _d(2025, 12, 12), "result": {"value": "Goed", "status": "Completed"},
            "evidence": [{"name": "Praktijkopdracht", "narrative":
                          "Ochtendzorg bij drie cliënten, beoordeeld door de begeleider."}],
            "assessor": "M. Verhoeven"}),
        ("maasvallei-zorg-welzijn", "Hygiëne en veiligheid", {
            "valid_from": _d(2026, 3, 6), "result": {"value": "8,1", "status": "Completed"}}),
    ],
    "henk@example.nl": [
        ("vakcollege-techniek-brabant", "Veilig werken in de werkplaats", {
            "valid_from": _d(2021, 3, 1), "valid_until": _d(2024, 3, 1)}),  # expired
        ("bouwbedrijf-van-houten", "Praktijkverklaring Timmerwerk renovatie", {
            "valid_from": _d(2025, 9, 30), "assessor": "K. van Houten",
            "evidence": [{"name": "Renovatie Molenstraat, Heesch", "narrative":
                          "Kozijnen gesteld en binnenwanden geplaatst in 12 woningen."}]}),
        ("vakcollege-techniek-brabant", "Deelcertificaat Werkvoorbereiding bouw", {
            "valid_from": _d(2026, 1, 23)}),
        ("vakcollege-techniek-brabant", "Werkbegeleider in de bouw", {
            "valid_from": _d(2026, 6, 19), "result": {"value": "goed", "status": "Completed"},
            "assessor": "S. Kuipers"}),
    ],
    "ben@example.nl": [
        ("vakcollege-techniek-brabant", "Veilig werken in de werkplaats", {
            "valid_from": _d(2025, 10, 3)}),
        ("vakcollege-techniek-brabant", "Tekening lezen", {"valid_from": _d(2025, 11, 14)}),
        ("vakcollege-techniek-brabant", "Verspanen 1", {
            "valid_from": _d(2026, 2, 6), "result": {"value": "Voldoende", "status": "Completed"}}),
        ("sv-osc-28", "Samenwerken in het team", {"valid_from": _d(2025, 6, 1)}),
    ],
    "prucha@example.nl": [
        ("roc-de-maasvallei", "Digitale vaardigheden basis", {"valid_from": _d(2025, 4, 18)}),
        ("sv-osc-28", "Jeugdtrainer", {"valid_from": _d(2025, 7, 5)}),
        ("sv-osc-28", "Samenwerken in het team", {"valid_from": _d(2024, 6, 1)}),  # revoked below
    ],
}
REVOKE = ("prucha@example.nl", "Samenwerken in het team",
          "Per vergissing twee keer uitgegeven; de badge Jeugdtrainer vervangt deze.")

LIBRARY_SEED = b"skillspas demo: Bibliotheek Maasland signing key v1"
LIBRARY_URL = "https://www.bibliotheekmaasland.example"
LIBRARY_ESCO = ("http://data.europa.eu/esco/skill/d15ce60f-ddab-41ce-ba56-398451b77b60",
                "http://data.europa.eu/esco/skill/1d6c7de4-350e-4868-a47b-333b4b0d9650")


def library_key() -> Ed25519PrivateKey:
    """A deterministic did:key for the demo library (never use a fixed seed for real keys)."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(LIBRARY_SEED).digest())


def library_credential(email: str) -> dict[str, Any]:
    """An OB 3.0 credential from an issuer outside Skillspas, signed with its did:key."""
    key = library_key()
    did = keys.did_key_from_public(key.public_key())
    issued = _d(2024, 11, 8)
    doc = build_credential(
        credential_id="urn:uuid:5d0a3c1e-7b1f-4a8e-9a57-3f1b2c9d4e01",
        issuer=IssuerData(id=did, name="Bibliotheek Maasland", url=LIBRARY_URL),
        achievement_data=AchievementData(
            id=f"{LIBRARY_URL}/badges/klik-en-tik",
            name="Klik & Tik: online zoeken",
            description="Je zoekt informatie op internet en beoordeelt of een website "
                        "betrouwbaar is.",
            criteria_narrative="Cursus Klik & Tik (4 lessen) in de bibliotheek afgerond.",
            kind="badge",
            # Real ESCO concepts ("have computer literacy"; "evaluate data, information and
            # digital content"), checked like the seed list's (badges/catalogue/skills_seed.py).
            skills=[SkillData(name="Digitale basisvaardigheden", url=LIBRARY_ESCO[0],
                              code=LIBRARY_ESCO[0].rsplit("/", 1)[1]),
                    SkillData(name="Informatie zoeken en beoordelen", url=LIBRARY_ESCO[1],
                              code=LIBRARY_ESCO[1].rsplit("/", 1)[1])],
        ),
        recipient=RecipientData(email=email, salt="bibliotheek-maasland-demo"),
        valid_from=issued,
    )
    vm = f"{did}#{did[len('did:key:'):]}"
    return data_integrity.sign(doc, key, vm, created=issued)


def seed_credentials(context: dict[str, Any]) -> None:
    """Issue the personas' credentials and import Vanessa's library badge (idempotent)."""
    orgs, achievements = context["orgs"], context["achievements"]
    by_org: dict[str, list[issuing.IssueRequest]] = {}
    for email, awards in AWARDS.items():
        for slug, name, options in awards:
            achievement = achievements[name]
            by_org.setdefault(slug, []).append(issuing.IssueRequest(
                achievement=achievement, recipient_email=email,
                recipient_name=context["users"][email].name,
                dedup_key=issuing.dedup_key(email, achievement, PERIOD), **options))
    for slug, requests in by_org.items():
        issuing.add(orgs[slug], requests)  # load_demo mutes events: nobody is told
    db.session.commit()
    _revoke_demo(context)
    _import_library_badge(context["users"]["vanessa@example.nl"])


def _revoke_demo(context: dict[str, Any]) -> None:
    email, name, why = REVOKE
    key = issuing.dedup_key(email, context["achievements"][name], PERIOD)
    cred = db.session.scalar(db.select(Credential).filter_by(dedup_key=key))
    if cred is not None and cred.state == CredentialState.ACTIVE:
        issuing.change_state(cred, CredentialState.REVOKED, why, actor_id=None)


def _import_library_badge(user: User) -> None:
    doc = library_credential(user.email)
    done = db.session.scalar(db.select(ImportedCredential.id).filter_by(
        user_id=user.id, fingerprint=importing.fingerprint_of(doc)))
    if done is None:  # not there from an earlier run
        importing.import_credential(user, json.dumps(doc, ensure_ascii=False))

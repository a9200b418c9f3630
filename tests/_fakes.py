"""Fake credentials for the trust tests: signed correctly, by a key nobody here published.

A fresh ``did:key`` is self-certifying: the signature verifies, but anyone can
make one in a second and write any issuer name into the credential. These
fakes are what a forger hands an employer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from badges.credentials import data_integrity, documents, keys


def fake_credential(issuer_name: str, email: str = "vanessa@example.nl",
                    achievement: str = "Diploma Verzorgende IG") -> dict[str, Any]:
    """A credential signed with a fresh did:key whose issuer calls itself ``issuer_name``."""
    key = keys.generate_ed25519()
    multibase = keys.public_key_multibase(key.public_key())
    did = f"did:key:{multibase}"
    valid_from = datetime.now(UTC) - timedelta(days=3)
    doc = documents.build_credential(
        credential_id="urn:uuid:6f1c2a4e-8a53-4a8e-9d0c-2b6f3f0f5e11",
        issuer=documents.IssuerData(id=did, name=issuer_name),
        achievement_data=documents.AchievementData(
            id="urn:uuid:0b7d2f5a-3c1e-4c55-9a61-7f1e2d3c4b5a", name=achievement,
            description="Niveau 3", criteria_narrative="Examen behaald"),
        recipient=documents.RecipientData(email=email, salt="00ff00ff00ff00ff"),
        valid_from=valid_from,
    )
    return data_integrity.sign(doc, key, f"{did}#{multibase}", created=valid_from)

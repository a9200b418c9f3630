"""Shared fixtures for the verify page and API tests: samples, and our own credentials.

Test modules import the fixtures they use (``from tests._verify_support import ...``).
"""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from badges.catalogue.models import Achievement, AchievementState
from badges.credentials import baking
from badges.issuing import services as issuing
from badges.issuing.models import CredentialState
from badges.kernel.db import db
from badges.kernel.media import images
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation
from tests.interop_data import SAMPLES  # noqa: F401 - test modules import it from here

# sample → (verdict, outcome kind). Valid signatures from issuers nobody here can
# reach are never "valid": the key binding cannot be confirmed offline.
SAMPLE_ANSWERS = {
    "simple.json": ("indeterminate", "key_unconfirmed"),
    "complete.json": ("indeterminate", "key_unconfirmed"),
    "simple-context-version.json": ("indeterminate", "key_unconfirmed"),
    "simple-multiple-proofs.json": ("indeterminate", "key_unconfirmed"),
    "simple-did-key-method.json": ("indeterminate", "key_unconfirmed"),
    "simple.jwt": ("indeterminate", "not_checked"),
    "simple-json.png": ("indeterminate", "key_unconfirmed"),
    "simple-json.svg": ("indeterminate", "key_unconfirmed"),
    "simple-jwt.png": ("indeterminate", "key_unconfirmed"),
    "simple-jwt.svg": ("indeterminate", "key_unconfirmed"),
    "simple-err-proof-value.json": ("invalid", "tampered"),
    "simple-err-expired.json": ("expired", "expired"),
    "simple-noproof.json": ("invalid", "not_signed"),
}


def org(slug: str) -> Organisation:
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


def issue(slug: str = "maasvallei-zorg-welzijn", email: str = "kandidaat@example.nl", **kw):
    """Issue one credential of the organisation's first published achievement."""
    issuer = org(slug)
    achievement = db.session.scalar(
        db.select(Achievement).filter_by(organisation_id=issuer.id, state=AchievementState.PUBLISHED)
        .order_by(Achievement.id).limit(1))
    request = issuing.IssueRequest(achievement=achievement, recipient_email=email,
                                   recipient_name="Vanessa de Vries", **kw)
    return issuing.issue(issuer, request).credential


@pytest.fixture
def ours(app, demo):
    """A fresh credential issued by a platform-verified college, inside the test transaction."""
    with app.app_context():
        yield issue()


@pytest.fixture
def make_credential(app, demo):
    with app.app_context():
        yield issue


def revoke(credential) -> None:
    issuing.change_state(credential, CredentialState.REVOKED, "fraude", actor_id=None)


def expired_kwargs() -> dict:
    now = utcnow()
    return {"valid_from": now - timedelta(days=400), "valid_until": now - timedelta(days=30)}


def tampered(document: dict) -> dict:
    """A copy with one changed letter in the achievement's name."""
    copy_ = copy.deepcopy(document)
    achievement = copy_["credentialSubject"]["achievement"]
    name = achievement["name"]
    achievement["name"] = name[:-1] + ("x" if name[-1] != "x" else "y")
    return copy_


def baked_png(credential) -> bytes:
    achievement = credential.achievement
    png = images.png_of(achievement.image, achievement.image_mime, achievement.name,
                        credential.organisation.colour)
    return baking.bake_png(png, credential.document)

"""Rotating BADGES_KEY_ENCRYPTION_SECRET end to end, as docs/production.md describes it.

1. keys are encrypted under the old secret;
2. deploy with the new secret and the old one in BADGES_KEY_ENCRYPTION_OLD_SECRETS:
   everything still signs (new keys are made under the new secret);
3. ``badges keys reencrypt --old-secret OLD`` moves every key to the new secret
   (keys already under it are left alone, so running it twice is harmless);
4. drop the old secret: everything still signs and verifies; the old secret
   alone no longer opens any key.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from badges import create_app
from badges.catalogue.models import Achievement
from badges.credentials.keys import KeyDecryptionError
from badges.demo.loader import load_demo
from badges.issuing import keystore
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState, SigningKey
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload

OLD, NEW = "old-key-encryption-secret", "new-key-encryption-secret"


def make_app(tmp_path: Path, secret: str, old: str = "") -> Flask:
    return create_app({
        "TESTING": True, "INSTANCE_DIR": str(tmp_path / "instance"), "BASE_URL": "http://localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rotation.sqlite3'}", "RATELIMIT_ENABLED": False,
        "KEY_ENCRYPTION_SECRET": secret, "KEY_ENCRYPTION_OLD_SECRETS": old,
    })


def issue_for(slug: str, email: str) -> Credential:
    org = db.session.scalar(db.select(Organisation).filter_by(slug=slug))
    ach = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id))
    return issuing.issue(org, issuing.IssueRequest(achievement=ach, recipient_email=email)).credential


def all_verdicts() -> set[str]:
    return {verify_upload(c.document)["verdict"] for c in db.session.scalars(
        db.select(Credential).where(Credential.recipient_email.like("%@rotation.example")))}


def close(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_secret_rotation_end_to_end(tmp_path: Path):
    first = make_app(tmp_path, OLD)
    with first.app_context():
        db.create_all()
        load_demo()
        issue_for("maasvallei-zorg-welzijn", "a@rotation.example")
        db.session.commit()
    close(first)

    during = make_app(tmp_path, NEW, old=OLD)
    with during.app_context():
        cred = issue_for("maasvallei-zorg-welzijn", "b@rotation.example")  # old key, old secret
        issuing.change_state(cred, CredentialState.REVOKED, "test", actor_id=None)  # re-signs the list
        keystore.rotate(db.session.scalar(db.select(Organisation).filter_by(slug="sv-osc-28")))
        issue_for("sv-osc-28", "c@rotation.example")  # its new key is made under the new secret
        assert all_verdicts() == {"valid", "revoked"}
    result = during.test_cli_runner().invoke(args=["keys", "reencrypt", "--old-secret", OLD])
    assert result.exit_code == 0, result.output
    assert "re-encrypted" in result.output
    assert result.output.split()[1] != "0"
    again = during.test_cli_runner().invoke(args=["keys", "reencrypt", "--old-secret", OLD])
    assert again.exit_code == 0, again.output
    close(during)

    after = make_app(tmp_path, NEW)
    with after.app_context():
        issue_for("maasvallei-zorg-welzijn", "d@rotation.example")
        for row in db.session.scalars(db.select(SigningKey)):
            keystore.decrypt(row)  # every key opens with the new secret alone
        assert all_verdicts() == {"valid", "revoked"}
    close(after)

    stale = make_app(tmp_path, OLD)
    with stale.app_context():
        row = db.session.scalars(db.select(SigningKey)).first()
        with pytest.raises(KeyDecryptionError):
            keystore.decrypt(row)
    close(stale)


def test_workers_starting_at_once_share_one_generated_secret(tmp_path: Path):
    """gunicorn starts several workers together; they must not each invent a secret."""
    from concurrent.futures import ThreadPoolExecutor

    from badges.kernel.config import load_config

    def start(_: int) -> str:
        return load_config({"INSTANCE_DIR": str(tmp_path)}, environ={})["SECRET_KEY"]

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(start, range(16)))
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]

"""scripts/backup and scripts/restore: every credential verifies as before after a restore.

Issue credentials, revoke and suspend some, back up with the real script,
restore into a fresh database and instance folder with the real script, and
verify every credential against an app that knows only the restored data.
SQLite always; PostgreSQL as well when BADGES_TEST_DATABASE_URL is set (the CI
rerun), with pg_dump -Fc / pg_restore.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from badges import create_app
from badges.catalogue.models import Achievement
from badges.credentials.keys import KeyDecryptionError
from badges.demo.loader import load_demo
from badges.issuing import keystore
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload
from tests.conftest import PROJECT

pytestmark = pytest.mark.postgres
PG_URL = os.environ.get("BADGES_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def make_app(instance: Path, url: str) -> Flask:
    """An app configured only by its instance folder and database, like production."""
    return create_app({"TESTING": True, "INSTANCE_DIR": str(instance), "DATABASE_URL": url,
                       "BASE_URL": "http://localhost", "RATELIMIT_ENABLED": False})


def _pg_admin(sql: str) -> None:
    import psycopg

    admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", PG_URL.rpartition("/")[0]) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def databases(request, tmp_path: Path, worker_id: str) -> Iterator[tuple[str, str]]:
    """(source URL, empty target URL) for the backend under test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'src.sqlite3'}", f"sqlite:///{tmp_path / 'restored' / 'db.sqlite3'}"
        return
    base, _, name = PG_URL.rpartition("/")
    names = [f"{name}_{worker_id}_bk_src", f"{name}_{worker_id}_bk_dst"]
    for dbname in names:
        _pg_admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{dbname}"')
    yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    for dbname in names:
        _pg_admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def script(name: str, *args: str, instance: Path, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BADGES_INSTANCE_DIR": str(instance), "BADGES_DATABASE_URL": url}
    env.pop("BADGES_SECRET_KEY", None)
    env.pop("BADGES_KEY_ENCRYPTION_SECRET", None)
    result = subprocess.run(["bash", str(PROJECT / "scripts" / name), *args], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def _issue_world() -> list[str]:
    """The demo (which may issue its own) plus five credentials, one revoked, one suspended."""
    load_demo()
    org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
    ach = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id, name="Basiszorg"))
    done = issuing.issue_many(org, [
        issuing.IssueRequest(achievement=ach, recipient_email=f"leerling{n}@example.nl")
        for n in range(5)])
    issuing.change_state(done[0].credential, CredentialState.REVOKED, "fraude", actor_id=None)
    issuing.change_state(done[1].credential, CredentialState.SUSPENDED, "onderzoek", actor_id=None)
    return [item.credential.uuid for item in done]


def _verdicts() -> dict[str, str]:
    return {c.uuid: verify_upload(c.document)["verdict"]
            for c in db.session.scalars(db.select(Credential))}


@pytest.mark.parametrize("databases", BACKENDS, indirect=True)
def test_backup_restore_keeps_every_credential_verifiable(databases, tmp_path: Path):
    source_url, target_url = databases
    source_instance, target_instance = tmp_path / "instance", tmp_path / "restored"
    source = make_app(source_instance, source_url)
    with source.app_context():
        db.create_all()
        mine = _issue_world()
        before = _verdicts()
        db.session.remove()
    assert [before[uuid] for uuid in mine] == ["revoked", "suspended", "valid", "valid", "valid"]
    assert (source_instance / "secret_key").exists()

    backup_dir = tmp_path / "backup"
    script("backup", str(backup_dir), instance=source_instance, url=source_url)
    assert {p.name for p in backup_dir.iterdir()} >= {"KIND", "secret_key", "SHA256SUMS"}
    script("restore", str(backup_dir), instance=target_instance, url=target_url)
    # Restoring over existing data needs --force.
    env = {**os.environ, "BADGES_INSTANCE_DIR": str(target_instance), "BADGES_DATABASE_URL": target_url}
    if source_url.startswith("sqlite"):
        again = subprocess.run(["bash", str(PROJECT / "scripts/restore"), str(backup_dir)],
                               env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode != 0 and "--force" in again.stderr

    restored = make_app(target_instance, target_url)
    with restored.app_context():
        assert _verdicts() == before
        # The restored secret decrypts the signing keys: issuing goes on.
        org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        ach = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id, name="Basiszorg"))
        new = issuing.issue(org, issuing.IssueRequest(achievement=ach, recipient_email="na@example.nl"))
        assert verify_upload(new.credential.document)["verdict"] == "valid"
        db.session.remove()
        db.engine.dispose()

    # Without the secret_key file the database alone cannot sign anything.
    keyless = make_app(tmp_path / "no-secret", target_url)
    with keyless.app_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        with pytest.raises(KeyDecryptionError):
            keystore.signing_key_for(org)
        db.session.remove()
        db.engine.dispose()
    with source.app_context():
        db.engine.dispose()

"""The demo gives every persona a passport worth showing, and a second run changes nothing."""

from __future__ import annotations

from badges.accounts.models import User
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.passport.models import ImportedCredential
from badges.trajectories import pathways
from tests.conftest import count_rows


def _user(email):
    return db.session.scalar(db.select(User).filter_by(email=email))


def _held(user):
    return db.session.scalars(db.select(Credential).filter_by(recipient_user_id=user.id)).all()


def test_vanessa_has_credentials_from_several_issuers_and_one_import(app, demo):
    with app.app_context():
        vanessa = _user("vanessa@example.nl")
        held = _held(vanessa)
        assert len(held) >= 3
        assert len({c.organisation_id for c in held}) >= 2
        [imported] = db.session.scalars(db.select(ImportedCredential).filter_by(
            user_id=vanessa.id)).all()
        assert imported.verdict == "valid" and imported.issuer_id.startswith("did:key:")
        [progress] = pathways.for_user(vanessa.id)
        assert (progress.count, progress.required) == (2, 3)
        assert all(c.state == CredentialState.ACTIVE for c in held)


def test_other_personas(app, demo):
    with app.app_context():
        names = {email: {c.achievement.name for c in _held(_user(email))}
                 for email in ("henk@example.nl", "ben@example.nl", "prucha@example.nl")}
        assert "Praktijkverklaring Timmerwerk renovatie" in names["henk@example.nl"]
        assert {"Veilig werken in de werkplaats", "Tekening lezen",
                "Verspanen 1"} <= names["ben@example.nl"]
        assert {"Digitale vaardigheden basis", "Jeugdtrainer"} <= names["prucha@example.nl"]
        states = [c for email in names for c in _held(_user(email))]
        assert any(c.state == CredentialState.REVOKED for c in states)
        assert any(c.valid_until and c.valid_until < utcnow() for c in states)


def test_second_run_changes_nothing(app):
    from badges.demo.loader import load_demo

    tables = ["credential", "imported_credential", "audit_event", "status_list"]
    with app.app_context():
        load_demo()
        counts = {t: count_rows(t) for t in tables}
        load_demo()
        assert {t: count_rows(t) for t in tables} == counts

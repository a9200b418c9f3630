"""Side effects of issuing hang off events published after the commit (kernel/events.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from badges.catalogue.models import Achievement
from badges.issuing import reissuing, status_lists
from badges.issuing import services as issuing
from badges.issuing.events import CredentialsIssued, CredentialStateChanged
from badges.issuing.models import Credential, CredentialState
from badges.kernel import events
from badges.kernel.db import db
from badges.organisations.models import Organisation


@dataclass(frozen=True)
class Happened:
    what: str


@pytest.fixture
def college(app, demo):
    with app.app_context():
        yield db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))


@pytest.fixture
def heard(app):
    """Subscribe a recorder for the test's duration; yields what it heard, in order."""
    seen: list[tuple[object, bool]] = []

    def listen(event: object) -> None:
        # Was anything still unpublished in an open transaction? Published only after commit.
        seen.append((event, bool(db.session.info.get(events.RECORDED))))

    for kind in (Happened, CredentialsIssued, CredentialStateChanged):
        events.subscribe(kind, listen)
    yield seen
    for kind in (Happened, CredentialsIssued, CredentialStateChanged):
        events._handlers[kind].remove(listen)


def _request(org: Organisation, email: str) -> issuing.IssueRequest:
    achievement = db.session.scalar(db.select(Achievement).filter_by(
        organisation_id=org.id, name="Basiszorg"))
    return issuing.IssueRequest(achievement=achievement, recipient_email=email,
                                recipient_name="Lerende")


class TestUnitOfWork:
    def test_an_event_is_published_only_after_commit(self, college, heard):
        events.record(Happened("one"))
        assert heard == []
        events.commit()
        assert [e for e, _ in heard] == [Happened("one")]

    def test_a_rolled_back_transaction_publishes_nothing(self, college, heard):
        events.record(Happened("lost"))
        db.session.rollback()
        events.commit()
        assert heard == []

    def test_muted_records_nothing(self, college, heard):
        with events.muted():
            events.record(Happened("demo"))
        events.commit()
        assert heard == []

    def test_a_handler_that_commits_has_its_events_published_after(self, college, heard):
        def chain(event: Happened) -> None:
            if event.what == "first":
                events.record(Happened("second"))
                events.commit()

        events.subscribe(Happened, chain)
        try:
            events.record(Happened("first"))
            events.commit()
        finally:
            events._handlers[Happened].remove(chain)
        assert [e.what for e, _ in heard] == ["first", "second"]


class TestIssuingPublishes:
    def test_issue_many_publishes_once_with_every_credential(self, college, heard):
        done = issuing.issue_many(college, [_request(college, f"ev{i}@example.nl")
                                            for i in range(3)])
        published = [e for e, _ in heard if isinstance(e, CredentialsIssued)]
        assert len(published) == 1
        assert [i.uuid for i in published[0].issued] == [i.uuid for i in done]
        assert all(not pending for _, pending in heard)

    def test_add_alone_publishes_nothing_until_the_caller_commits(self, college, heard):
        issuing.add(college, [_request(college, "later@example.nl")])
        assert heard == []
        events.commit()
        assert [type(e) for e, _ in heard] == [CredentialsIssued]

    def test_change_state_publishes_the_old_and_new_state(self, college, heard):
        cred = issuing.issue(college, _request(college, "state@example.nl")).credential
        issuing.change_state(cred, CredentialState.SUSPENDED, "check", actor_id=None)
        changed = [e for e, _ in heard if isinstance(e, CredentialStateChanged)]
        assert changed == [CredentialStateChanged(cred.id, CredentialState.SUSPENDED,
                                                  CredentialState.ACTIVE)]


class TestReissueIsOneTransaction:
    def test_a_failed_revocation_leaves_no_new_credential(self, college, heard, monkeypatch):
        old = issuing.issue(college, _request(college, "fout@example.nl")).credential
        before = db.session.scalar(db.select(db.func.count(Credential.id)))

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("status list unavailable")

        monkeypatch.setattr(status_lists, "set_bit", broken)  # revoking the old one fails
        with pytest.raises(RuntimeError):
            reissuing.reissue(old, revoke_old=True, reason="correctie", actor_id=None)
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Credential.id))) == before
        assert db.session.get(Credential, old.id).state == CredentialState.ACTIVE
        assert not [e for e, _ in heard if isinstance(e, CredentialsIssued)
                    and e.issued[0].uuid != old.uuid]

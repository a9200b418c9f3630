"""Merge two passports (#17 item 8): signed in as A, prove B with its password; everything
of B moves to A and B closes, audited."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from badges.accounts.models import EmailAddress, User
from badges.applications.models import AdviserGrant, Application
from badges.issuing.models import Credential
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.passport.models import ImportedCredential, ShareLink
from tests.conftest import post_form


def _user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=email))


def _count(model, column, user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(column == user_id))


def _things(user_id: int) -> dict[str, int]:
    return {
        "credentials": _count(Credential, Credential.recipient_user_id, user_id),
        "imports": _count(ImportedCredential, ImportedCredential.user_id, user_id),
        "shares": _count(ShareLink, ShareLink.user_id, user_id),
        "applications": _count(Application, Application.user_id, user_id),
        "grants": _count(AdviserGrant, AdviserGrant.learner_id, user_id),
    }


def test_everything_of_b_moves_to_a_and_b_closes(app, client, auth, demo):
    from badges.passport import share

    with app.test_request_context():
        henk, vanessa = _user("henk@example.nl"), _user("vanessa@example.nl")
        a, b = henk.id, vanessa.id
        first = db.session.scalar(db.select(Credential.uuid).filter_by(recipient_user_id=b))
        share.create_link(vanessa, "Voor de werkgever", [first], [])
        before_a, before_b = _things(a), _things(b)
    assert before_b["credentials"] and before_b["grants"] and before_b["shares"]
    auth.login("henk@example.nl")
    page = client.get("/account/merge")
    assert page.status_code == 200 and "Twee passen samenvoegen" in page.get_data(as_text=True)
    response = post_form(client, "/account/merge", {
        "email": "vanessa@example.nl", "password": "skillspas-demo", "confirm": "y"})
    assert response.status_code == 302 and response.location == "/passport/"
    with app.app_context():
        assert db.session.get(User, b) is None
        after = _things(a)
        assert after == {k: before_a[k] + before_b[k] for k in after}
        # Nothing anywhere still points at B.
        from badges.accounts.merging import user_columns

        for table, column in user_columns():
            left = db.session.scalar(select(func.count()).select_from(table).where(column == b))
            assert left == 0, f"{table.name}.{column.name} still points at the closed passport"
        # B's address is now a confirmed extra address of A; B's password no longer signs in.
        extra = db.session.scalar(db.select(EmailAddress).filter_by(email="vanessa@example.nl"))
        assert extra.user_id == a and extra.confirmed_at is not None
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="user.merge"))
        assert event.actor_user_id == a and event.details["merged_user_id"] == b
    auth.logout()
    assert auth.login("vanessa@example.nl").status_code == 200  # the form again: no account


def test_needs_the_other_passports_password(app, client, auth, demo):
    auth.login("henk@example.nl")
    response = post_form(client, "/account/merge", {
        "email": "vanessa@example.nl", "password": "not-her-password", "confirm": "y"})
    assert response.status_code == 422
    assert "horen niet bij een pas" in response.get_data(as_text=True)
    with app.app_context():
        assert _user("vanessa@example.nl") is not None


def test_not_with_itself_nor_without_confirming(app, client, auth, demo):
    auth.login("henk@example.nl")
    same = post_form(client, "/account/merge", {
        "email": "henk@example.nl", "password": "skillspas-demo", "confirm": "y"})
    assert same.status_code == 422 and "waarmee je nu bent ingelogd" in same.get_data(as_text=True)
    unconfirmed = post_form(client, "/account/merge", {
        "email": "vanessa@example.nl", "password": "skillspas-demo"})
    assert unconfirmed.status_code == 422
    with app.app_context():
        assert _user("vanessa@example.nl") is not None


def test_memberships_of_both_are_kept_once(app, client, auth, demo):
    """Both work for the same college: A keeps one membership, B's goes with B."""
    from badges.organisations.models import Membership

    with app.app_context():
        admin, docent = _user("beheer@rocdemaasvallei.example"), _user(
            "docent@rocdemaasvallei.example")
        orgs_a = {m.organisation_id for m in admin.memberships}
        orgs_b = {m.organisation_id for m in docent.memberships}
        a = admin.id
    assert orgs_a & orgs_b
    auth.login("beheer@rocdemaasvallei.example")
    response = post_form(client, "/account/merge", {
        "email": "docent@rocdemaasvallei.example", "password": "skillspas-demo", "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(db.select(Membership).filter_by(user_id=a)).all()
        assert sorted(m.organisation_id for m in rows) == sorted(orgs_a | orgs_b)


class TestMergeByMailedLink:
    """A passport without a password (started with eduID) is proven by a link to its address."""

    def _passwordless(self, app, email: str) -> int:
        from badges.kernel.models import utcnow

        with app.app_context():
            user = User(email=email, name="Zonder Wachtwoord", password_hash=None,
                        email_confirmed_at=utcnow())
            db.session.add(user)
            db.session.commit()
            return user.id

    def test_link_to_the_other_address_merges_for_the_signed_in_passport(self, app, client,
                                                                         auth, demo, mailbox):
        b = self._passwordless(app, "eduid.henk@example.org")
        auth.login("henk@example.nl")
        response = post_form(client, "/account/merge/link",
                             {"other_email": "eduid.henk@example.org"}, page="/account/merge")
        assert response.status_code == 302
        [mail] = [m for m in mailbox.sent if m.to == "eduid.henk@example.org"]
        link = re.search(r"http://localhost(/account/merge/confirm/\S+)", mail.text).group(1)
        # Someone else signed in cannot use it.
        other = app.test_client()
        post_form(other, "/login", {"email": "ben@example.nl", "password": "skillspas-demo"})
        assert other.get(link).status_code == 302
        assert post_form(other, link, {}, page="/account").status_code == 302
        with app.app_context():
            assert db.session.get(User, b) is not None
        page = client.get(link)
        assert page.status_code == 200 and "eduid.henk@example.org" in page.get_data(as_text=True)
        response = post_form(client, link, {})
        assert response.status_code == 302 and response.location == "/passport/"
        with app.app_context():
            assert db.session.get(User, b) is None
            extra = db.session.scalar(db.select(EmailAddress).filter_by(
                email="eduid.henk@example.org"))
            assert extra.user.email == "henk@example.nl"
        assert client.get(link).status_code == 302  # used: B is gone

    def test_same_answer_for_an_unknown_address(self, client, auth, demo, mailbox):
        auth.login("henk@example.nl")
        response = post_form(client, "/account/merge/link",
                             {"other_email": "niemand@example.org"}, page="/account/merge",
                             follow_redirects=True)
        assert "Als er een pas bij dit e-mailadres hoort" in response.get_data(as_text=True)
        assert mailbox.sent == []

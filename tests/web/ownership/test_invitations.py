"""Finding 1: an account made in a colleague's name gets nothing; people join by invitation."""

from __future__ import annotations

from datetime import timedelta

from badges.accounts.models import User
from badges.kernel.extensions import db
from badges.kernel.models import utcnow
from badges.organisations.models import Invitation, Membership, Organisation, Role
from tests.conftest import AuthActions, post_form
from tests.web.ownership.conftest import (
    ADMIN,
    COLLEGE,
    PASSWORD,
    link_in,
    mails_to,
    register,
    user,
)

PEOPLE = f"/issuer/{COLLEGE}/people"
NEW_TEACHER = "nieuwe.docent@rocdemaasvallei.example"


def membership(app, email: str) -> Membership | None:
    with app.app_context():
        return db.session.scalar(db.select(Membership).join(User).where(
            User.email == email, Membership.organisation.has(slug=COLLEGE)))


def invite(client, email: str, role: str = "issuer", name: str = ""):
    return post_form(client, PEOPLE, {"email": email, "name": name, "role": role})


def flash_after(client, response) -> str:
    html = client.get(response.location).get_data(as_text=True)
    return html.split('class="flashes"', 1)[1].split("</div>", 1)[0]


def test_pre_registration_takeover_is_stopped_and_the_real_owner_gets_in(app, demo, mailbox):
    attacker, admin, owner = app.test_client(), app.test_client(), app.test_client()
    # 1. Someone registers the colleague's address before she exists here.
    register(attacker, NEW_TEACHER, password="aanvaller-wachtwoord")
    AuthActions(attacker).login(NEW_TEACHER, "aanvaller-wachtwoord")
    # 2. The admin adds that address on "Mensen": an invitation, no membership.
    AuthActions(admin).login(ADMIN)
    response = invite(admin, NEW_TEACHER, name="Nieuwe Docent")
    assert response.status_code == 302
    assert membership(app, NEW_TEACHER) is None
    assert attacker.get(f"/issuer/{COLLEGE}/issue").status_code in {302, 403, 404}
    link = link_in(mailbox, NEW_TEACHER, "/uitnodiging/")
    invitation_mail = mails_to(mailbox, NEW_TEACHER)[-1].text
    assert "Ingrid Smits" in invitation_mail and "uitgeven" in invitation_mail
    assert any(NEW_TEACHER in m.text for m in mails_to(mailbox, ADMIN))  # admins are told
    # 3. Even holding the link, the unconfirmed account cannot accept.
    assert "Bevestig eerst je e-mailadres" in attacker.get(link).get_data(as_text=True)
    post_form(attacker, link, {"answer": "accept"})
    assert membership(app, NEW_TEACHER) is None
    # 4. The real owner tries to register, gets a mail at her address, takes the account over.
    register(owner, NEW_TEACHER)
    reset = link_in(mailbox, NEW_TEACHER, "/password/reset/")
    post_form(owner, reset, {"password": PASSWORD, "password2": PASSWORD})
    assert user(app, NEW_TEACHER).email_confirmed_at is not None  # the link proved the mailbox
    assert "Uitloggen" not in attacker.get("/").get_data(as_text=True)  # session ended
    # 5. Now she accepts, once.
    AuthActions(owner).login(NEW_TEACHER, PASSWORD)
    response = post_form(owner, link, {"answer": "accept"})
    assert response.status_code == 302 and f"/issuer/{COLLEGE}" in response.location
    assert membership(app, NEW_TEACHER).role == Role.ISSUER
    assert owner.get(f"/issuer/{COLLEGE}/issue").status_code == 200
    assert any("aangenomen" in m.text for m in mails_to(mailbox, ADMIN))
    assert owner.get(link).status_code == 404  # single use


class TestInvitation:
    def test_same_answer_whether_or_not_the_address_has_an_account(self, app, client, auth,
                                                                    demo, mailbox):
        auth.login(ADMIN)
        known = flash_after(client, invite(client, "henk@example.nl"))
        unknown = flash_after(client, invite(client, "onbekend@example.nl"))
        assert known.replace("henk@example.nl", "X") == unknown.replace("onbekend@example.nl", "X")
        assert membership(app, "henk@example.nl") is None  # an account gets no silent attach
        assert user(app, "onbekend@example.nl") is None  # and none is made for the unknown
        assert "/uitnodiging/" in mails_to(mailbox, "henk@example.nl")[-1].text
        assert "/uitnodiging/" in mails_to(mailbox, "onbekend@example.nl")[-1].text

    def test_invited_person_without_account_registers_confirms_and_accepts(
            self, app, client, auth, demo, mailbox):
        auth.login(ADMIN)
        invite(client, "onbekend@example.nl", role="viewer")
        auth.logout()
        link = link_in(mailbox, "onbekend@example.nl", "/uitnodiging/")
        html = client.get(link).get_data(as_text=True)
        assert f"/register?next={link}" in html and "Meekijken".lower() in html.lower()
        register(client, "onbekend@example.nl", next_=link)
        client.get(link_in(mailbox, "onbekend@example.nl", "/account/confirm/"))
        auth.login("onbekend@example.nl", PASSWORD)
        post_form(client, link, {"answer": "accept"})
        assert membership(app, "onbekend@example.nl").role == Role.VIEWER

    def test_another_account_cannot_accept(self, app, client, auth, demo, mailbox):
        auth.login(ADMIN)
        invite(client, "henk@example.nl")
        auth.logout()
        link = link_in(mailbox, "henk@example.nl", "/uitnodiging/")
        auth.login("ben@example.nl")
        assert "Deze uitnodiging is voor henk@example.nl" in client.get(link).get_data(
            as_text=True)
        post_form(client, link, {"answer": "accept"})
        assert membership(app, "ben@example.nl") is None
        assert membership(app, "henk@example.nl") is None

    def test_decline_ends_the_invitation(self, app, client, auth, demo, mailbox):
        auth.login(ADMIN)
        invite(client, "henk@example.nl")
        auth.logout()
        link = link_in(mailbox, "henk@example.nl", "/uitnodiging/")
        auth.login("henk@example.nl")
        post_form(client, link, {"answer": "decline"})
        assert membership(app, "henk@example.nl") is None
        assert client.get(link).status_code == 404

    def test_expired_invitation_does_not_work(self, app, client, auth, demo, mailbox):
        auth.login(ADMIN)
        invite(client, "henk@example.nl")
        auth.logout()
        link = link_in(mailbox, "henk@example.nl", "/uitnodiging/")
        with app.app_context():
            invitation = db.session.scalar(db.select(Invitation).filter_by(
                email="henk@example.nl"))
            assert invitation.expires_at - utcnow() > timedelta(days=13)
            invitation.expires_at = utcnow() - timedelta(minutes=1)
            db.session.commit()
        auth.login("henk@example.nl")
        assert client.get(link).status_code == 404
        post_form(client, link, {"answer": "accept"}, page="/")
        assert membership(app, "henk@example.nl") is None

    def test_open_invitations_are_listed_for_the_admin(self, app, client, auth, demo, mailbox):
        auth.login(ADMIN)
        invite(client, "onbekend@example.nl")
        assert "onbekend@example.nl" in client.get(PEOPLE).get_data(as_text=True)

    def test_admin_withdraws_an_invitation_and_its_link_stops_working(self, app, client, auth,
                                                                      demo, mailbox):
        auth.login(ADMIN)
        invite(client, "henk@example.nl")
        link = link_in(mailbox, "henk@example.nl", "/uitnodiging/")
        with app.app_context():
            invitation_id = db.session.scalar(db.select(Invitation.id).filter_by(
                email="henk@example.nl"))
        post_form(client, f"{PEOPLE}/invitations/{invitation_id}/withdraw", {"confirmed": "1"},
                  page=PEOPLE)
        assert "henk@example.nl" not in client.get(PEOPLE).get_data(as_text=True)
        auth.logout()
        auth.login("henk@example.nl")
        assert client.get(link).status_code == 404
        post_form(client, link, {"answer": "accept"}, page="/")
        assert membership(app, "henk@example.nl") is None


def test_the_platform_can_invite_a_new_organisations_first_admin(app, client, auth, demo,
                                                                   mailbox):
    """For `badges org create`: no inviter, and the link comes back to be printed once."""
    from badges.organisations import invitations

    with app.test_request_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
        _invitation, link = invitations.invite(org, "henk@example.nl", "Henk", Role.ADMIN,
                                               inviter=None)
    path = link.removeprefix("http://localhost")
    assert link_in(mailbox, "henk@example.nl", "/uitnodiging/") == path
    auth.login("henk@example.nl")
    post_form(client, path, {"answer": "accept"})
    assert membership(app, "henk@example.nl").role == Role.ADMIN

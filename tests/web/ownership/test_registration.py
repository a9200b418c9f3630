"""Registration proves nothing until the address is confirmed, and tells no one what exists."""

from __future__ import annotations

import re

from badges.accounts.models import User
from badges.kernel.extensions import db
from tests.conftest import post_form
from tests.web.ownership.conftest import PASSWORD, link_in, mails_to, register, user

BANNER = "Bevestig je e-mailadres"
FLASH = re.compile(r'<p class="flash[^"]*">(.*?)</p>', re.S)


class TestConfirmation:
    def test_new_account_is_unconfirmed_until_the_mailed_link_is_used(self, app, client, auth,
                                                                       mailbox):
        response = register(client, "nieuw@example.nl")
        assert response.status_code == 302 and "/login" in response.location
        assert user(app, "nieuw@example.nl").email_confirmed_at is None
        link = link_in(mailbox, "nieuw@example.nl", "/account/confirm/")
        auth.login("nieuw@example.nl", PASSWORD)
        assert BANNER in client.get("/passport").get_data(as_text=True)
        client.get(link)
        assert user(app, "nieuw@example.nl").email_confirmed_at is not None
        assert BANNER not in client.get("/passport").get_data(as_text=True)

    def test_unconfirmed_user_can_ask_for_the_link_again(self, app, client, auth, mailbox):
        register(client, "nieuw@example.nl")
        auth.login("nieuw@example.nl", PASSWORD)
        response = post_form(client, "/account/confirm/resend", {"next": "/passport"},
                             page="/passport")
        assert response.status_code == 302 and response.location.endswith("/passport")
        assert len(mails_to(mailbox, "nieuw@example.nl")) == 2
        client.get(link_in(mailbox, "nieuw@example.nl", "/account/confirm/"))
        assert user(app, "nieuw@example.nl").email_confirmed_at is not None

    def test_a_link_for_an_old_address_confirms_nothing(self, app, client, auth, mailbox):
        register(client, "nieuw@example.nl")
        link = link_in(mailbox, "nieuw@example.nl", "/account/confirm/")
        with app.app_context():
            db.session.scalar(db.select(User).filter_by(email="nieuw@example.nl")).email = \
                "ander@example.nl"
            db.session.commit()
        response = client.get(link, follow_redirects=True)
        assert "werkt niet (meer)" in response.get_data(as_text=True)
        assert user(app, "ander@example.nl").email_confirmed_at is None

    def test_demo_accounts_are_confirmed(self, app, demo):
        assert user(app, "vanessa@example.nl").email_confirmed_at is not None
        assert user(app, ADMIN_OF_DEMO).email_confirmed_at is not None


ADMIN_OF_DEMO = "beheer@rocdemaasvallei.example"


class TestNoEnumeration:
    def test_taken_address_gets_the_same_answer_and_its_owner_a_mail(self, app, client, demo,
                                                                      mailbox):
        new = register(client, "nieuw@example.nl")
        taken = register(client, "VANESSA@example.nl")
        assert taken.status_code == new.status_code == 302
        assert taken.location == new.location
        page_new = client.get("/login").get_data(as_text=True)  # shows the flash of the last
        assert "vanessa@example.nl" in page_new and "al een account" not in page_new
        mail = mails_to(mailbox, "vanessa@example.nl")[-1]
        assert "al een account" in mail.text and "/password/reset/" in mail.text
        assert user(app, "vanessa@example.nl").name != "Iemand"  # nothing changed

    def test_reset_answers_the_same_for_unknown_and_known_addresses(self, client, demo,
                                                                     mailbox):
        answers = []
        for email in ("ben@example.nl", "niemand@example.nl"):
            response = post_form(client, "/password/forgot", {"email": email})
            flash = FLASH.search(client.get(response.location).get_data(as_text=True))
            answers.append((response.status_code, response.location, flash.group(1)))
        assert answers[0] == answers[1] and "Als er een account" in answers[0][2]
        assert [m.to for m in mailbox.sent] == ["ben@example.nl"]

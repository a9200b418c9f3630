"""Extra email addresses: add, confirm by link (claiming what was sent there), remove."""

from __future__ import annotations

import re

from badges.accounts.models import EmailAddress
from badges.issuing.models import Credential
from badges.kernel.db import db
from tests.conftest import post_form
from tests.web.passport.conftest import issue


def _link(mail) -> str:
    return re.search(r"http://localhost(/passport/emails/confirm/\S+)", mail.text).group(1)


def _recipient(app, uuid):
    with app.app_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
        return cred.recipient.email if cred.recipient else None


class TestAddresses:
    def test_add_two_confirm_one_claims_what_was_sent_there(self, client, app, auth, demo,
                                                            mailer):
        with app.app_context():
            early = [issue("vanessa@roc.example").credential.uuid,
                     issue("vanessa@roc.example", "Basiszorg").credential.uuid]
            other = issue("vanessa@werk.example").credential.uuid
        auth.login("vanessa@example.nl")
        post_form(client, "/passport/emails", {"email": "Vanessa@ROC.example", "label": "school"})
        post_form(client, "/passport/emails", {"email": "vanessa@werk.example", "label": "work"})
        assert [m.to for m in mailer.sent] == ["vanessa@roc.example", "vanessa@werk.example"]
        html = client.get("/passport/emails").get_data(as_text=True)
        assert html.count("nog niet bevestigd") == 2
        assert all(_recipient(app, u) is None for u in early)  # not before confirmation

        response = client.get(_link(mailer.sent[0]), follow_redirects=True)
        assert "2 bewijzen voor dit adres staan nu in je pas" in response.get_data(as_text=True)
        assert all(_recipient(app, u) == "vanessa@example.nl" for u in early)
        assert _recipient(app, other) is None  # that address is not confirmed yet

        with app.app_context():  # later credentials to a confirmed address go straight in
            later = issue("vanessa@roc.example", "Hygiëne en veiligheid")
            assert later.claim_token is None
            assert later.credential.recipient.email == "vanessa@example.nl"

    def test_remove_address(self, client, app, auth, demo, mailer):
        auth.login("vanessa@example.nl")
        post_form(client, "/passport/emails", {"email": "weg@example.nl", "label": "private"})
        with app.app_context():
            address_id = db.session.scalar(db.select(EmailAddress.id).filter_by(
                email="weg@example.nl"))
        post_form(client, f"/passport/emails/{address_id}/remove", {}, page="/passport/emails")
        with app.app_context():
            assert db.session.get(EmailAddress, address_id) is None
        assert "Deze link werkt niet" in client.get(
            _link(mailer.sent[0]), follow_redirects=True).get_data(as_text=True)

    def test_address_of_another_account_is_not_mailed(self, client, auth, demo, mailer):
        auth.login("vanessa@example.nl")
        post_form(client, "/passport/emails", {"email": "henk@example.nl", "label": "work"})
        assert mailer.sent == []

    def test_duplicate_address_is_refused(self, client, auth, demo, mailer):
        auth.login("vanessa@example.nl")
        post_form(client, "/passport/emails", {"email": "dubbel@example.nl", "label": "work"})
        html = post_form(client, "/passport/emails",
                         {"email": "dubbel@example.nl", "label": "work"}).get_data(as_text=True)
        assert "staat al in je lijst" in html

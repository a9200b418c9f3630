"""Claim links expire; the issuer sends a new one or copies it (#15 item 12, #22 item 9)."""

from __future__ import annotations

import re
from datetime import timedelta

from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.kernel.models import utcnow
from tests.conftest import post_form
from tests.web.passport.conftest import issue

ISSUER = "docent@rocdemaasvallei.example"
COLLEGE = "/issuer/maasvallei-zorg-welzijn"


def _unclaimed(app, email="laat@example.nl") -> tuple[str, str]:
    with app.app_context():
        issued = issue(email)
        return issued.claim_token, issued.credential.uuid


def _age(app, uuid: str, days: int) -> None:
    """The link was sent ``days`` ago (as if the mail had waited that long)."""
    with app.app_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
        cred.issued_at = utcnow() - timedelta(days=days)
        if hasattr(cred, "claim_link_sent_at"):
            cred.claim_link_sent_at = cred.issued_at
        db.session.commit()


def test_a_link_older_than_90_days_is_expired_with_a_clear_page(app, client, auth, demo):
    token, uuid = _unclaimed(app)
    _age(app, uuid, 91)
    page = client.get(f"/claim/{token}")
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert "verlopen" in html and "Vraag Maasvallei College" in html
    auth.login("henk@example.nl")
    post_form(client, f"/claim/{token}", {}, page="/")
    with app.app_context():
        assert db.session.scalar(db.select(Credential).filter_by(uuid=uuid)).recipient_user_id is None


def test_a_link_of_89_days_still_works(app, client, demo):
    token, uuid = _unclaimed(app)
    _age(app, uuid, 89)
    assert client.get(f"/claim/{token}").status_code == 200


def test_the_issuer_resends_a_new_link_and_the_old_one_stops(app, client, auth, demo, mailer):
    token, uuid = _unclaimed(app)
    _age(app, uuid, 120)
    auth.login(ISSUER)
    detail = f"{COLLEGE}/credentials/{uuid}"
    assert "Stuur de claimlink opnieuw" in client.get(detail).get_data(as_text=True)
    response = post_form(client, f"{detail}/claim-link", {"action": "mail"}, page=detail)
    assert response.status_code == 302
    assert mailer.sent[-1].to == "laat@example.nl"
    new = re.search(r"/claim/([\w-]+)", mailer.sent[-1].text).group(1)
    assert new != token
    auth.logout()
    assert client.get(f"/claim/{token}").status_code == 404
    assert client.get(f"/claim/{new}").status_code == 200


def test_the_issuer_can_copy_a_new_link(app, client, auth, demo, mailer):
    token, uuid = _unclaimed(app)
    auth.login(ISSUER)
    detail = f"{COLLEGE}/credentials/{uuid}"
    response = post_form(client, f"{detail}/claim-link", {"action": "copy"}, page=detail)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    new = re.search(r'value="http://localhost/claim/([\w-]+)"', response.get_data(as_text=True))
    assert new and new.group(1) != token
    assert mailer.sent == []
    assert client.get(f"/claim/{new.group(1)}").status_code == 200

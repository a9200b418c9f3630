"""The issuer makes a new claim link to copy; the recipient of an old link sees it expired."""

from __future__ import annotations

from datetime import timedelta

from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.kernel.models import utcnow
from tests.browser.conftest import login
from tests.web.passport.conftest import issue


def _old_unclaimed(live_server, email: str) -> tuple[str, str]:
    with live_server.app.app_context():
        issued = issue(email)
        cred = db.session.get(Credential, issued.credential.id)
        cred.claim_link_sent_at = utcnow() - timedelta(days=100)
        db.session.commit()
        token, uuid = issued.claim_token, cred.uuid
        db.session.remove()
    return token, uuid


def test_expired_link_then_a_new_one_from_the_issuer(page, live_server, check_page, viewport):
    token, uuid = _old_unclaimed(live_server, f"claimlink-{viewport}@example.nl")
    page.goto(live_server(f"/claim/{token}"))
    page.get_by_role("heading", name="Deze link is verlopen").wait_for()
    check_page("verlopen link")

    login(page, live_server, "docent@rocdemaasvallei.example")
    page.goto(live_server(f"/issuer/maasvallei-zorg-welzijn/credentials/{uuid}"))
    page.get_by_role("button", name="Maak een link om te kopiëren").click()
    link = page.get_by_label("Nieuwe claimlink").input_value()
    assert "/claim/" in link and token not in link
    check_page("nieuwe claimlink")

"""Journey (phone, 390×844): Vanessa claims a badge sent to a new address, then shares two.

The ROC issues "Digitale vaardigheden basis" to an address Vanessa's account
does not know yet; the claim link comes from the real "you got a badge" email.
Vanessa logs in, claims it, sees it in her passport and skills overview and her
pathway progress, shares exactly two credentials with a link, an employer
(fresh browser, no login) sees those two checked as valid, and after she
revokes the link the employer sees nothing about her any more (410).
"""

from __future__ import annotations

import re
import uuid

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.organisations.models import Organisation
from tests.browser.conftest import SCREENSHOTS, VIEWPORTS, _slug, axe_violations, login

NEW_BADGE = "Digitale vaardigheden basis"
SHARED = (NEW_BADGE, "Basiszorg")
NOT_SHARED = ("Hygiëne en veiligheid", "Digitaal meedoen")


def _issue_and_capture_claim_link(live_server, email: str) -> str:
    """Issue through the service layer, send the email as the issuer page does, read the link."""
    from badges.issuing import services as issuing

    mailer = LogMailer()
    live_server.app.extensions["badges.mailer"] = mailer
    try:
        with live_server.app.test_request_context():
            org = db.session.scalar(db.select(Organisation).filter_by(slug="roc-de-maasvallei"))
            ach = db.session.scalar(db.select(Achievement).filter_by(name=NEW_BADGE))
            teacher = db.session.scalar(db.select(User).filter_by(
                email="docent@rocdemaasvallei.example"))
            issued = issuing.issue(org, issuing.IssueRequest(
                achievement=ach, recipient_email=email, recipient_name="Vanessa de Groot"),
                actor_id=teacher.id)
            assert issued.claim_token, "a credential for an unknown address needs a claim link"
            db.session.remove()
    finally:
        live_server.app.extensions.pop("badges.mailer", None)
    mails = [m for m in mailer.sent if m.to == email]
    assert len(mails) == 1, [m.to for m in mailer.sent]
    links = set(re.findall(re.escape(live_server("/claim/")) + r"[^\s]+", mails[0].text))
    assert len(links) == 1, mails[0].text  # one link (in the Dutch and the English part)
    return links.pop()


@pytest.mark.parametrize("viewport", ["mobile"])
def test_vanessa_claims_and_shares_two_credentials(page, live_server, check_page, chromium):
    work_email = f"vanessa-werk-{uuid.uuid4().hex[:8]}@example.nl"
    claim_link = _issue_and_capture_claim_link(live_server, work_email)

    login(page, live_server, "vanessa@example.nl")
    page.goto(claim_link)
    page.get_by_role("heading", name="Je hebt een bewijs gekregen").wait_for()
    assert NEW_BADGE in page.locator("main").inner_text()
    check_page("claim")
    page.get_by_role("button", name="Zet in mijn pas").click()
    page.get_by_text("Het bewijs staat nu in je pas.").wait_for()
    page.get_by_role("heading", name=NEW_BADGE).first.wait_for()
    check_page("claimed-credential")

    page.goto(live_server("/passport"))
    page.locator("main").get_by_text(NEW_BADGE).first.wait_for()
    check_page("passport")

    page.goto(live_server("/passport/skills"))
    page.get_by_role("heading", name="Mijn vaardigheden", level=1).wait_for()
    excel = page.locator("main li").filter(
        has=page.get_by_role("heading", name="Werken met Excel", exact=True))
    assert excel.get_by_role("link", name=NEW_BADGE).count() == 1, excel.inner_text()
    check_page("skills")

    page.goto(live_server("/passport/pathways"))
    kassa = page.locator("main").get_by_text("Van kassa naar zorg").first
    kassa.wait_for()
    assert "2 van 3" in page.locator("main").inner_text()
    check_page("pathways")

    # a link that shows exactly two credentials
    page.goto(live_server("/passport/share/new"))
    for name in SHARED:
        page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(name)}\b")).check()
    page.get_by_label("Naam van de link").fill("Sollicitatie zorgcentrum De Linde")
    check_page("share-new")
    page.get_by_role("button", name="Link maken").click()
    page.get_by_text("Je link is klaar.").wait_for()
    share_url = page.get_by_label("Kopieer dit adres").input_value()
    assert share_url.startswith(live_server("/s/")), share_url
    check_page("share-detail")

    # an employer opens it: no cookies, no login
    employer = chromium.new_context(viewport=VIEWPORTS["mobile"], locale="nl-NL", bypass_csp=True)
    employer.set_default_timeout(10_000)
    try:
        other = employer.new_page()
        errors: list[str] = []
        other.on("pageerror", lambda exc: errors.append(str(exc)))

        def check_other(name: str) -> None:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            other.screenshot(path=str(
                SCREENSHOTS / f"test-claim-share-journey--{_slug(name)}--mobile.png"),
                full_page=True)
            assert axe_violations(other) == [], f"{name} at {other.url}"

        response = other.goto(share_url)
        assert response.status == 200
        other.get_by_role("heading", name="Gedeelde bewijzen", level=1).wait_for()
        assert other.get_by_role("button", name="Uitloggen").count() == 0
        items = other.locator("main ul.share-items > li")
        assert items.count() == 2, other.locator("main").inner_text()
        names = sorted(items.nth(i).get_by_role("heading", level=2).inner_text()
                       for i in range(2))
        assert names == sorted(SHARED)
        for i in range(2):
            verdict = items.nth(i).locator(".share-verdict").inner_text()
            assert "geldig" in verdict.lower() and "niet" not in verdict.lower(), verdict
        text = other.locator("main").inner_text()
        for name in NOT_SHARED:
            assert name not in text, name
        assert work_email not in text and "vanessa@example.nl" not in text
        check_other("employer-sees-two")

        # Vanessa revokes; the employer's next visit shows nothing about her
        page.get_by_role("button", name="Link intrekken").click()
        page.get_by_text("De link werkt niet meer.").first.wait_for()
        check_page("share-revoked")

        response = other.goto(share_url)
        assert response.status == 410
        other.get_by_role("heading", name="Deze link werkt niet meer", level=1).wait_for()
        text = other.locator("body").inner_text()
        for leak in (*SHARED, "Vanessa", "de Groot", work_email):
            assert leak not in text, leak
        check_other("employer-after-revoke")
        assert errors == [], f"JavaScript errors: {errors}"
    finally:
        employer.close()

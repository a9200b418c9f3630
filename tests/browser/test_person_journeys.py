"""Issue #22: one journey per person, end to end by links, at phone (390×844) and laptop size.

Learner, teacher (college issuer), club volunteer (community issuer), employer who checks
(no account) and adviser (read-only access a learner granted). Each person starts where
they really would (the login page, a share link, a mail link, /verify) and then clicks on.
Every page state gets a screenshot and an axe-core check; on a phone no page may scroll
sideways.

The module has its own server: the teacher journey needs more than one page of log rows.
Both viewports share it, so what a journey creates carries the viewport and a random tag.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from babel.dates import format_date

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.kernel.media import pdf as pdf_base
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation
from tests import pdf_support
from tests.browser.conftest import DEMO_PASSWORD, LiveServer, login, logout, serve

COLLEGE = "maasvallei-zorg-welzijn"
TEACHER = "docent@rocdemaasvallei.example"
COLLEGE_ADMIN = "beheer@rocdemaasvallei.example"
VOLUNTEER = "trainer@osc28.example"
ADVISER = "adviseur@oss.example"
EARNED = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """This module's own server (demo loaded), with a mailer whose mails the tests read."""
    with serve(tmp_path_factory.mktemp("persons")) as server:
        server.app.extensions["badges.mailer"] = LogMailer()
        yield server


def _mails(live_server: LiveServer) -> LogMailer:
    return live_server.app.extensions["badges.mailer"]


def _no_sideways_scroll(page) -> None:
    """Nothing sticks out: the page is no wider than the window (at 390 px too)."""
    wide = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"{page.url} is {wide[0]}px wide in a {wide[1]}px window"


@pytest.fixture
def look(check_page, page):
    """Screenshot, axe (nothing serious or critical) and no sideways scrolling."""

    def check(name: str) -> None:
        check_page(name)
        _no_sideways_scroll(page)

    return check


def _tag(page) -> str:
    return f"{page.viewport_size['width']}-{uuid.uuid4().hex[:6]}"


def _account(email: str, name: str) -> User:
    """A learner account with a confirmed address (as after clicking the confirmation mail)."""
    from badges.accounts import services as accounts

    user = accounts.register(email, name, DEMO_PASSWORD)
    assert user is not None
    user.email_confirmed_at = utcnow()
    db.session.commit()
    return user


def _issue(email: str, name: str, achievement: str = "Basiszorg", **extra: object):
    """Issue as the college's teacher does, through the service."""
    from badges.issuing import services as issuing

    org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
    ach = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id,
                                                             name=achievement))
    teacher = db.session.scalar(db.select(User).filter_by(email=TEACHER))
    return issuing.issue(org, issuing.IssueRequest(
        achievement=ach, recipient_email=email, recipient_name=name, **extra),
        actor_id=teacher.id).credential


def _open_account_menu(page):
    menu = page.get_by_role("navigation", name="Account")
    if not menu.get_by_role("button", name="Uitloggen").is_visible():
        menu.locator("summary").click()
    return menu


# --- Learner -------------------------------------------------------------------------------

def test_learner_account_sharing_downloads_and_privacy(page, live_server, look, monkeypatch,
                                                       tmp_path):
    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)  # core font: the PDF text reads back
    tag = _tag(page)
    email, name = f"fatima-{tag}@example.nl", "Fatima El Amrani"
    with live_server.app.test_request_context():
        _account(email, name)
        _issue(email, name, valid_from=EARNED)
        db.session.remove()

    page.goto(live_server("/login"))
    look("login")
    login(page, live_server, email)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn pas").click()
    card = page.locator("main").get_by_role("link", name="Basiszorg")
    card.wait_for()
    main = page.locator("main")
    assert "14 maart 2025" in main.inner_text()  # the day it was earned, not today
    page.get_by_role("heading", name="Delen").wait_for()
    page.get_by_role("heading", name="Downloaden").wait_for()
    look("passport")

    menu = _open_account_menu(page)
    assert name in menu.locator("summary").inner_text()  # who is logged in
    menu.get_by_text(email).wait_for()
    hrefs = {a.get_attribute("href") for a in menu.get_by_role("link").all()}
    for where in ("/account", "/privacy", "/passport/account"):  # account, privacy, data, delete
        assert any(h.split("#")[0].endswith(where) for h in hrefs), (where, hrefs)
    look("account menu open")

    # the printable overview: a tagged PDF with the day it was earned
    with page.expect_download() as download:
        page.get_by_role("link", name="Overzicht om te printen (PDF)").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF")
    tagged = pdf_support.read(data, core_fonts=True)
    assert tagged.marked and tagged.lang.startswith("nl"), tagged
    entry = pdf_support.text(data).split("Basiszorg", 1)[-1]  # the credential's own rows
    assert "14 maart 2025" in entry, entry
    today = format_date(utcnow().date(), format="long", locale="nl")
    assert today not in entry, f"the PDF shows today ({today}) instead of the earned date"

    # account page → change the password
    menu = _open_account_menu(page)
    menu.get_by_role("link", name="Mijn account").click()
    page.get_by_role("heading", name="Mijn account", level=1).wait_for()
    gap = page.evaluate("""() => {
        const [a, b] = document.querySelectorAll('main section.card');
        return b.getBoundingClientRect().top - a.getBoundingClientRect().bottom; }""")
    assert gap >= 8, f"the account page's cards touch ({gap}px apart)"
    look("account")
    page.locator("main").get_by_role("link", name=re.compile("Wachtwoord wijzigen")).click()
    page.get_by_label("Je huidige wachtwoord").wait_for()
    look("change password")
    page.get_by_label("Je huidige wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_label("Nieuw wachtwoord").fill("een-nieuw-lang-wachtwoord")
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill("een-nieuw-lang-wachtwoord")
    page.locator("main form").get_by_role("button").click()
    page.locator(".flash-success").wait_for()
    page.get_by_role("heading", name="Mijn account", level=1).wait_for()
    look("password changed")

    # privacy statement from the footer, on every page
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    page.get_by_role("heading", name="Privacyverklaring", level=1).wait_for()
    look("privacy")
    logout(page)
    login(page, live_server, email, "een-nieuw-lang-wachtwoord")  # the new one works


# --- Employer who checks (no account) ------------------------------------------------------

def test_employer_checks_a_shared_credential(page, live_server, look, tmp_path):
    from badges.passport import share

    tag = _tag(page)
    email, name = f"sanne-{tag}@example.nl", "Sanne Jansen"
    with live_server.app.test_request_context():
        learner = _account(email, name)
        linde = db.session.scalar(db.select(Organisation).filter_by(slug="zorggroep-de-linde"))
        cred = _issue(email, name, assessor="Petra Smit", source=linde, evidence=[{
            "name": "Praktijkopdracht", "narrative": "Heeft drie weken zelfstandig ochtendzorg "
            "gegeven op afdeling De Berk."}])
        link = share.create_link(learner, "Sollicitatie", [cred.uuid], [])
        share_url = share.share_url(link.token)
        db.session.remove()

    # the candidate mailed the share link
    page.goto(share_url)
    page.get_by_role("heading", name="Gedeelde bewijzen", level=1).wait_for()
    main = page.locator("main")
    assert name in main.inner_text()
    assert page.get_by_role("navigation", name="Account").count() == 0  # no account needed
    look("share page")

    page.get_by_role("link", name=re.compile("Zelf controleren")).click()
    verdict = page.locator("section.verdict")
    verdict.wait_for()
    assert verdict.get_attribute("data-kind") == "valid"
    holder = page.get_by_role("region", name=re.compile("Van wie"))
    assert name in holder.inner_text()
    text = main.inner_text()
    for seen in ("zelfstandig ochtendzorg", "Petra Smit", "Zorggroep De Linde"):
        assert seen in text, seen
    technical = page.locator("details.verify-checks")
    assert technical.get_attribute("open") is None  # behind a disclosure
    assert not technical.locator("ul.checks").is_visible()
    look("verified from share link")
    technical.locator("summary").click()
    technical.locator("ul.checks").wait_for()
    look("technical details open")

    # the file from the share page, checked against the other address the candidate gave
    page.go_back()
    page.get_by_role("heading", name="Gedeelde bewijzen", level=1).wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^JSON")).first.click()
    good = tmp_path / "bewijs.json"
    good.write_bytes(download.value.path().read_bytes())
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Controleren").click()
    page.get_by_role("heading", level=1).wait_for()
    look("verify form")
    page.get_by_label("Bestand", exact=False).first.set_input_files(str(good))
    page.get_by_label(re.compile("E-mailadres van de kandidaat")).fill(f"sanne.prive-{tag}@example.nl")
    page.get_by_role("button", name="Controleren").click()
    verdict.wait_for()
    # genuine and valid stays the answer; the address is a separate, milder remark
    assert verdict.get_attribute("data-kind") == "valid"
    assert "ongeldig" not in verdict.inner_text().lower()
    mismatch = page.locator("[data-address=mismatch]")
    assert mismatch.is_visible()
    assert verdict.locator("[data-address]").count() == 0
    look("genuine but other address")

    # a copy with changed text: not shown as if it were true
    doc = json.loads(good.read_text())
    doc["name"] = "Verpleegkundige niveau 6"
    if isinstance(doc.get("credentialSubject", {}).get("achievement"), dict):
        doc["credentialSubject"]["achievement"]["name"] = "Verpleegkundige niveau 6"
    forged = tmp_path / "bewijs-kopie.json"
    forged.write_text(json.dumps(doc))
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Controleren").click()
    page.get_by_label("Bestand", exact=False).first.set_input_files(str(forged))
    page.get_by_role("button", name="Controleren").click()
    verdict.wait_for()
    assert verdict.get_attribute("data-kind") != "valid"
    assert "verdict-bad" in verdict.get_attribute("class")
    assert not page.get_by_text("Verpleegkundige niveau 6").first.is_visible()
    assert page.get_by_role("region", name=re.compile("Van wie")).count() == 0
    look("tampered")


# --- Teacher (college issuer) and the college's admin ---------------------------------------

def _a_class_got_badges(live_server: LiveServer, tag: str, count: int = 51) -> None:
    """A whole class got a badge from the teacher before: more log rows than one page holds."""
    from badges.issuing import services as issuing
    from badges.kernel import events

    with live_server.app.test_request_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
        ach = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id,
                                                                 name="Hygiëne en veiligheid"))
        teacher = db.session.scalar(db.select(User).filter_by(email=TEACHER))
        with events.muted():
            issuing.issue_many(org, [issuing.IssueRequest(
                achievement=ach, recipient_email=f"klas-{tag}-{i}@example.nl",
                recipient_name=f"Student {i}") for i in range(count)], actor_id=teacher.id)
        db.session.remove()


def test_teacher_issues_revokes_and_the_admin_reads_the_log(page, live_server, look):
    tag = _tag(page)
    email, name = f"daan-{tag}@example.nl", "Daan de Wit"
    badge = "Zorg voor mensen met dementie"
    with live_server.app.test_request_context():
        _account(email, name)
        db.session.remove()
    _a_class_got_badges(live_server, tag)

    login(page, live_server, TEACHER)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitgeven").click()
    page.locator("main").get_by_role("link", name="Maasvallei College Zorg & Welzijn").click()
    tabs = page.get_by_role("navigation", name=re.compile("^Onderdelen van"))
    tabs.get_by_role("link", name="Uitgeven", exact=True).click()
    page.get_by_label("Prestatie").wait_for()
    look("issue form")
    page.get_by_label("Prestatie").select_option(label=badge)
    page.get_by_label("Naam van de ontvanger").fill("Daan Wit")  # not the name on his account
    page.get_by_label("E-mailadres van de ontvanger").fill(email)
    page.locator("main form").get_by_role("button", name=re.compile("Uitgeven")).click()
    confirm_name = page.locator("input[name=name_confirmed]")
    confirm_name.wait_for()  # asked before issuing under a second name
    assert not confirm_name.is_checked()
    look("name differs from account")
    page.get_by_label("Naam van de ontvanger").fill(name)
    page.locator("main form").get_by_role("button", name=re.compile("Uitgeven")).click()
    page.get_by_role("heading", name=badge, level=1).wait_for()
    assert email in page.locator("main").inner_text()
    look("issued")

    # the same badge again for the same person: asked first, with a link to the one he holds
    tabs.get_by_role("link", name="Uitgeven", exact=True).click()
    page.get_by_label("Prestatie").select_option(label=badge)
    page.get_by_label("Naam van de ontvanger").fill(name)
    page.get_by_label("E-mailadres van de ontvanger").fill(email)
    page.locator("main form").get_by_role("button", name=re.compile("Uitgeven")).click()
    again = page.locator("input[name=again_confirmed]")
    again.wait_for()
    assert not again.is_checked()
    held = page.locator("#held-already").get_by_role("link")
    assert held.count() == 1
    look("already holds it")
    held.click()  # the teacher goes to the one he already has instead
    page.get_by_role("heading", name=badge, level=1).wait_for()

    # revoking asks first, on a page that names the person and the badge
    page.get_by_role("link", name=re.compile("^Intrekken")).click()
    title = page.get_by_role("heading", level=1)
    title.wait_for()
    assert name in title.inner_text()
    assert badge in page.locator("main dl").inner_text()
    reason = page.get_by_label(re.compile("Reden"))
    assert reason.input_value() == ""
    look("revoke confirmation")
    reason.fill(f"Verkeerde groep {tag}")
    page.get_by_role("button", name=re.compile("intrekken", re.I)).click()
    page.get_by_role("heading", name=badge, level=1).wait_for()
    assert "Ingetrokken" in page.locator("main").inner_text()
    assert "UTC" not in page.locator("main").inner_text()  # Dutch local time, as in the log
    assert page.get_by_role("link", name=re.compile("^Intrekken")).count() == 0
    look("revoked")
    logout(page)

    # the college's admin reads the log: pages, a filter, a link to the credential
    login(page, live_server, COLLEGE_ADMIN)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitgeven").click()
    page.locator("main").get_by_role("link", name="Maasvallei College Zorg & Welzijn").click()
    tabs.get_by_role("link", name="Logboek").click()
    page.get_by_role("heading", name="Logboek", level=1).wait_for()
    assert re.search(r"Pagina 1 van \d+", page.locator("main").inner_text())
    look("audit log")
    teacher_name = _name_of(live_server, TEACHER)
    page.get_by_label("Wie").select_option(label=teacher_name)
    page.get_by_role("button", name="Tonen").click()
    page.get_by_role("link", name=re.compile("Volgende")).click()  # still paged when filtered
    page.get_by_text(re.compile(r"Pagina 2 van \d+")).wait_for()
    assert page.get_by_label("Wie").evaluate("e => e.selectedOptions[0].text") == teacher_name
    issued_row = page.locator("main tbody tr").first
    assert issued_row.locator("td").nth(3).inner_text().strip() == ""  # nothing to tell
    if page.viewport_size["width"] < 640:  # stacked rows: no empty "Details" label
        assert not issued_row.locator("td").nth(3).is_visible()
    look("audit log page 2 filtered")
    page.get_by_label("Wat").select_option(label="Bewijs ingetrokken")
    page.get_by_role("button", name="Tonen").click()
    row = page.locator("main tbody tr").filter(has_text=f"Verkeerde groep {tag}")
    row.wait_for()
    assert teacher_name in row.inner_text()
    look("audit log revoked")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).click()
    csv = download.value.path().read_text(encoding="utf-8-sig")
    assert f"Verkeerde groep {tag}" in csv and "Bewijs ingetrokken" in csv, csv
    row.get_by_role("link", name="Bekijk het bewijs").click()
    page.get_by_role("heading", name=badge, level=1).wait_for()
    assert name in page.locator("main").inner_text()


def _name_of(live_server: LiveServer, email: str) -> str:
    with live_server.app.app_context():
        found = db.session.scalar(db.select(User.name).filter_by(email=email))
        db.session.remove()
    return found


# --- Club volunteer (community organisation) -----------------------------------------------

def test_club_volunteer_makes_a_code_and_a_member_claims_it(page, live_server, look):
    tag = _tag(page)
    title = f"Scheidsrechterscursus {tag}"
    login(page, live_server, VOLUNTEER)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitgeven").click()
    tabs = page.get_by_role("navigation", name=re.compile("^Onderdelen van"))
    tabs.wait_for()
    shown = [t.strip() for t in tabs.get_by_role("link").all_inner_texts()]
    for not_for_a_club in ("Trajecten", "Trajecten beoordelen", "Inloggen via instelling"):
        assert not_for_a_club not in shown, shown
    assert "Codes" in shown and "Uitgeven" in shown
    look("club workspace")

    tabs.get_by_role("link", name="Codes").click()
    page.get_by_role("link", name="Nieuwe code").click()
    page.get_by_label("Bewijs").select_option(label="Samenwerken in het team")
    page.get_by_label("Naam van de code").fill(title)
    page.get_by_label("Hoeveel mensen mogen de code gebruiken?").fill("20")
    look("new code")
    page.get_by_role("button", name="Code maken").click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    code = page.locator(".code-big code").inner_text().strip()
    look("code detail")
    page.get_by_role("link", name="Poster om te printen").click()
    page.locator(".poster-qr svg").wait_for()
    assert code in page.locator(".code-big").inner_text()
    look("poster")
    page.go_back()
    logout(page)

    # a member types the code from the poster, then follows the mail link
    member = f"lid-{tag}@example.nl"
    page.goto(live_server("/c"))
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("heading", level=1).wait_for()
    assert "Samenwerken in het team" in page.locator("main").inner_text()
    look("member claim form")
    page.get_by_label("Je naam").fill("Lotte Bakker")
    page.get_by_label("Je e-mailadres").fill(member)
    page.get_by_role("button", name="Bewijs ophalen").click()
    page.get_by_role("heading", name="Kijk in je mail").wait_for()
    look("check your mail")
    mail = next(m for m in reversed(_mails(live_server).sent) if m.to == member)
    page.goto(re.search(r"(http://\S+/c/bevestig/\S+)", mail.text).group(1))
    page.get_by_role("heading", name="Gelukt!", level=1).wait_for()
    look("member claimed")


# --- Adviser (read-only, as long as the learner allows) ------------------------------------

def test_adviser_reads_a_learners_passport(page, live_server, look):
    login(page, live_server, ADVISER)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Adviseren").click()
    page.get_by_role("heading", level=1).wait_for()
    grants = page.locator("main ul").filter(has=page.get_by_role("link", name="Vanessa de Groot"))
    assert grants.evaluate("e => getComputedStyle(e).listStyleType") == "none"  # cards, no bullets
    look("adviser list")
    page.locator("main").get_by_role("link", name="Vanessa de Groot").click()
    page.get_by_role("heading", name=re.compile("Vanessa de Groot"), level=1).wait_for()
    main = page.locator("main")
    for section in ("Vaardigheden", "Op weg naar", "Wat nu?"):
        main.get_by_role("heading", name=section, exact=True).wait_for()
    text = main.inner_text()
    assert "Ondersteunen bij persoonlijke verzorging" in text  # a skill
    assert "Van kassa naar zorg" in text  # a pathway
    ideas = main.locator("section").filter(
        has=page.get_by_role("heading", name="Wat nu?", exact=True)).inner_text()
    assert "Vanessa de Groot heeft al" in ideas  # about her, not to the adviser
    assert "Je hebt al" not in ideas and "voor jou" not in ideas, ideas
    cards = main.locator("section").filter(
        has=page.get_by_role("heading", name="Bewijzen", exact=True)).locator("ul").first
    assert cards.evaluate("e => getComputedStyle(e).listStyleType") == "none"  # no stray bullets
    # read-only: nothing to fill in or press
    assert main.locator("form, input, textarea, select").count() == 0
    assert main.get_by_role("button").count() == 0
    look("adviser learner view")
    main.get_by_role("link", name="Op weg naar", exact=True).click()  # in-page jump
    main.get_by_role("link", name="Basiszorg").first.click()
    verdict = page.locator("section.verdict")
    verdict.wait_for()
    assert verdict.get_attribute("data-kind") == "valid"
    look("adviser opens a credential")

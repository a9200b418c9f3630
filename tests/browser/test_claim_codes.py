"""Journey: a club trainer makes a claim code and prints the poster; ten people claim it on a
phone and the eleventh hears the code is full; the trainer approves a pending claim."""

from __future__ import annotations

import re
import uuid

import pytest

from badges.kernel.mail import LogMailer
from tests.browser.conftest import login, logout

CLUB = "sv-osc-28"


def _make_code(page, live_server, title: str, *, max_claims: int, approval: bool) -> str:
    page.goto(live_server(f"/issuer/{CLUB}"))
    page.get_by_role("navigation", name="Onderdelen van").get_by_role("link", name="Codes").click()
    page.get_by_role("link", name="Nieuwe code").click()
    page.get_by_label("Bewijs").select_option(label="Samenwerken in het team")
    page.get_by_label("Naam van de code").fill(title)
    page.get_by_label("Hoeveel mensen mogen de code gebruiken?").fill(str(max_claims))
    if approval:
        page.get_by_label("Ik keur elke aanvraag eerst zelf goed").check()
    page.get_by_role("button", name="Code maken").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    return page.locator(".code-big code").inner_text()


def _claim(page, live_server, mailer: LogMailer, code: str, email: str) -> str:
    page.goto(live_server(f"/c/{code}"))
    page.get_by_label("Je naam").fill("Lid " + email.split("@")[0])
    page.get_by_label("Je e-mailadres").fill(email)
    page.get_by_role("button", name="Bewijs ophalen").click()
    page.get_by_role("heading", name="Kijk in je mail").wait_for()
    mail = next(m for m in reversed(mailer.sent) if m.to == email)
    page.goto(re.search(r"(http://\S+/c/bevestig/\S+)", mail.text).group(1))
    return page.get_by_role("heading", level=1).inner_text()


@pytest.mark.parametrize("viewport", ["mobile"], indirect=True)
def test_trainer_code_poster_ten_claims_and_an_approval(page, live_server, check_page):
    mailer = LogMailer()
    live_server.app.extensions["badges.mailer"] = mailer
    run = uuid.uuid4().hex[:6]
    login(page, live_server, "trainer@osc28.example")
    code = _make_code(page, live_server, f"Training {run}", max_claims=10, approval=False)
    check_page("code detail")
    page.get_by_role("link", name="Poster om te printen").click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.locator(".poster-qr svg").count() == 1 and code in page.locator(".code-big").inner_text()
    check_page("poster")
    page.go_back()
    logout(page)

    for i in range(10):
        assert _claim(page, live_server, mailer, code, f"lid{i}-{run}@example.nl") == "Gelukt!"
    check_page("claimed")
    page.goto(live_server(f"/c/{code}"))
    assert "Alle plekken voor deze code zijn al vergeven." in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Bewijs ophalen").count() == 0

    login(page, live_server, "trainer@osc28.example")
    pending_code = _make_code(page, live_server, f"Met goedkeuring {run}", max_claims=5, approval=True)
    logout(page)
    email = f"wacht-{run}@example.nl"
    assert _claim(page, live_server, mailer, pending_code, email) == "Je e-mailadres is bevestigd"
    login(page, live_server, "trainer@osc28.example")
    page.goto(live_server(f"/issuer/{CLUB}/codes"))
    page.get_by_role("link", name=f"Met goedkeuring {run}").click()
    check_page("pending claim")
    page.get_by_role("button", name="Goedkeuren").click()
    assert "Goedgekeurd: het bewijs is uitgegeven." in page.locator("main").inner_text()
    assert any(m.to == email and "claim" in m.text for m in mailer.sent)

"""Sign in with eduID in Chromium, against a real OpenID Provider on loopback
(tests/oidc_provider: panva's oidc-provider), the whole way: our login page, the
provider's page, the callback, the first-sign-in page, the passport, signing out.

The app here is its own live server (demo loaded) with one provider, "eduID".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.browser.conftest import DEMO_PASSWORD, LiveServer, _free_port, login, logout, serve
from tests.oidc_op import running_provider


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Overrides the shared live server: this one signs in with the test provider."""
    port = _free_port()
    callback = f"http://127.0.0.1:{port}/auth/oidc/eduid/callback"
    with running_provider([callback]) as op, serve(
            tmp_path_factory.mktemp("live-oidc"), port=port,
            OIDC_PROVIDERS={"eduid": op.config("eduID")}) as server:
        yield server


def _to_provider(page, live_server: LiveServer) -> None:
    page.goto(live_server("/login"))
    page.get_by_role("link", name="Inloggen met eduID").click()
    page.get_by_role("heading", name="Test OpenID Provider").wait_for()


def _at_provider(page, sub: str, email: str, name: str = "", *, verified: bool = True,
                 tamper_nonce: bool = False, tamper_state: bool = False) -> None:
    page.get_by_label("Subject").fill(sub)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email verified").set_checked(verified)
    page.get_by_label("Tamper with the nonce (test)").set_checked(tamper_nonce)
    page.get_by_label("Tamper with the state (test)").set_checked(tamper_state)
    page.get_by_role("button", name="Sign in").click()


def _error(page) -> str:
    flash = page.locator(".flash-error")
    flash.wait_for()
    return flash.inner_text()


def test_first_sign_in_starts_a_passport_then_signs_in_at_once(page, live_server, viewport,
                                                               check_page):
    _to_provider(page, live_server)
    _at_provider(page, f"eduid-new-{viewport}", f"Nieuw.{viewport}@Example.org", "Noor Nieuw")
    page.get_by_role("heading", name="Eerste keer inloggen met eduID").wait_for()
    check_page("oidc-welcome")
    page.get_by_text(f"nieuw.{viewport}@example.org").first.wait_for()
    assert page.get_by_label("Je naam").input_value() == "Noor Nieuw"
    page.get_by_role("button", name="Nieuwe pas maken").click()
    page.wait_for_url(re.compile(r"/passport/$"))
    page.get_by_text("Welkom! Je pas is klaar.").wait_for()
    logout(page)
    # Next time: straight into the passport (the provider still knows this browser).
    page.goto(live_server("/login"))
    page.get_by_role("link", name="Inloggen met eduID").click()
    page.wait_for_url(re.compile(r"/passport/$"))
    page.goto(live_server("/account"))
    page.get_by_text(f"Met eduID (nieuw.{viewport}@example.org)").wait_for()
    check_page("account-sign-in-methods")
    logout(page)


def test_link_eduid_to_an_existing_passport(page, live_server, viewport):
    learner = {"mobile": "ben@example.nl", "desktop": "prucha@example.nl"}[viewport]
    _to_provider(page, live_server)
    _at_provider(page, f"eduid-link-{viewport}", f"prive-{viewport}@example.org")
    form = page.locator("form", has=page.get_by_role("button", name="Koppelen aan mijn pas"))
    form.get_by_label("E-mailadres van je pas").fill(learner)
    form.get_by_label("Wachtwoord van je pas").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Koppelen aan mijn pas").click()
    page.wait_for_url(re.compile(r"/passport/$"))
    page.get_by_text("Je pas is gekoppeld").wait_for()
    page.goto(live_server("/account"))
    page.get_by_text(f"Met eduID (prive-{viewport}@example.org)").wait_for()
    page.get_by_text("Met je e-mailadres en wachtwoord").wait_for()


def test_denied_at_the_provider(page, live_server, check_page):
    _to_provider(page, live_server)
    page.get_by_role("button", name="Deny").click()
    assert "afgebroken" in _error(page)
    check_page("oidc-denied")
    assert page.get_by_role("navigation", name="Account").count() == 0


def test_tampered_state_is_refused(page, live_server, viewport):
    _to_provider(page, live_server)
    _at_provider(page, f"eduid-state-{viewport}", f"state-{viewport}@example.org",
                 tamper_state=True)
    assert "hoort niet bij een inlogpoging" in _error(page)
    assert page.get_by_role("navigation", name="Account").count() == 0


def test_wrong_nonce_is_refused(page, live_server, viewport):
    _to_provider(page, live_server)
    _at_provider(page, f"eduid-nonce-{viewport}", f"nonce-{viewport}@example.org",
                 tamper_nonce=True)
    assert "niet controleren" in _error(page)
    assert page.get_by_role("navigation", name="Account").count() == 0


def test_unverified_email_makes_no_passport(page, live_server, viewport):
    _to_provider(page, live_server)
    _at_provider(page, f"eduid-unverified-{viewport}", f"onbevestigd-{viewport}@example.org",
                 verified=False)
    page.get_by_role("alert").filter(has_text="heeft niet bevestigd").wait_for()
    assert page.get_by_role("button", name="Nieuwe pas maken").count() == 0
    assert page.get_by_role("navigation", name="Account").count() == 0


def test_rules_and_merge_pages(page, live_server, viewport, check_page):
    """An org admin proposes a sign-in rule, the platform admin approves it; the merge page."""
    domain = f"{viewport}.maasvallei.example"
    login(page, live_server, "beheer@rocdemaasvallei.example")
    page.goto(live_server("/issuer/maasvallei-zorg-welzijn/"))
    page.get_by_role("link", name="Inloggen via instelling").click()
    page.get_by_label("Waarop").select_option("email_domain")
    page.get_by_label("Domein").fill(domain)
    page.get_by_label("Rol").select_option("issuer")
    page.get_by_role("button", name="Voorstellen").click()
    page.locator("td", has_text=domain).first.wait_for()
    page.get_by_text("Wacht op goedkeuring").first.wait_for()
    check_page("sign-in-rules")
    logout(page)

    login(page, live_server, "beheer@skillspas.example")
    page.goto(live_server("/admin/"))
    page.get_by_role("link", name="Regels voor inloggen via een instelling beoordelen").click()
    check_page("admin-sign-in-rules")
    page.get_by_role("button", name=f"Goedkeuren {domain}").click()
    page.get_by_text(f"Goedgekeurd: {domain}").wait_for()
    logout(page)

    login(page, live_server, "vanessa@example.nl")
    page.goto(live_server("/account"))
    page.get_by_role("link", name="Twee passen samenvoegen").click()
    page.get_by_role("heading", name="Twee passen samenvoegen", level=1).wait_for()
    check_page("merge-passports")
    logout(page)

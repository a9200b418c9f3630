"""A class of 30 learners logs in, one after another, from one school address
(all from 127.0.0.1), with the production rate limits on: every one gets in.
Then one of them logs out everywhere from the account page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace

import limits.storage.memory
import pytest

from badges.accounts import services as accounts
from tests.browser.conftest import VIEWPORTS, LiveServer, axe_violations, login, serve

PASSWORD = "klas-wachtwoord-2026"
CLASS_SIZE = 30


@pytest.fixture
def school_server(tmp_path, monkeypatch) -> Iterator[LiveServer]:
    """A live server with rate limits on, and 30 learner accounts made by the real service.

    The limiter's clock stands still: on a busy machine 30 logins in a real
    browser can take longer than the minute the limit counts, which would let
    a limit that counts successful logins slip through unnoticed.
    """
    frozen = time.time()
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=lambda: frozen))
    with serve(tmp_path, demo=False, RATELIMIT_ENABLED=True,
               RATELIMIT_STORAGE_URI="memory://") as server:
        with server.app.test_request_context():  # registering mails a confirmation link
            for n in range(1, CLASS_SIZE + 1):
                accounts.register(f"leerling{n:02d}@school.example", f"Leerling {n}", PASSWORD)
        yield server


def test_thirty_learners_log_in_from_one_address(chromium, school_server):
    for n in range(1, CLASS_SIZE + 1):
        context = chromium.new_context(viewport=VIEWPORTS["desktop"], locale="nl-NL",
                                       bypass_csp=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            login(page, school_server, f"leerling{n:02d}@school.example", PASSWORD)
            if n < CLASS_SIZE:
                continue
            # The last one checks the account page and logs out on every device.
            menu = page.get_by_role("navigation", name="Account")  # the header's account menu
            menu.locator("summary").click()
            menu.get_by_role("link", name="Mijn account").click()
            page.get_by_role("heading", name="Mijn account", level=1).wait_for()
            assert axe_violations(page) == []
            page.get_by_role("button", name="Overal uitloggen").click()
            page.get_by_text("Je bent overal uitgelogd").wait_for()
            assert page.get_by_role("button", name="Uitloggen").count() == 0
        finally:
            context.close()

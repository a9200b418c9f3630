"""Real-browser fixtures: a live server with the demo, Chromium via Playwright, axe-core.

Every test in this folder is marked ``browser`` automatically (CI runs them
in the SQLite stage only). See tests/browser/README.md for how to write one.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from badges import create_app
from badges.app import shutdown
from badges.kernel.db import db

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parent.parent / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "skillspas-demo"
VIEWPORTS = {"mobile": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
BLOCKING_IMPACTS = {"serious", "critical"}
LOCALE = "nl-NL"  # the browser's language and the pages' locale, as most of our users have


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    url: str
    app: object

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(folder: Path, *, demo: bool = True, port: int | None = None,
          **config: object) -> Iterator[LiveServer]:
    """The app on a (free) loopback port with its own fresh SQLite file under ``folder``."""
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app({
        "INSTANCE_DIR": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'live.sqlite3'}",
        "BASE_URL": url, "RATELIMIT_ENABLED": False, **config,
    })
    with app.app_context():
        from badges.demo.loader import load_demo

        db.create_all()
        if demo:
            load_demo()
        db.session.remove()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(url, app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        shutdown(app)  # its background writer finishes before the database goes


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a free loopback port, own fresh SQLite file, demo loaded and committed.

    Session-wide (one per xdist worker): tests must not depend on each other's
    changes; make what you change unique (e.g. a new email per test).
    """
    with serve(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            # Dutch, as our users' browsers are: date fields read dd-mm-jjjj (from LANG), the
            # file button says "Bestand kiezen" (--lang, with Debian's chromium-l10n)
            args=[f"--lang={LOCALE}", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
            env={**os.environ, "LANG": "nl_NL.UTF-8", "LANGUAGE": "nl"},
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    """Run the test at 390×844 (phone) and at 1280×800 (laptop)."""
    return request.param


@pytest.fixture
def page(chromium, viewport: str, live_server: LiveServer) -> Iterator[object]:
    """A fresh browser context (no cookies) at the test's viewport.

    ``bypass_csp`` only lets the test inject axe-core; the app's own CSP is
    still sent and checked by tests/web/test_security.py.
    """
    context = chromium.new_context(viewport=VIEWPORTS[viewport], locale=LOCALE, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def login(page, live_server: LiveServer, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    page.goto(live_server("/login"))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.locator("main form").get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Account").wait_for()


def logout(page) -> None:
    """Log out through the account menu in the header (a <details> disclosure)."""
    menu = page.get_by_role("navigation", name="Account")
    menu.locator("summary").click()
    menu.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inloggen").wait_for()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@pytest.fixture
def snap(page, viewport: str, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """``snap("name")`` saves a full-page screenshot under test-artifacts/screenshots/."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_slug(request.node.module.__name__.rsplit('.', 1)[-1])}--{_slug(name)}--{viewport}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page; serious and critical only."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/install-test-tools (npm ci in tests/browser)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS
    ]


@pytest.fixture
def check_page(page, snap) -> Callable[[str], None]:
    """``check_page("name")``: screenshot, then fail on serious/critical axe violations."""

    def check(name: str) -> None:
        snap(name)
        violations = axe_violations(page)
        assert violations == [], f"{name} at {page.url}: {violations}"

    return check

"""Every page a learner may use is reachable by links from the passport (#22, Done-when).

Vanessa signs in, starts at /passport and follows every same-site link (GET only, never
/logout, never a form). The pages she may use are read from the ONE access table in
tests/web/test_route_permissions.py: every GET route where her row says ``A``, minus the
machine documents, the APIs and the pages only a mailed link (a token) opens. Each one
must be reached, and no page may answer 5xx or repeat an ``id`` (tests/web/html_ids.py).
The organisation admin's walk through the workspace (/issuer/...) is held to the same.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException

from badges.kernel.mail import LogMailer
from tests.conftest import post_form
from tests.web.html_ids import duplicate_ids
from tests.web.test_route_permissions import EXPECTED, ROLES, TARGET_ORG, _build_world, _rules

# Reached by machines, not by a person clicking: documents, APIs, health, wallets, apps.
MACHINE_PREFIXES = ("static", "documents.", "api_", "vc_api", "oauth.", "operations.", "oid4vci.",
                    "ob_api.", "insight_api.")
# Only a link in a mail (or a QR code, or an app's request) opens these.
TOKEN_ONLY = {
    "auth.reset_password", "auth.confirm_email", "auth.confirm_account", "auth.undo_email_change",
    "auth.merge_confirm", "auth.oidc_link_by_mail", "applications.confirm_statement",
    "reminders.opt_out", "invitations.show", "passport.claim", "passport.confirm_email",
    "claimcodes.code_page", "claimcodes.confirm", "applications.evidence_file",
    "ob_consent.authorize", "share.public_presentation",
}
# Pages for someone who is not signed in (Vanessa is), and the sign-in flows of a provider.
NOT_FOR_A_SIGNED_IN_LEARNER = {"auth.login", "auth.register", "auth.forgot_password",
                               "signup.request_access",
                               # open to anyone signed in, but the work of staff and advisers: the
                               # header links them only for those (a learner sees an empty list)
                               "issuer.dashboard", "advisers.index",
                               # an image inside a page (an <img>), not a page of its own
                               "passport.imported_image"}
PER_ENDPOINT = 3  # enough variety per route; the demo has many achievements and pathways


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _learner_pages(app) -> set[str]:
    pages = set()
    for rule in _rules(app):
        row = EXPECTED.get(rule.endpoint)
        if row is None or row["learner"] != "A" or "GET" not in rule.methods:
            continue
        if rule.endpoint.startswith(MACHINE_PREFIXES) or rule.endpoint in TOKEN_ONLY | \
                NOT_FOR_A_SIGNED_IN_LEARNER or rule.endpoint.startswith("auth.oidc"):
            continue
        pages.add(rule.endpoint)
    return pages


def _endpoint(adapter, path: str) -> str | None:
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except HTTPException:
        return None
    return str(endpoint)


def _crawl(client, adapter, start: str, inside: str = "/") -> tuple[dict[str, str], int, list[str]]:
    """Follow same-site links from ``start`` (paths under ``inside`` only): the endpoints
    reached (with one url each), how many links were seen, and the problems: a 5xx, or a
    page that repeats an id."""
    reached: dict[str, str] = {}
    per_endpoint: dict[str, int] = {}
    seen = {start}
    queue = deque([start])
    errors = []
    while queue:
        url = queue.popleft()
        response = client.get(url)
        endpoint = _endpoint(adapter, urlsplit(url).path)
        if response.status_code >= 500:
            errors.append(f"{url} [{endpoint}] answered {response.status_code}")
        if endpoint and response.status_code < 400:
            reached.setdefault(endpoint, url)
        if response.mimetype != "text/html" or response.status_code >= 300:
            response.close()
            continue
        html = response.get_data(as_text=True)
        twice = duplicate_ids(html)
        if twice:
            errors.append(f"{url} [{endpoint}] repeats id {', '.join(twice)}")
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            target = urlsplit(urljoin("http://localhost" + url, href))
            if target.scheme not in ("http", "https") or target.netloc != "localhost" or \
                    not target.path.startswith(inside):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            link_endpoint = _endpoint(adapter, target.path)
            if link in seen or link_endpoint in (None, "auth.logout", "static"):
                continue
            seen.add(link)
            if per_endpoint.get(link_endpoint, 0) >= PER_ENDPOINT:
                continue
            per_endpoint[link_endpoint] = per_endpoint.get(link_endpoint, 0) + 1
            queue.append(link)
    return reached, len(seen), errors


def test_every_learner_page_is_reachable_from_the_passport(app):
    app.extensions["badges.mailer"] = LogMailer()
    try:
        _build_world(app)  # the demo plus a share link, an application, an adviser grant, an app
        client = app.test_client()
        post_form(client, "/login", {"email": ROLES["learner"], "password": "skillspas-demo"})
        reached, seen, errors = _crawl(client, app.url_map.bind("localhost"), "/passport")
        assert not errors, "\n".join(errors)
        missing = sorted(_learner_pages(app) - set(reached))
        assert not missing, (f"Learner pages no link from /passport leads to: {missing} "
                             f"(reached {len(reached)} routes over {seen} links)")
    finally:
        app.extensions.pop("badges.mailer", None)


def test_the_workspace_pages_an_admin_clicks_through_are_sound(app):
    """The organisation admin walks the workspace by its links: no 5xx, no id twice."""
    app.extensions["badges.mailer"] = LogMailer()
    try:
        _build_world(app)
        client = app.test_client()
        post_form(client, "/login", {"email": ROLES["org_admin"], "password": "skillspas-demo"})
        reached, seen, errors = _crawl(client, app.url_map.bind("localhost"),
                                       f"/issuer/{TARGET_ORG}/", inside="/issuer/")
        assert not errors, "\n".join(errors)
        # The pages with the most forms on them were among those checked.
        for endpoint in ("issuer.credential_detail", "issuer.people", "issuer.issue_one",
                         "issuer.sign_in_rules", "issuer.api_tokens"):
            assert endpoint in reached, (endpoint, sorted(reached), seen)
    finally:
        app.extensions.pop("badges.mailer", None)

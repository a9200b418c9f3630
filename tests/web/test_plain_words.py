"""Plain words on the pages learners and employers read (#22 item 13).

B1 Dutch with one form of address (``je``) and one word for a credential (``bewijs``), and
plain English: no raw values (``ext:LLOTraject``, ``(Completed)``, ``None``), no words of
the standard (``JSON-LD``, ``Sleutelbinding``, ``key_binding``) and no identifiers
(``did:…``, ``urn:uuid:…``) in the visible text. Such words are fine inside a disclosure
marked ``class="technical"`` ("Technische details"): that is where they belong.

The learner's pages are found the way she finds them (links from /passport, as in
test_learner_crawl) and each is read in Dutch and in English; the verify page is read for
every kind of answer an employer can get.
"""

from __future__ import annotations

import io
import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.exceptions import HTTPException

from badges.kernel.mail import LogMailer
from tests._verify_support import SAMPLES, expired_kwargs, issue, revoke, tampered
from tests.conftest import post_form
from tests.web.test_route_permissions import ROLES, _build_world

# Shown in neither language outside the technical details.
BANNED = [
    (re.compile(r"json-ld", re.I), "a format name (JSON-LD)"),
    (re.compile(r"versleutelde identiteit|hashed identity", re.I), "'hashed identity'"),
    (re.compile(r"sleutelbinding|key binding|key_binding", re.I), "'key binding'"),
    (re.compile(r"\bext:|LLOTraject|MboCertificaat|BadgeClass\b|OpenBadgeCredential"), "a raw type"),
    (re.compile(r"\((Completed|InProgress|Enrolled|Failed|Passed)\)"), "a raw result status"),
    (re.compile(r"\b(valid|invalid|indeterminate) \((valid|invalid|indeterminate)\)"), "a raw verdict"),
    (re.compile(r"Bron file"), "half-translated text"),
    (re.compile(r"\bdid:[a-z0-9]+:"), "a DID"),
    (re.compile(r"\burn:uuid:"), "a urn:uuid identifier"),
    (re.compile(r"\b(None|True|False|null|undefined)\b"), "a raw Python/JSON value"),
    (re.compile(r"@context|credentialSubject|proofPurpose|verificationMethod"), "a JSON term"),
]
# Dutch only: the learner and the employer are "je", and a credential is a "bewijs".
BANNED_NL = [
    (re.compile(r"(?<![\w-])(u|uw|U|Uw)(?![\w-])"), "formal address (u/uw): use je/jouw"),
    (re.compile(r"(?<![\w-])credentials?\b", re.I), "'credential': say 'bewijs'"),
]
# Names of standards, said as such.
ALLOWED = re.compile(r"Verifiable Credentials?|Open Badges|client credentials")


# Not text to read: code, and what a visitor typed or pasted into a field.
HIDDEN = ("script", "style", "template", "textarea")
LINK = re.compile(r"https?://\S+")


class VisibleText(HTMLParser):
    """Text a reader sees, minus scripts and ``<details class="technical">``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.details: list[bool] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        if tag in HIDDEN:
            self.hidden += 1
        if tag == "details":
            self.details.append("technical" in (found.get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden -= 1
        if tag == "details" and self.details:
            self.details.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden and not any(self.details):
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


def problems(html: str, lang: str) -> list[str]:
    text = LINK.sub("", ALLOWED.sub("", read(html).text()))  # an address is no wording
    rules = BANNED + (BANNED_NL if lang == "nl" else [])
    found = []
    for pattern, why in rules:
        for match in pattern.finditer(text):
            start = max(0, match.start() - 60)
            found.append(f"{why}: …{text[start:match.end() + 60]}…")
    return found


def check(client, url: str, found: dict[str, list[str]], **kw) -> str:
    html = ""
    for lang in ("nl", "en"):
        parts = urlsplit(url)
        query = urlencode([*parse_qsl(parts.query), ("lang", lang)])
        if kw.get("data") is not None:
            response = kw["post"](client, lang)
        else:
            response = client.get(f"{parts.path}?{query}")
        assert response.status_code < 500, url
        if response.mimetype != "text/html":
            response.close()
            return ""
        html = response.get_data(as_text=True)
        if True:
            for problem in problems(html, lang):
                found.setdefault(f"{url} [{lang}]", []).append(problem)
    return html


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}\n    " + "\n    ".join(sorted(set(items)))
                     for page, items in sorted(found.items()))


# --- an Open Badges 2.0 badge of Vanessa's, signed, its key not reachable offline ----

OB2_KEY_URL = "https://oldbadges.test/key"


def ob2_badge(email: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assertion = {
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "urn:uuid:0b2e7c4a-1111-4c1e-8f00-000000000022",
        "recipient": {"type": "email", "hashed": False, "identity": email},
        "badge": {"type": "BadgeClass", "id": "https://oldbadges.test/badge",
                  "name": "Heftruck rijden", "description": "Veilig heftruck rijden",
                  "issuer": {"type": "Issuer", "id": "https://oldbadges.test/issuer",
                             "name": "Opleider BV"},
                  "criteria": {"narrative": "Praktijkexamen"}},
        "issuedOn": "2019-06-01T00:00:00Z",
        "verification": {"type": "SignedBadge", "creator": OB2_KEY_URL},
    }
    return pyjwt.encode(assertion, key, algorithm="RS256")


def test_learner_pages_speak_plainly(app):
    """Every page Vanessa reaches from her passport, her share page and a claim page."""
    app.extensions["badges.mailer"] = LogMailer()
    try:
        world = _build_world(app)
        with app.test_request_context():
            from badges.accounts.models import User
            from badges.kernel.db import db
            from badges.passport import importing

            vanessa = db.session.scalar(db.select(User).filter_by(email=ROLES["learner"]))
            importing.import_credential(vanessa, ob2_badge(ROLES["learner"]))
        client = app.test_client()
        post_form(client, "/login", {"email": ROLES["learner"], "password": "skillspas-demo"})
        adapter = app.url_map.bind("localhost")
        found: dict[str, list[str]] = {}
        seen, queue, per_endpoint = {"/passport"}, deque(["/passport"]), {}
        while queue:
            url = queue.popleft()
            html = check(client, url, found)
            for href in read(html).hrefs:
                target = urlsplit(urljoin("http://localhost" + url, href))
                if target.scheme not in ("http", "https") or target.netloc != "localhost":
                    continue
                query = urlencode([(k, v) for k, v in parse_qsl(target.query) if k != "lang"])
                link = target.path + (f"?{query}" if query else "")
                try:
                    endpoint, _ = adapter.match(target.path, method="GET")
                except HTTPException:
                    continue
                if link in seen or endpoint in ("auth.logout", "static") \
                        or per_endpoint.get(endpoint, 0) >= 3:
                    continue
                seen.add(link)
                per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
                queue.append(link)
        assert len(seen) > 60  # the walk really went round
        check(client, f"/s/{world.ids['_share_token']}", found)
        anonymous = app.test_client()
        check(anonymous, f"/s/{world.ids['_share_token']}", found)
        check(anonymous, f"/claim/{world.ids['_claim_token']}", found)
        assert not found, "Technical or formal words on learner pages:\n" + _report(found)
    finally:
        app.extensions.pop("badges.mailer", None)


def _paste(text: str):
    def post(client, lang: str):
        return post_form(client, f"/verify?lang={lang}", {"text": text}, page="/verify")
    return post


def _upload(data: bytes, name: str):
    def post(client, lang: str):
        return post_form(client, f"/verify?lang={lang}", {"file": (io.BytesIO(data), name)},
                         page="/verify", content_type="multipart/form-data")
    return post


@pytest.mark.usefixtures("demo")
def test_verify_answers_speak_plainly(app, client):
    """The employer's answer for each kind of input, in Dutch and in English."""
    with app.app_context():
        valid = issue()
        gone = issue(email="ingetrokken@example.nl")
        revoke(gone)
        expired = issue(email="verlopen@example.nl", **expired_kwargs())
        document = valid.document
        uuids = (valid.uuid, gone.uuid, expired.uuid)
    token = client.get(f"/credentials/{uuids[0]}",
                       headers={"Accept": "application/vc+jwt"}).get_data(as_text=True)
    found: dict[str, list[str]] = {}
    check(client, "/verify", found)
    for uuid in uuids:
        check(client, f"/verify?credential={uuid}", found)
    inputs = {
        "tampered": _paste(json.dumps(tampered(document))),
        "vc-jwt": _paste(token),
        "ob2-signed": _paste(ob2_badge("kandidaat@example.nl")),
        "not a credential": _paste("hallo"),
    }
    for sample in ("simple.json", "simple.jwt", "simple-noproof.json", "simple-err-expired.json",
                   "simple-err-proof-value.json", "simple-json.png"):
        inputs[sample] = _upload((SAMPLES / sample).read_bytes(), sample)
    for name, post in inputs.items():
        check(client, f"/verify ({name})", found, data=True, post=post)
    assert not found, "Technical or formal words on the verify page:\n" + _report(found)


def test_an_address_in_the_clear_is_not_called_encrypted(client):
    """An Open Badges 2.0 badge names its holder by a plain e-mail address: the page says
    so, instead of telling the employer the address is encrypted."""
    html = _paste(ob2_badge("kandidaat@example.nl"))(client, "nl").get_data(as_text=True)
    assert 'data-holder="address"' in html
    assert "alleen het e-mailadres kandidaat@example.nl" in html
    assert "versleuteld e-mailadres" not in html

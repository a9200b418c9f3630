"""Content negotiation on the URLs inside credentials: JSON-LD for machines, HTML for people.

Verifiers ask in many ways (a JSON-LD profile parameter, the VC media types, a
DID document type, or plain ``*/*`` from curl, Python requests or Node fetch);
each must get the document, not a web page. A browser names text/html and gets
the page.
"""

from __future__ import annotations

import pytest

from tests._verify_support import issue

MACHINE_ACCEPTS = [
    'application/ld+json; profile="https://www.w3.org/ns/credentials/v2"',
    "application/ld+json",
    "application/json",
    "application/vc",
    "application/vc+ld+json",
    "application/did+ld+json",
    "*/*",
    "application/json, text/plain, */*",  # axios
]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture
def urls(app, demo):
    with app.app_context():
        cred = issue()
        return {"credential": f"/credentials/{cred.uuid}",
                "achievement": f"/achievements/{cred.achievement.uuid}",
                "issuer": f"/issuers/{cred.organisation.slug}"}


@pytest.mark.parametrize("accept", MACHINE_ACCEPTS)
@pytest.mark.parametrize("kind", ["credential", "achievement", "issuer"])
def test_machines_get_json_ld(client, urls, kind, accept):
    response = client.get(urls[kind], headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype in {"application/ld+json", "application/json"}, response.mimetype
    assert "@context" in response.get_json()


@pytest.mark.parametrize("kind", ["credential", "achievement", "issuer"])
def test_browsers_get_a_page(client, urls, kind):
    response = client.get(urls[kind], headers={"Accept": BROWSER})
    assert response.status_code in {200, 302}
    assert response.mimetype == "text/html"


def test_json_ld_with_a_profile_is_answered_as_json_ld(client, urls):
    accept = 'application/ld+json; profile="https://www.w3.org/ns/credentials/v2"'
    assert client.get(urls["credential"], headers={"Accept": accept}).mimetype == \
        "application/ld+json"


def test_html_preferred_over_json_gets_the_page(client, urls):
    response = client.get(urls["achievement"],
                          headers={"Accept": "text/html, application/ld+json;q=0.5"})
    assert response.mimetype == "text/html"

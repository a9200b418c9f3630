"""Public pages: Dutch by default, English on request, security headers."""

from __future__ import annotations


def test_landing_page_is_dutch_by_default(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Laat zien wat je kunt" in html


def test_english_switch_sticks(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Show what you can do" in html
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "nonce-" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_nonce_differs_per_request(client):
    a = client.get("/").headers["Content-Security-Policy"]
    b = client.get("/").headers["Content-Security-Policy"]
    assert a != b


def test_issuer_profile_and_404(demo, client):
    html = client.get("/issuers/roc-de-maasvallei").get_data(as_text=True)
    assert "ROC De Maasvallei" in html and "25QM" in html
    assert client.get("/issuers/bestaat-niet").status_code == 404

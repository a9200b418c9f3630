"""The mail that announces a credential, through a real SMTP server: a plain-text part and an
HTML part in the issuing organisation's colour with its logo (#17 item 3, #21 item 3)."""

from __future__ import annotations

import pytest

from badges.catalogue.models import Achievement
from badges.issuing import services as issuing
from badges.kernel.db import db
from badges.kernel.mail import SmtpMailer
from badges.organisations.models import Organisation

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>'
SLUG = "maasvallei-zorg-welzijn"


@pytest.fixture
def smtp_mailer(app, smtp_server):
    server, port = smtp_server
    app.extensions["badges.mailer"] = SmtpMailer("127.0.0.1", port, "Skillspas <no-reply@x.nl>", timeout=5)
    yield server
    app.extensions.pop("badges.mailer", None)


def _issue(app, email: str, name: str, *, logo: bool) -> None:
    with app.test_request_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug=SLUG))
        org.logo, org.logo_mime = (LOGO, "image/svg+xml") if logo else (None, None)
        org.colour = "#7a1f5c"
        db.session.commit()
        achievement = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id,
                                                                         name="Basiszorg"))
        issuing.issue(org, issuing.IssueRequest(achievement=achievement, recipient_email=email,
                                                recipient_name=name))


def test_the_announcement_has_text_and_html_with_the_logo_and_colour(app, demo, smtp_mailer):
    _issue(app, "nieuw-lid@example.nl", "Nieuw Lid", logo=True)
    [got] = [r for r in smtp_mailer.received if r.to == "nieuw-lid@example.nl"]
    assert "heeft je een digitaal bewijs gegeven" in got.body and "<" not in got.body
    html = got.message.get_body(("html",)).get_content()
    assert f'src="http://localhost/issuers/{SLUG}/logo"' in html
    assert 'alt="Maasvallei College Zorg &amp; Welzijn"' in html
    assert "#7a1f5c" in html and "/claim/" in html
    assert "Je krijgt deze mail omdat" in html  # who sent it and why
    assert "<style" not in html and 'style="' in html  # inlined: mail programs drop <style>


def test_without_a_logo_there_is_no_image_and_names_are_escaped(app, demo, smtp_mailer):
    _issue(app, "bram@example.nl", "<b>Bram</b>", logo=False)
    [got] = [r for r in smtp_mailer.received if r.to == "bram@example.nl"]
    html = got.message.get_body(("html",)).get_content()
    assert "<img" not in html and "&lt;b&gt;Bram&lt;/b&gt;" in html and "<b>Bram</b>" not in html


def test_the_organisations_own_words_in_both_languages_and_the_preview(app, client, auth, demo, smtp_mailer):
    from tests.conftest import post_form

    auth.login("beheer@rocdemaasvallei.example")
    page = f"/issuer/{SLUG}/mail"
    answer = post_form(client, page, {"intro_nl": "Gefeliciteerd met je module!",
                                      "intro_en": "Congratulations on your module!"})
    assert answer.status_code == 302
    settings = client.get(page).get_data(as_text=True)
    assert "Gefeliciteerd met je module!" in settings and "<iframe" in settings
    preview = client.get(f"{page}/preview")
    assert preview.mimetype == "text/html" and "script-src" not in preview.headers["Content-Security-Policy"]
    assert "Congratulations on your module!" in preview.get_data(as_text=True)
    _issue(app, "tweetalig@example.nl", "Tweetalig", logo=False)
    [got] = [r for r in smtp_mailer.received if r.to == "tweetalig@example.nl"]
    assert got.body.index("Gefeliciteerd met je module!") < got.body.index("— English —") \
        < got.body.index("Congratulations on your module!")
    html = got.message.get_body(("html",)).get_content()
    assert '<div lang="en">' in html and "Open my Skillspas" in html

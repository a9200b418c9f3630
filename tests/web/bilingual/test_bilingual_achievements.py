"""Achievements in Dutch and English (#21 item 4): typed on the form, signed as
language-tagged values (VC 2.0 §11.1), shown in the reader's language, Dutch otherwise."""

from __future__ import annotations

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.credentials.documents import validate_schema
from badges.issuing import services as issuing
from badges.kernel.db import db
from badges.kernel.media import pdf as pdf_base
from badges.organisations.models import Organisation
from badges.passport import share
from badges.verification.services import verify_upload
from tests import pdf_support
from tests.conftest import csrf_token, post_form
from tests.web.issuer.test_flows import BASE, achievement_named, keuzedeel_form
from tests.web.share.test_export_pdf import pdf_text

CLUB = "sv-osc-28"
LEARNER = "vanessa@example.nl"


def _issue(name: str = "Jeugdtrainer", slug: str = CLUB, email: str = LEARNER):
    org = db.session.scalar(db.select(Organisation).filter_by(slug=slug))
    achievement = db.session.scalar(db.select(Achievement).filter_by(
        organisation_id=org.id, name=name))
    return issuing.issue(org, issuing.IssueRequest(
        achievement=achievement, recipient_email=email,
        recipient_name="Vanessa de Groot")).credential


@pytest.fixture
def youth_coach(app, demo):
    """A demo club badge with English wording, issued to Vanessa: (uuid, document)."""
    with app.test_request_context():
        cred = _issue()
        return cred.uuid, cred.document


def test_the_form_stores_english_and_the_credential_signs_both_languages(app, client, auth, demo):
    auth.login("docent@rocdemaasvallei.example")
    answer = post_form(client, f"{BASE}/achievements/new", keuzedeel_form(
        name_en="Working with dementia", description_en="You support people with dementia.",
        criteria_en="Assessed at work.", new_skills="Geduld, Luisteren",
        new_skills_en="Patience, Listening"), content_type="multipart/form-data")
    assert answer.status_code == 302
    row = achievement_named(app, "Werken met dementie")
    assert (row.name_en, row.description_en, row.criteria_en) == (
        "Working with dementia", "You support people with dementia.", "Assessed at work.")
    edit = client.get(f"{BASE}/achievements/{row.uuid}/edit").get_data(as_text=True)
    assert 'lang="en"' in edit and 'value="Working with dementia"' in edit  # to edit again
    detail = client.get(f"{BASE}/achievements/{row.uuid}").get_data(as_text=True)
    assert '<div lang="en">' in detail and "You support people with dementia." in detail
    with app.test_request_context():
        doc = _issue("Werken met dementie", "maasvallei-zorg-welzijn").document
    achievement = doc["credentialSubject"]["achievement"]
    assert achievement["name"] == [{"@value": "Werken met dementie", "@language": "nl"},
                                   {"@value": "Working with dementia", "@language": "en"}]
    assert {v["@language"]: v["@value"] for v in achievement["description"]} == {
        "nl": "Je ondersteunt mensen met dementie.", "en": "You support people with dementia."}
    assert {v["@language"] for v in achievement["criteria"]["narrative"]} == {"nl", "en"}
    skills = [a["targetName"] for a in achievement["alignment"]
              if a.get("targetType") == "ceasn:Competency"]
    assert [{"@value": "Geduld", "@language": "nl"},
            {"@value": "Patience", "@language": "en"}] in skills
    assert doc["name"] == achievement["name"]
    assert validate_schema(doc) == []  # checked as OB 3.0's strings (see test_schema_parity)


def test_without_english_the_credential_keeps_plain_strings(app, demo):
    with app.test_request_context():
        doc = _issue("Taalcafé: Nederlands op B1", "lerende-stad-oss").document
    assert doc["credentialSubject"]["achievement"]["name"] == "Taalcafé: Nederlands op B1"
    assert doc["name"] == "Taalcafé: Nederlands op B1"


def test_our_verifier_verifies_it_and_shows_the_readers_language(app, client, youth_coach):
    uuid, doc = youth_coach
    with app.test_request_context():
        report = verify_upload(doc)
    assert report["verdict"] == "valid", report
    shown = report["credential"]["achievement"]
    assert shown["name"] == "Jeugdtrainer"  # Dutch first
    assert shown["translations"]["en"]["name"] == "Youth coach"
    dutch = client.get(f"/verify?credential={uuid}").get_data(as_text=True)
    english = client.get(f"/verify?credential={uuid}&lang=en").get_data(as_text=True)
    assert "Jeugdtrainer" in dutch and "Youth coach" not in dutch
    assert "Youth coach" in english and "You coach a youth team on your own." in english
    assert "Coaching young people" in english and "Trainingen geven aan jeugd" in dutch


def test_passport_pages_show_english_on_lang_en_and_dutch_by_default(app, client, auth,
                                                                     youth_coach):
    uuid, _ = youth_coach
    auth.login(LEARNER)
    dutch = client.get(f"/passport/c/{uuid}?lang=nl").get_data(as_text=True)
    assert "<h1>Jeugdtrainer</h1>" in dutch and "Youth coach" not in dutch
    english = client.get(f"/passport/c/{uuid}?lang=en").get_data(as_text=True)
    assert "<h1>Youth coach</h1>" in english
    assert "You coach a youth team on your own." in english
    assert "completed the youth coach course" in english
    assert "Coaching young people" in english and "Coaching young people" not in dutch
    assert "name=Youth+coach" in english  # LinkedIn's form, filled in the reader's language
    listing = client.get("/passport?lang=en").get_data(as_text=True)
    assert "Youth coach" in listing
    skills = client.get("/passport/skills?lang=en").get_data(as_text=True)
    assert ">Coaching young people</a></h3>" in skills and ">Youth coach</a>" in skills
    # An achievement without English stays Dutch on an English page.
    assert "Digitale vaardigheden basis" in listing or "Basiszorg" in listing


def test_share_page_follows_the_language(app, client, youth_coach):
    uuid, _ = youth_coach
    with app.test_request_context():
        user = db.session.scalar(db.select(User).filter_by(email=LEARNER))
        link = share.create_link(user, "Voor de club", [uuid], [])
        token = link.token
    assert "Youth coach" in client.get(f"/s/{token}?lang=en").get_data(as_text=True)
    dutch = client.get(f"/s/{token}?lang=nl").get_data(as_text=True)
    assert "Jeugdtrainer" in dutch and "Youth coach" not in dutch


def test_catalogue_achievement_and_issuer_pages_follow_the_language(app, client, demo):
    with app.app_context():
        uuid = db.session.scalar(db.select(Achievement.uuid).filter_by(name="Jeugdtrainer"))
    for url in (f"/aanbod/{uuid}", f"/achievements/{uuid}", f"/issuers/{CLUB}"):
        english = client.get(f"{url}?lang=en", headers={"Accept": "text/html"})
        assert english.status_code == 200, url
        assert "Youth coach" in english.get_data(as_text=True), url
        dutch = client.get(f"{url}?lang=nl", headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "Jeugdtrainer" in dutch and "Youth coach" not in dutch, url
    found = client.get("/aanbod?q=youth&lang=en").get_data(as_text=True)
    assert "Youth coach" in found  # English words find it too


def test_pdf_overview_in_english(app, client, auth, youth_coach, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)  # core font: text readable back
    auth.login(LEARNER)
    client.get("/passport?lang=en")  # the choice is remembered (cookie)
    text = pdf_text(client.get("/passport/export/skillspas.pdf").data)
    # The facts are a tagged table: label and value are separate cells.
    assert "Youth coach" in text and "Issuer" in text and "Sportvereniging OSC '28" in text
    assert "Skills" in text and "Coaching young people" in text
    client.get("/passport?lang=nl")
    text = pdf_text(client.get("/passport/export/skillspas.pdf").data)
    assert "Jeugdtrainer" in text and "Youth coach" not in text


def _receipt_text(client, uuid: str, lang: str) -> str:
    client.get(f"/verify?lang={lang}")
    response = client.post("/verify/receipt", data={
        "credential": uuid, "format": "pdf", "csrf_token": csrf_token(client, "/verify")})
    assert response.mimetype == "application/pdf"
    return pdf_text(response.data)


def test_receipt_pdf_shows_the_achievement_in_the_readers_language(
        client, youth_coach, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)  # core font: text readable back
    english = _receipt_text(client, youth_coach[0], "en")
    for expected in ("Youth coach", "You coach a youth team on your own.",
                     "Coached weekly for a season and completed the youth coach course.",
                     "Description", "Requirements"):
        assert expected in english, expected
    for dutch in ("Jeugdtrainer", "jeugdteam", "Een seizoen"):
        assert dutch not in english, dutch
    dutch = _receipt_text(client, youth_coach[0], "nl")
    for expected in ("Jeugdtrainer", "Je geeft zelfstandig training aan een jeugdteam.",
                     "Omschrijving", "Eisen"):
        assert expected in dutch, expected
    assert "Youth coach" not in dutch


def test_receipt_json_keeps_both_languages(client, youth_coach):
    client.get("/verify?lang=en")
    data = client.post("/verify/receipt", data={
        "credential": youth_coach[0], "format": "json",
        "csrf_token": csrf_token(client, "/verify")}).get_json(force=True)
    cred = data["credential"]
    assert cred["achievement"] == "Jeugdtrainer"  # Dutch first, as before
    assert cred["achievementDescription"] == "Je geeft zelfstandig training aan een jeugdteam."
    assert cred["achievementTranslations"]["en"]["name"] == "Youth coach"


def test_certificate_pdf_shows_the_achievement_in_the_readers_language(
        client, auth, youth_coach, monkeypatch, tmp_path):
    auth.login(LEARNER)
    url = f"/passport/credentials/{youth_coach[0]}/certificaat.pdf"
    english = pdf_support.read(client.get(f"{url}?lang=en").data)
    assert english.title == "Certificate: Youth coach - Vanessa de Groot"
    assert english.alts["Figure"][0] == "Badge of Youth coach"
    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)  # core font: text readable back
    text = pdf_text(client.get(f"{url}?lang=en").data)
    for expected in ("Youth coach", "You coach a youth team on your own.",
                     "Coached weekly for a season and completed the youth coach course.",
                     "Coaching young people"):
        assert expected in text, expected
    for dutch in ("Jeugdtrainer", "jeugdteam", "Een seizoen", "Trainingen geven"):
        assert dutch not in text, dutch
    client.set_cookie("lang", "nl", domain="localhost")
    text = pdf_text(client.get(f"{url}?lang=nl").data)
    assert "Jeugdtrainer" in text and "Je geeft zelfstandig training" in text
    assert "Youth coach" not in text


def test_pdf_overview_badge_alt_in_english(client, auth, youth_coach):
    """The badge's name in the reader's language, then the words drawn on the image."""
    auth.login(LEARNER)
    doc = pdf_support.read(client.get("/passport/export/skillspas.pdf?lang=en").data)
    client.set_cookie("lang", "nl", domain="localhost")
    assert doc.alts["Figure"][:2] == ["Youth coach: Jeugdtrainer",
                                      "QR code to the check of Youth coach"]


def test_dutch_text_in_an_english_pdf_says_it_is_dutch(app, client, auth, demo):
    """An achievement without English: the English certificate and overview show its
    Dutch wording, marked /Lang nl so a screen reader reads it with a Dutch voice."""
    with app.test_request_context():
        uuid = _issue("Taalcafé: Nederlands op B1", "lerende-stad-oss").uuid
    auth.login(LEARNER)
    certificate = pdf_support.read(
        client.get(f"/passport/credentials/{uuid}/certificaat.pdf?lang=en").data)
    assert certificate.lang == "en"
    assert certificate.langs == [("H1", "nl"), ("P", "nl"), ("P", "nl")]  # name, description, criteria
    overview = pdf_support.read(client.get("/passport/export/skillspas.pdf?lang=en").data)
    assert ("H2", "nl") in overview.langs
    assert ("H2", "en") not in overview.langs  # English text needs no /Lang of its own
    client.set_cookie("lang", "nl", domain="localhost")
    dutch = pdf_support.read(client.get(f"/passport/credentials/{uuid}/certificaat.pdf?lang=nl").data)
    assert dutch.langs == []

"""Every fact the learner's page and the verify page show is in the signed credential
(issue 16, item 7): a credential outlives our database, so what we show must be what
anyone can check. Each shown field is matched against the signed document; a field
this test does not know fails it (sign the new fact, or say on the page it is not signed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import lxml.html
import pytest

from badges.catalogue.models import AchievementKind
from badges.credentials.language import in_language
from badges.kernel.db import db
from badges.verification.wording import TYPE_WORDS
from tests._facts_support import full_achievement, issue_full

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
LEARNER = "vanessa@example.nl"


def _text(node: Any) -> str:
    return " ".join(node.text_content().split())


def _pairs(dl: Any) -> list[tuple[str, Any]]:
    return [(_text(dt), dt.getnext()) for dt in dl.findall("dt")]


def _achievement(doc: dict) -> dict:
    return doc["credentialSubject"]["achievement"]


def _alignment(doc: dict, framework: str, code: str) -> bool:
    return any(framework in (a.get("targetFramework") or "") and a.get("targetCode") == code
               for a in _achievement(doc)["alignment"])


def _aligned_names(doc: dict) -> set[str]:
    """Names as a Dutch page shows them (a skill may be named in Dutch and English)."""
    return {in_language(a["targetName"], "nl") for a in _achievement(doc)["alignment"]}


def _nl_date(iso: str) -> str:
    d = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _level(dd: Any, doc: dict) -> None:
    shown = _text(dd)
    for label, framework in (("mbo-niveau", "mbo-niveaus"), ("NLQF", "NLQF"), ("EQF", "EQF")):
        found = re.search(rf"{label} (\w+)", shown)
        if found:
            assert _alignment(doc, framework, found.group(1)), (shown, framework)


def _size(dd: Any, doc: dict) -> None:
    shown, ach = _text(dd), _achievement(doc)
    sbu = re.search(r"(\d+) uur studie \(SBU\)", shown)
    if sbu:
        assert ach["studyLoadHours"] == int(sbu.group(1)), shown
    ec = re.search(r"([\d.]+) EC", shown)
    if ec:
        assert ach["creditsAvailable"] == float(ec.group(1)), shown
        assert ach["creditsUnit"] == "ECTS"


def _issuer(dd: Any, doc: dict) -> None:
    # The link is the issuer; the line under it is Skillspas' own check of the organisation.
    assert _text(dd.find(".//a")) == doc["issuer"]["name"]


def _valid_until(dd: Any, doc: dict) -> None:
    shown = _text(dd)
    if "validUntil" in doc:
        assert shown == _nl_date(doc["validUntil"]), shown  # one date format per page
    else:
        assert shown in ("Altijd geldig", "geen einddatum"), shown


def _result(dd: Any, doc: dict) -> None:
    [result] = doc["credentialSubject"]["result"]
    shown = _text(dd)
    assert shown.startswith(result["value"]), shown
    if "afgerond" in shown or "Completed" in shown:
        assert result["status"] == "Completed"


def _qualification(dd: Any, doc: dict) -> None:
    name, code = re.fullmatch(r"(.*) \(crebo (\d+)\)", _text(dd)).groups()  # type: ignore[union-attr]
    assert any(a.get("targetCode") == code and name in in_language(a["targetName"], "nl")
               for a in _achievement(doc)["alignment"]), (name, code)


def _assessor(dd: Any, doc: dict) -> None:
    assert any(e.get("name") == _text(dd) and e.get("genre") == "Beoordelaar"
               for e in doc["evidence"]), _text(dd)


def _equals(path: Callable[[dict], Any]) -> Callable[[Any, dict], None]:
    def check(dd: Any, doc: dict) -> None:
        assert _text(dd) == " ".join(str(path(doc)).split()), _text(dd)
    return check


PASSPORT: dict[str, Callable[[Any, dict], None]] = {
    "Uitgegeven door": _issuer,
    "Behaald op": lambda dd, doc: _equals(lambda d: _nl_date(d["validFrom"]))(dd, doc),
    "Geldig tot": _valid_until,
    "Niveau": _level,
    "Omvang": _size,
    "Keuzedeel": lambda dd, doc: _equals(lambda d: _achievement(d)["humanCode"])(dd, doc),
    "Opleiding": _qualification,
    "Beoordeeld door": _assessor,
    "Resultaat": _result,
}

VERIFY: dict[str, Callable[[Any, dict], None]] = {
    "Prestatie": _equals(lambda d: _achievement(d)["name"]),
    # the signed achievementType in words (ext:MboCertificaat → Mbo-certificaat)
    "Soort": _equals(lambda d: str(TYPE_WORDS[_achievement(d)["achievementType"]])),
    "Code": _equals(lambda d: _achievement(d)["humanCode"]),
    "Vakgebied": _equals(lambda d: _achievement(d)["fieldOfStudy"]),
    "Studielast": _size,
    "Werkplek": _equals(lambda d: _achievement(d)["workplace"]),
    "Uitgever": _equals(lambda d: d["issuer"]["name"]),
    "Ontvanger": lambda dd, doc: doc["credentialSubject"]["identifier"][0]["hashed"],
    "Uitgegeven op": _equals(lambda d: _nl_date(d["validFrom"])),
    "Geldig tot": _valid_until,
    "Type": _equals(lambda d: ", ".join(d["type"])),
    "Beoordeeld door": _assessor,
    "Beoordelende organisatie": _equals(lambda d: d["credentialSubject"]["source"]["name"]),
}
#: What the verify page says about the check itself, not about the credential.
ABOUT_THE_CHECK = {"Formaat"}


@pytest.fixture
def issued(app, demo, request):
    with app.app_context():
        cred = issue_full(request.param, LEARNER)
        return cred.uuid, cred.document


def _page(client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.get_data(as_text=True))


KINDS = pytest.mark.parametrize("issued", list(AchievementKind), indirect=True,
                                ids=lambda k: k.value)


@KINDS
def test_every_fact_on_the_passport_page_is_signed(client, auth, issued):
    uuid, doc = issued
    auth.login(LEARNER)
    page = _page(client, f"/passport/c/{uuid}")
    shown = _pairs(page.find_class("facts")[0])
    labels = [label for label, _ in shown]
    # This credential has every fact filled in: the page shows them all.
    assert {"Niveau", "Omvang", "Keuzedeel", "Opleiding", "Beoordeeld door",
            "Resultaat"} <= set(labels), labels
    for label, dd in shown:
        assert label in PASSPORT, f"{label!r} is shown but this test cannot find it signed"
        PASSPORT[label](dd, doc)

    ach = _achievement(doc)
    what = page.get_element_by_id("what-title").getparent()
    paragraphs = [_text(p) for p in what.findall("p")]
    assert paragraphs[0] == ach["description"]
    assert paragraphs[-1] == " ".join(ach["criteria"]["narrative"].split())
    for task in what.findall(".//ul/li"):
        assert _text(task) in _aligned_names(doc)
    workplace = [p for p in paragraphs if p.startswith("Werkplek:")]
    for p in workplace:
        assert p.removeprefix("Werkplek:").strip() == ach["workplace"]
    if ach["achievementType"] == "ext:Praktijkverklaring":
        assert workplace and what.findall(".//ul/li")

    evidence = page.get_element_by_id("ev-title").getparent()
    for item, signed in zip(evidence.findall(".//li"), doc["evidence"], strict=False):
        link = item.find(".//a")
        if link is not None:
            assert link.get("href") == signed["id"] and _text(link) == signed["name"]
        assert signed["narrative"] in _text(item)
    skills = page.get_element_by_id("sk-title").getparent()
    for tag in skills.find_class("tag"):
        assert _text(tag) in _aligned_names(doc)


def test_what_is_not_signed_says_so(app, client, auth, demo):
    """A suspension's reason is status, not part of the credential: the page says so."""
    from badges.issuing import services as issuing
    from badges.issuing.models import CredentialState

    with app.app_context():
        cred = issue_full(AchievementKind.MODULE, LEARNER)
        issuing.change_state(cred, CredentialState.SUSPENDED, "onderzoek loopt", actor_id=None)
        uuid, doc = cred.uuid, cred.document
    auth.login(LEARNER)
    page = _page(client, f"/passport/c/{uuid}")
    for label, dd in _pairs(page.find_class("facts")[0]):
        if label == "Reden":
            assert "onderzoek loopt" in _text(dd) and "onderzoek" not in str(doc)
            assert "Niet ondertekend" in _text(dd.xpath(".//*[@data-unsigned]")[0])
        else:
            PASSPORT[label](dd, doc)


@KINDS
def test_every_fact_on_the_verify_page_is_signed(client, issued):
    uuid, doc = issued
    page = _page(client, f"/verify?credential={uuid}")
    what = page.get_element_by_id("what-title").getparent()
    shown = _pairs(what.find_class("facts")[0])
    labels = {label for label, _ in shown}
    assert {"Studielast", "Code", "Vakgebied"} <= labels, labels
    for label, dd in shown:
        if label in ABOUT_THE_CHECK:
            continue
        assert label in VERIFY, f"{label!r} is shown but this test cannot find it signed"
        VERIFY[label](dd, doc)
    links = [_text(li) for li in what.find_class("tags")[0].findall("li")]
    expected = {f"{in_language(a['targetName'], 'nl')} · {a['targetFramework']}"
                for a in _achievement(doc)["alignment"]}
    assert set(links) == expected
    ach = _achievement(doc)
    for level in ("mbo-niveau 3", "NLQF-niveau 3", "EQF-niveau 4"):
        assert any(link.startswith(level) for link in links), (level, links)
    if ach["achievementType"] == "ext:Praktijkverklaring":
        assert {t for t in _aligned_names(doc)} >= {"Meet de bloeddruk"}
    # the assessor (signed as evidence with genre "Beoordelaar") has its own row (#22 item 6)
    assert ("Beoordeeld door", "J. de Vries, praktijkopleider") in [
        (label, _text(dd)) for label, dd in shown]


@pytest.mark.parametrize("kind", [AchievementKind.MODULE, AchievementKind.MICROCREDENTIAL],
                         ids=lambda k: k.value)
def test_the_achievement_document_keeps_the_standard_contexts_and_its_terms(app, demo, client,
                                                                            kind):
    from badges.credentials.canon import canonicalize

    with app.app_context():
        uuid = full_achievement(kind).uuid
        db.session.commit()
    response = client.get(f"/achievements/{uuid}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    doc = json.loads(response.data)
    assert doc["@context"][:2] == ["https://www.w3.org/ns/credentials/v2",
                                   "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    quads = canonicalize(doc, strict=True)
    assert '<https://skillspas.nl/ns/mc#studyLoadHours> "252"' in quads
    assert "ob/vocab.html#creditsAvailable" in quads

"""Skills in credentials resolve (issue 21, item 6): an ESCO skill points to its real ESCO
concept (from the recorded mapping), every other skill to its own page here, which answers
with its label, group and what teaches it; nothing is called ESCO without an ESCO URI."""

from __future__ import annotations

import re

from badges.catalogue import achievements
from badges.catalogue.models import AchievementKind, Skill
from badges.catalogue.skills_seed import ESCO_URIS, SKILLS
from badges.credentials.language import in_language
from badges.kernel.db import db
from badges.listings.search import Filters, search
from tests._facts_support import issue_full

ESCO_PATTERN = re.compile(r"http://data\.europa\.eu/esco/skill/"
                          r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
BASE = "http://localhost"


def _skill_alignments(doc: dict) -> list[dict]:
    return [a for a in doc["credentialSubject"]["achievement"]["alignment"]
            if a.get("targetType") == "ceasn:Competency"]


def _issue_with_every_skill(app) -> tuple[dict, Skill]:
    """A fresh credential teaching every seeded skill plus one typed in by the issuer."""
    with app.app_context():
        typed = achievements.resolve_skills([], ["Scheidsrechter zijn bij een jeugdwedstrijd"])[0]
        db.session.flush()
        credential = issue_full(AchievementKind.OPEN_BADGE, "alle-vaardigheden@example.nl")
        credential.achievement.skills = list(db.session.scalars(db.select(Skill)))  # typed too
        db.session.flush()
        from badges.issuing import services as issuing
        from badges.kernel import events
        from badges.organisations.models import Organisation

        org = db.session.get(Organisation, credential.achievement.organisation_id)
        with events.muted():
            fresh = issuing.issue_many(org, [issuing.IssueRequest(
                achievement=credential.achievement, recipient_email="vers@example.nl",
                recipient_name="Vers")])[0].credential
        return fresh.document, typed


def _base(app) -> str:
    return app.config["BADGES"]["BASE_URL"]


def test_every_skill_alignment_in_a_fresh_credential_dereferences(app, client, demo):
    doc, _typed = _issue_with_every_skill(app)
    aligned = _skill_alignments(doc)
    assert len(aligned) >= len(SKILLS) + 1
    base = _base(app)
    for a in aligned:
        url = a["targetUrl"]
        name = in_language(a["targetName"])  # Dutch; skills with English carry both
        if url.startswith(base + "/"):
            page = client.get(url.removeprefix(base))
            assert page.status_code == 200, url
            assert name in page.get_data(as_text=True)
        else:
            assert ESCO_PATTERN.fullmatch(url), url
            assert ESCO_URIS.get(name) == url, a


def test_nothing_is_called_esco_without_an_esco_uri(app, demo):
    doc, _typed = _issue_with_every_skill(app)
    for a in _skill_alignments(doc):
        esco = ESCO_PATTERN.fullmatch(a["targetUrl"]) is not None
        assert ("ESCO" in (a.get("targetFramework") or "")) == esco, a
        if esco:
            assert a["targetCode"] == a["targetUrl"].rsplit("/", 1)[1]
    for seed in SKILLS:
        assert seed.esco_uri == "" or ESCO_PATTERN.fullmatch(seed.esco_uri), seed


def test_a_row_labelled_esco_with_a_made_up_code_is_not_signed_as_esco(app, client, demo):
    with app.app_context():
        legacy = Skill(label="Oud label", framework="ESCO", code="T4.1", group="Oud")
        db.session.add(legacy)
        db.session.flush()
        from badges.issuing.credential_data import skill_data

        data = skill_data(legacy)
        assert data.framework == "Skillspas" and data.code is None
        assert data.url == f"{_base(app)}/skills/{legacy.id}"
        assert client.get(f"/skills/{legacy.id}").status_code == 200


def test_the_skill_page_shows_label_group_and_what_teaches_it(app, client, demo):
    with app.app_context():
        entry = next(e for e in search(Filters()) if not e.is_pathway and e.skills)
        skill = entry.skills[0]
        skill_id, label, group = skill.id, skill.label, skill.group
        uuid, name = entry.achievement.uuid, entry.achievement.name
    page = client.get(f"/skills/{skill_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"<h1>{label}</h1>" in html and group and group in html
    assert f'href="/achievements/{uuid}"' in html  # the achievement's public page
    assert f'href="/aanbod/{uuid}"' in html  # and where it is offered
    assert name in html
    # the overview (old credentials point there) and the link from the achievement page
    assert client.get("/skills").status_code == 200
    assert f'href="/skills/{skill_id}"' in client.get(f"/achievements/{uuid}").get_data(as_text=True)


def test_machines_get_json_ld(app, client, demo):
    with app.app_context():
        ids = {s.label: s.id for s in db.session.scalars(db.select(Skill))}
    doc = client.get(f"/skills/{ids['Zelfstandig leren']}",
                     headers={"Accept": "application/ld+json"}).get_json()
    assert doc["@id"] == f"{_base(app)}/skills/{ids['Zelfstandig leren']}"
    assert doc["name"] == "Zelfstandig leren" and "sameAs" not in doc
    esco = client.get(f"/skills/{ids['Lassen']}", headers={"Accept": "application/ld+json"}).get_json()
    assert esco["sameAs"] == ESCO_URIS["Lassen"]


def test_unknown_and_private_skills_are_404(app, client, demo):
    with app.app_context():
        draft_only = Skill(label="Alleen in een concept")
        db.session.add(draft_only)
        db.session.flush()
        hidden = draft_only.id
    assert client.get(f"/skills/{hidden}").status_code == 404
    assert client.get("/skills/999999").status_code == 404
    assert client.get("/skills/abc").status_code == 404


def test_the_benchmark_credential_names_only_recorded_esco_concepts():
    from badges.credentials.bench import SKILLS as BENCH

    recorded = set(ESCO_URIS.values())
    assert all(url in recorded for _name, url in BENCH)


def test_every_seeded_skill_stays_a_catalogue_filter(app, client, demo):
    html = client.get("/aanbod").get_data(as_text=True)
    for seed in SKILLS:
        assert f">{seed.label}</option>" in html, seed.label

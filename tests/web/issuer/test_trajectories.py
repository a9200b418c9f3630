"""Defining LLO trajectories in the issuer workspace: the form, its rules and who may use it."""

from __future__ import annotations

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement, Pathway
from badges.issuing import services as issuing
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.trajectories.models import AwardState, TrajectoryAward
from tests.conftest import post_form
from tests.web.issuer.conftest import ADMIN, OUTSIDER, TEACHER, VIEWER, org

URL = "/issuer/{slug}/trajecten"
TARGET = "Mbo-certificaat Helpende zorg en welzijn: basiszorg"
COMPONENTS = ("Digitale vaardigheden basis", "Samenwerken in het team", "Digitaal meedoen")
LEARNER = "henk@example.nl"  # holds none of the components


def _achievement(name: str) -> Achievement:
    return db.session.scalar(db.select(Achievement).filter_by(name=name))


@pytest.fixture
def ids(app, world):
    with app.app_context():
        college = org()
        return {"slug": college.slug, "college_id": college.id,
                "target": _achievement(TARGET).id,
                "components": [_achievement(n).id for n in COMPONENTS],
                "partner": org("zorggroep-de-linde").id}


def _form(ids, **changes) -> dict:
    data = {"name": "Digitaal aan het werk", "description": "Voor wie opnieuw begint.",
            "target": str(ids["target"]), "components": [str(i) for i in ids["components"]],
            "rule": "any", "min_required": "2", "max_months": "12",
            "partners": [str(ids["partner"])], "award_mode": "automatic"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _new(client, ids, **changes):
    url = URL.format(**ids) + "/new"
    return post_form(client, url, _form(ids, **changes))


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(Pathway.id)))


class TestCreate:
    def test_any_two_of_three_automatic_awards_the_target(self, app, client, auth, ids,
                                                         mailbox):
        auth.login(TEACHER)
        response = _new(client, ids)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(URL.format(**ids))
        with app.test_request_context():
            pathway = db.session.scalar(db.select(Pathway).filter_by(
                name="Digitaal aan het werk"))
            assert pathway.organisation_id == ids["college_id"]
            assert (pathway.min_required, pathway.ordered, pathway.max_months,
                    pathway.award_mode) == (2, False, 12, "automatic")
            assert [s.achievement_id for s in pathway.steps] == ids["components"]
            assert [p.organisation_id for p in pathway.partners] == [ids["partner"]]
            assert db.session.scalar(db.select(AuditEvent).filter_by(
                action="trajectory.create", subject_id=str(pathway.id))) is not None

            learner = db.session.scalar(db.select(User).filter_by(email=LEARNER))
            for i, name in enumerate(COMPONENTS[:2]):
                component = _achievement(name)
                issuing.issue(db.session.get(Organisation, component.organisation_id),
                              issuing.IssueRequest(achievement=component,
                                                   recipient_email=learner.email,
                                                   recipient_name=learner.name))
                award = db.session.scalar(db.select(TrajectoryAward).filter_by(
                    pathway_id=pathway.id, user_id=learner.id))
                if i == 0:
                    assert award is None, "one of three is not enough"
            assert award.state == AwardState.ISSUED
            assert award.credential.achievement_id == ids["target"]
            assert award.credential.organisation_id == ids["college_id"]
        page = client.get(URL.format(**ids)).get_data(as_text=True)
        assert "Digitaal aan het werk" in page and "2 van de 3 onderdelen" in page

    def test_edit_changes_the_rules(self, app, client, auth, ids):
        auth.login(ADMIN)
        assert _new(client, ids).status_code == 302
        with app.app_context():
            pathway_id = db.session.scalar(db.select(Pathway.id).filter_by(
                name="Digitaal aan het werk"))
        url = URL.format(**ids) + f"/{pathway_id}/edit"
        page = client.get(url).get_data(as_text=True)
        assert 'value="Digitaal aan het werk"' in page
        response = post_form(client, url, _form(
            ids, rule="ordered", min_required="", award_mode="approval", partners=None,
            components=[str(i) for i in ids["components"][:2]]))
        assert response.status_code == 302
        with app.app_context():
            pathway = db.session.get(Pathway, pathway_id)
            assert (pathway.min_required, pathway.ordered, pathway.award_mode) == \
                (None, True, "approval")
            assert len(pathway.steps) == 2 and pathway.partners == []

    def test_form_offers_other_organisations_grouped(self, client, auth, ids):
        auth.login(TEACHER)
        page = client.get(URL.format(**ids) + "/new").get_data(as_text=True)
        assert page.count("<optgroup") >= 3  # own organisation first, then the others
        assert "Samenwerken in het team" in page


class TestValidation:
    @pytest.mark.parametrize(("changes", "message"), [
        ({"min_required": "4"}, "Vul een aantal in van 1 tot en met 3"),
        ({"min_required": ""}, "Vul een aantal in van 1 tot en met 3"),
        ({"components": None}, "Kies minstens 2 onderdelen."),
        ("one", "Kies minstens 2 onderdelen."),
        ("target_in_components", "Het einddoel kan niet ook een onderdeel zijn."),
        ({"target": ""}, "Kies een gepubliceerde prestatie van je eigen organisatie"),
        ("foreign_target", "Kies een gepubliceerde prestatie van je eigen organisatie"),
        ({"name": ""}, "Geef het traject een naam."),
    ])
    def test_errors_are_shown_and_nothing_is_saved(self, app, client, auth, ids, changes,
                                                   message):
        if changes == "one":
            changes = {"components": [str(ids["components"][0])]}
        elif changes == "target_in_components":
            changes = {"components": [str(i) for i in [*ids["components"], ids["target"]]]}
        elif changes == "foreign_target":
            changes = {"target": str(ids["components"][0])}
        auth.login(TEACHER)
        with app.app_context():
            before = _count()
        response = _new(client, ids, **changes)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and 'aria-invalid="true"' in page
        with app.app_context():
            assert _count() == before


class TestAccess:
    def test_other_organisation_gets_403(self, app, client, auth, ids):
        auth.login(OUTSIDER)
        with app.app_context():
            before = _count()
            pathway_id = db.session.scalar(db.select(Pathway.id).filter_by(
                organisation_id=ids["college_id"]))
        assert client.get(URL.format(**ids)).status_code == 403
        assert client.get(URL.format(**ids) + "/new").status_code == 403
        assert _new(client, ids).status_code == 403
        edit = URL.format(**ids) + f"/{pathway_id}/edit"
        assert post_form(client, edit, _form(ids), page="/").status_code == 403
        with app.app_context():
            assert _count() == before
            assert db.session.get(Pathway, pathway_id).name != "Digitaal aan het werk"

    def test_viewer_reads_but_cannot_create(self, app, client, auth, ids):
        auth.login(VIEWER)
        page = client.get(URL.format(**ids))
        assert page.status_code == 200 and "Van kassa naar zorg" in page.get_data(as_text=True)
        assert "Nieuw traject" not in page.get_data(as_text=True)
        assert client.get(URL.format(**ids) + "/new").status_code == 403
        with app.app_context():
            before = _count()
        response = post_form(client, URL.format(**ids) + "/new", _form(ids),
                             page=URL.format(**ids))
        assert response.status_code == 403
        with app.app_context():
            assert _count() == before

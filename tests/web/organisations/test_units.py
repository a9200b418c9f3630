"""Org admins build their own tree of units (ROC → college → team), move and archive them."""

from __future__ import annotations

from badges.catalogue.models import Achievement, AchievementKind, AchievementState
from badges.kernel.db import db
from badges.organisations.models import Organisation
from tests.conftest import post_form

ROC = "roc-de-maasvallei"
ROC_ADMIN = "beheer@rocdemaasvallei.example"


def _by_name(name: str) -> Organisation:
    return db.session.scalar(db.select(Organisation).filter_by(name=name))


def _add(client, parent_id: int, name: str):
    return post_form(client, f"/issuer/{ROC}/units", {"name": name, "parent": parent_id})


def test_units_three_deep_moved_and_archived(app, demo, client, auth):
    auth.login(ROC_ADMIN)
    with app.app_context():
        roc_id = db.session.scalar(db.select(Organisation.id).filter_by(slug=ROC))
    assert _add(client, roc_id, "College Techniek").status_code == 302
    with app.app_context():
        college_id = _by_name("College Techniek").id
    assert _add(client, college_id, "Team Installatietechniek").status_code == 302
    with app.app_context():
        team = _by_name("Team Installatietechniek")
        team_id = team.id
        assert team.parent.parent.slug == ROC
    assert _add(client, team_id, "Werkgroep BBL").status_code == 302
    page = client.get(f"/issuer/{ROC}/units").get_data(as_text=True)
    assert "— — — Werkgroep BBL" in page
    # the maker administers the new unit: it can invite its own people
    with app.app_context():
        sub_slug = _by_name("Werkgroep BBL").slug
    assert client.get(f"/issuer/{sub_slug}/people").status_code == 200
    # move the team from College Techniek straight under the ROC
    response = post_form(client, f"/issuer/{ROC}/units/{team_id}/move", {"parent": roc_id},
                         page=f"/issuer/{ROC}/units")
    assert response.status_code == 302
    with app.app_context():
        assert _by_name("Team Installatietechniek").parent_id == roc_id
    # never under itself or below it
    with app.app_context():
        sub_id = _by_name("Werkgroep BBL").id
    post_form(client, f"/issuer/{ROC}/units/{team_id}/move", {"parent": sub_id},
              page=f"/issuer/{ROC}/units")
    with app.app_context():
        assert _by_name("Team Installatietechniek").parent_id == roc_id
    # archiving asks first (#22 item 8): the page names the unit; nothing happens yet
    asked = post_form(client, f"/issuer/{ROC}/units/{team_id}/archive", {},
                      page=f"/issuer/{ROC}/units")
    assert asked.status_code == 200 and "Team Installatietechniek" in asked.get_data(as_text=True)
    with app.app_context():
        assert _by_name("Team Installatietechniek").archived_at is None
    # archive the team: its sub-unit goes with it, and it issues nothing new
    response = post_form(client, f"/issuer/{ROC}/units/{team_id}/archive", {"confirmed": "1"},
                         page=f"/issuer/{ROC}/units")
    assert response.status_code == 302
    with app.app_context():
        assert _by_name("Team Installatietechniek").archived_at is not None
        assert _by_name("Werkgroep BBL").archived_at is not None
        sub = _by_name("Werkgroep BBL")
        achievement = Achievement(organisation_id=sub.id, kind=AchievementKind.OPEN_BADGE,
                                  name="Veilig werken", state=AchievementState.PUBLISHED)
        db.session.add(achievement)
        db.session.commit()
        achievement_id = achievement.id
    response = post_form(client, f"/issuer/{sub_slug}/issue", {
        "achievement": achievement_id, "recipient_email": "x@example.nl",
        "recipient_name": "X"})
    assert response.status_code == 422
    assert "gearchiveerd" in response.get_data(as_text=True)


def test_units_of_another_tree_cannot_be_touched(app, demo, client, auth):
    auth.login(ROC_ADMIN)
    with app.app_context():
        other = db.session.scalar(db.select(Organisation).filter_by(
            slug="vakcollege-techniek-brabant"))
        other_id = other.id
        roc_id = db.session.scalar(db.select(Organisation.id).filter_by(slug=ROC))
    response = post_form(client, f"/issuer/{ROC}/units/{other_id}/archive", {"confirmed": "1"},
                         page=f"/issuer/{ROC}/units")
    assert response.status_code == 404
    response = _add(client, other_id, "Inbraak")
    assert response.status_code == 422
    with app.app_context():
        assert _by_name("Inbraak") is None
        assert db.session.get(Organisation, other_id).archived_at is None
    # a teacher (issuer) of the college cannot manage units
    auth.logout()
    auth.login("docent@rocdemaasvallei.example")
    assert _add(client, roc_id, "Docententeam").status_code == 403

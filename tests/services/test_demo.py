"""``badges demo``: realistic, complete and idempotent."""

from __future__ import annotations

import json

from badges.catalogue.models import AchievementKind
from badges.kernel.db import db
from badges.organisations.models import Organisation, OrganisationKind
from tests.conftest import count_rows

TABLES = ["organisation", "user_account", "membership", "achievement", "skill",
          "pathway", "pathway_step", "credential", "signing_key", "status_list",
          "organisation_request"]


def test_second_run_changes_nothing(app):
    from badges.demo.loader import load_demo

    with app.app_context():
        first = load_demo()
        counts = {t: count_rows(t) for t in TABLES}
        second = load_demo()
        assert {t: count_rows(t) for t in TABLES} == counts
        assert first == second


def test_demo_covers_every_organisation_kind_and_achievement_type(demo, app):
    with app.app_context():
        kinds = set(db.session.scalars(db.select(Organisation.kind)))
        assert {OrganisationKind.COLLEGE, OrganisationKind.EMPLOYER,
                OrganisationKind.COMMUNITY, OrganisationKind.MUNICIPALITY} <= kinds
        roc = db.session.scalar(db.select(Organisation).filter_by(slug="roc-de-maasvallei"))
        assert roc.children, "the ROC has a college inside it"
    assert {a["type"] for a in demo["achievements"]} == {k.value for k in AchievementKind}
    names = {a["name"] for a in demo["accounts"]}
    for persona in ("Vanessa", "Henk", "Ben", "Prucha"):
        assert any(n.startswith(persona) for n in names)


def test_demo_has_a_sports_club_that_signed_up_and_was_approved(demo, app):
    from badges.organisations.models import OrganisationRequest, RequestState

    with app.app_context():
        row = db.session.scalar(db.select(OrganisationRequest).join(
            Organisation, Organisation.id == OrganisationRequest.organisation_id).filter(
            Organisation.kind == OrganisationKind.COMMUNITY))
        assert row is not None and row.state == RequestState.APPROVED
        assert row.organisation.slug == "sv-osc-28" and row.kvk == row.organisation.kvk


def test_cli_prints_summary_as_json(runner, app):
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"issuers", "achievements", "accounts"}
    assert set(data["issuers"][0]) == {"slug", "name", "kind"}
    assert set(data["achievements"][0]) == {"id", "name", "type", "issuer"}
    assert set(data["accounts"][0]) == {"email", "password", "name", "role"}

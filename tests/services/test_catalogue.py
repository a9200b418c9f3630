"""The catalogue search: every filter in SQL, only listed and published offerings."""

from __future__ import annotations

import pytest

from badges.catalogue import achievements
from badges.catalogue.achievements import AchievementInput
from badges.catalogue.models import Achievement, AchievementKind, AchievementState, Skill
from badges.kernel.db import db
from badges.listings import search as catalogue
from badges.listings.models import Listing
from badges.listings.search import Filters

VCA = {"Veilig werken in de werkplaats", "Mbo-certificaat Basisvaardigheden metaalbewerken",
       "Werkbegeleider in de bouw", "Op weg naar het mbo-certificaat metaalbewerken"}
FREE = {"Digitale vaardigheden basis", "Praktijkverklaring Ondersteunen bij dagelijkse zorg",
        "Samenwerken in het team", "Jeugdtrainer", "Digitaal meedoen",
        "Taalcafé: Nederlands op B1"}


def names(**filters) -> set[str]:
    return {e.name for e in catalogue.search(Filters(**filters))}


def _skill(label: str) -> int:
    return db.session.scalar(db.select(Skill.id).filter_by(label=label))


def _achievement(name: str) -> Achievement:
    return db.session.scalar(db.select(Achievement).filter_by(name=name, version=1))


@pytest.fixture
def world(app, demo):
    with app.app_context():
        yield demo


class TestFilters:
    def test_no_filter_lists_every_listed_offering(self, world):
        found = names()
        assert len(found) == 20  # 18 achievements + 2 trajectories
        assert "Praktijkverklaring Timmerwerk renovatie" not in found  # not listed
        assert {"Van kassa naar zorg", "Op weg naar het mbo-certificaat metaalbewerken"} <= found

    def test_skill_finds_achievements_and_trajectories_that_teach_it(self, world):
        assert names(skill=_skill("Veilig werken (VCA)")) == VCA

    @pytest.mark.parametrize(("filters", "expected"), [
        ({"q": "lassen"}, {"Lassen basis", "Mbo-certificaat Basisvaardigheden metaalbewerken",
                           "Op weg naar het mbo-certificaat metaalbewerken"}),
        ({"q": "LERENDE stad"}, {"Digitaal meedoen", "Taalcafé: Nederlands op B1"}),
        ({"q": "100%"}, set()),
        ({"sector": "sport"}, {"Samenwerken in het team", "Jeugdtrainer"}),
        ({"level": "mbo:4"}, {"Deelcertificaat Werkvoorbereiding bouw"}),
        ({"level": "qf:3"}, {"Werkbegeleider in de bouw"}),
        ({"level": "nonsense"}, set()),
        ({"type": "keuzedeel"}, {"Zorg voor mensen met dementie", "Digitale vaardigheden basis"}),
        ({"type": "traject"}, {"Van kassa naar zorg",
                               "Op weg naar het mbo-certificaat metaalbewerken"}),
        ({"format": "online"}, {"Digitale vaardigheden basis"}),
        ({"place": "HEESCH"}, {"Werkbegeleider in de bouw"}),
        ({"max_weeks": 2}, {"Veilig werken in de werkplaats", "Meten en controleren"}),
        ({"max_sbu": 40}, {"Veilig werken in de werkplaats", "Meten en controleren"}),
        ({"free": True}, FREE),
        ({"funding": "uwv"}, {"Mbo-certificaat Helpende zorg en welzijn: basiszorg",
                              "Veilig werken in de werkplaats", "Lassen basis",
                              "Mbo-certificaat Basisvaardigheden metaalbewerken",
                              "Op weg naar het mbo-certificaat metaalbewerken",
                              "Van kassa naar zorg"}),
        ({"language": "en"}, set()),
        ({"issuer": "sv-osc-28"}, {"Samenwerken in het team", "Jeugdtrainer"}),
    ])
    def test_each_filter(self, world, filters, expected):
        assert names(**filters) == expected

    def test_filters_combine(self, world):
        found = names(skill=_skill("Veilig werken (VCA)"), level="mbo:2", format="op_locatie")
        assert found == {"Veilig werken in de werkplaats",
                         "Op weg naar het mbo-certificaat metaalbewerken"}

    def test_bilingual_offerings_match_both_languages(self, world):
        row = db.session.scalar(db.select(Listing).filter_by(
            achievement_lineage=_achievement("Lassen basis").lineage))
        row.language = "nl-en"
        db.session.flush()
        assert names(language="en") == {"Lassen basis"}
        assert "Lassen basis" in names(language="nl")


class TestWhatShows:
    def test_unlisted_is_hidden_everywhere(self, world):
        a = _achievement("Basiszorg")
        db.session.scalar(db.select(Listing).filter_by(achievement_lineage=a.lineage)).listed = False
        db.session.flush()
        assert "Basiszorg" not in names()
        assert catalogue.achievement_entry(a.uuid) is None

    def test_a_new_version_keeps_its_listing(self, world):
        old = _achievement("Basiszorg")
        new = achievements.update(old, AchievementInput(
            kind=AchievementKind.MODULE, name="Basiszorg", description="Nieuwe tekst.",
            mbo_level="2", sbu=120), actor_id=None)
        assert new.id != old.id
        [entry] = [e for e in catalogue.search(Filters(q="Basiszorg")) if e.name == "Basiszorg"]
        assert entry.achievement.id == new.id
        assert catalogue.achievement_entry(old.uuid) is None  # archived version
        assert catalogue.achievement_entry(new.uuid).description == "Nieuwe tekst."

    def test_archived_and_draft_achievements_never_show(self, world):
        _achievement("Lassen basis").state = AchievementState.ARCHIVED
        _achievement("Verspanen 1").state = AchievementState.DRAFT
        db.session.flush()
        assert not {"Lassen basis", "Verspanen 1"} & names()

    def test_stacks_into_names_the_trajectories(self, world):
        [(pathway, listing)] = catalogue.stacks_into(_achievement("Lassen basis"))
        assert pathway.name == "Op weg naar het mbo-certificaat metaalbewerken"
        assert listing is not None and listing.listed

    def test_options_offer_places_and_issuers_of_listed_entries(self, world):
        options = catalogue.options()
        assert options.places == ["Heesch", "Oss", "Uden"]
        assert "bouwbedrijf-van-houten" not in dict(options.issuers)  # lists nothing
        assert "keuzedeel" in options.kinds and "llo_traject" not in options.kinds

"""Listing rules: what a listing needs, funding tags, and the applications flag by lineage."""

from __future__ import annotations

from decimal import Decimal

import pytest

from badges.catalogue.achievements import InvalidAchievement
from badges.catalogue.models import Achievement, AchievementKind
from badges.kernel.db import db
from badges.listings import services as listing
from badges.listings.models import FundingTag
from badges.listings.services import ListingInput
from badges.organisations.models import Organisation

GOOD = {"listed": True, "sector": "techniek", "format": "online", "start_email": "a@b.nl"}


@pytest.fixture
def achievement(app):
    with app.test_request_context():
        org = Organisation(slug="test-org", name="Testschool", kind="college")
        db.session.add(org)
        db.session.flush()
        a = Achievement(organisation=org, kind=AchievementKind.MODULE, name="Test", details={})
        db.session.add(a)
        db.session.flush()
        yield a


class TestSave:
    def test_listing_needs_sector_format_and_a_way_to_start(self, achievement):
        with pytest.raises(InvalidAchievement) as exc:
            listing.save_for_achievement(achievement, ListingInput(listed=True), actor_id=None)
        assert set(exc.value.errors) == {"sector", "format", "start_url"}

    def test_an_unlisted_draft_may_be_incomplete(self, achievement):
        row = listing.save_for_achievement(achievement, ListingInput(city="Oss"), actor_id=None)
        assert not row.listed and row.city == "Oss"

    @pytest.mark.parametrize(("change", "field"), [
        ({"cost_kind": "bedrag"}, "cost_euro"),
        ({"start_url": "www.zonder-https.nl"}, "start_url"),
        ({"start_email": "geen-adres"}, "start_email"),
        ({"sector": "ruimtevaart"}, "sector"),
        ({"funding": ["loterij"]}, "funding"),
        ({"duration_weeks": 0}, "duration_weeks"),
    ])
    def test_refuses_wrong_values(self, achievement, change, field):
        with pytest.raises(InvalidAchievement) as exc:
            listing.save_for_achievement(achievement, ListingInput(**{**GOOD, **change}),
                                         actor_id=None)
        assert field in exc.value.errors

    def test_funding_tags_are_replaced(self, achievement):
        listing.save_for_achievement(achievement, ListingInput(
            **GOOD, funding=["uwv", "gemeente"], cost_kind="bedrag", cost_euro=Decimal("99")),
            actor_id=None)
        row = listing.save_for_achievement(achievement, ListingInput(
            **GOOD, funding=["gemeente", "werkgever"]), actor_id=None)
        assert row.funding_tags == [FundingTag.GEMEENTE, FundingTag.WERKGEVER]
        assert row.cost_euro is None  # no amount unless the cost is "bedrag"


class TestApplicationsOpen:
    def test_default_closed_and_follows_the_lineage(self, achievement):
        assert listing.applications_open(achievement) is False
        listing.save_for_achievement(achievement, ListingInput(applications_open=True),
                                     actor_id=None)
        newer = Achievement(organisation_id=achievement.organisation_id, kind=achievement.kind,
                            name="Test", lineage=achievement.lineage, version=2, details={})
        db.session.add(newer)
        db.session.flush()
        assert listing.applications_open(newer) is True

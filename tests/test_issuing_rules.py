"""The issuing rules on their own: pure functions, a value in, ``None`` or a message out.

The issue form, the API schema and the CSV reader all call these
(``badges/issuing/rules.py``); their own tests show the same rule at each door.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from badges.catalogue.models import AchievementState
from badges.issuing import rules

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_a_message_has_dutch_and_english_and_shows_dutch_outside_a_request():
    problem = rules.email_problem("geen-adres")
    assert problem is not None and problem.nl != problem.en
    assert "e-mailadres" in problem.nl and "email" in problem.en
    assert str(problem) == problem.nl


def test_a_message_follows_the_language_of_the_page(app):
    problem = rules.name_problem("")
    with app.test_request_context("/?lang=en"):
        assert str(problem) == problem.en
    with app.test_request_context("/"):
        assert str(problem) == problem.nl


class TestEmail:
    @pytest.mark.parametrize("value", ["a@example.nl", "  Vanessa.de.Vries@Example.NL ",
                                       "ü@voorbeeld.nl", f"{'a' * 240}@example.nl"])
    def test_fine(self, value):
        assert rules.email_problem(value) is None

    @pytest.mark.parametrize("value", ["", "   ", "a@b", "a b@example.nl", "a@@example.nl",
                                       "a..b@example.nl", "a@example.nl;b@example.nl",
                                       f"{'a' * 250}@example.nl"])
    def test_refused(self, value):
        assert rules.email_problem(value) is not None

    def test_normalised_lower_case_without_spaces(self):
        assert rules.normalise_email("  Vanessa@Example.NL ") == "vanessa@example.nl"

    def test_missing_says_so(self):
        assert "ontbreekt" in rules.email_problem("").nl


class TestName:
    def test_required_and_at_most_200(self):
        assert rules.name_problem("Henk") is None
        assert rules.name_problem("x" * 200) is None
        assert "ontbreekt" in rules.name_problem("   ").nl
        assert "200" in rules.name_problem("x" * 201).nl

    def test_optional_where_the_door_allows_it(self):
        assert rules.name_problem(None, required=False) is None
        assert rules.name_problem("x" * 201, required=False) is not None


class TestEvidenceUrl:
    @pytest.mark.parametrize("value", ["https://portfolio.example/vanessa",
                                       "http://localhost:8000/x", "HTTPS://EXAMPLE.NL"])
    def test_fine(self, value):
        assert rules.evidence_url_problem(value) is None

    @pytest.mark.parametrize("value", ["ftp://example.nl/x", "javascript://x%0aalert(1)",
                                       "portfolio.example", "https://", "https://a b.nl",
                                       "https://example.nl/" + "x" * 500])
    def test_refused(self, value):
        assert rules.evidence_url_problem(value) is not None

    def test_narrative_at_most_2000(self):
        assert rules.narrative_problem("x" * 2000) is None
        assert rules.narrative_problem("x" * 2001) is not None


class TestResult:
    def test_value_at_most_200(self):
        assert rules.result_value_problem("7,5") is None
        assert rules.result_value_problem("x" * 201) is not None

    def test_status_from_the_open_badges_list(self):
        assert rules.result_status_problem("Completed") is None
        assert rules.result_status_problem("Geslaagd") is not None


class TestValidUntil:
    def test_in_the_future_only(self):
        assert rules.valid_until_problem(NOW + timedelta(seconds=1), NOW) is None
        assert "verleden" in rules.valid_until_problem(NOW, NOW).nl
        assert rules.valid_until_problem(NOW - timedelta(days=1), NOW) is not None

    def test_a_date_means_the_end_of_that_day(self):
        # Through that day in Dutch time: 23:59:59 CEST is 21:59:59 UTC (and CET 22:59:59)
        assert rules.end_of_day(date(2026, 6, 1)) == datetime(2026, 6, 1, 21, 59, 59, tzinfo=UTC)
        assert rules.end_of_day(date(2026, 12, 1)) == datetime(2026, 12, 1, 22, 59, 59, tzinfo=UTC)
        assert rules.valid_until_problem(rules.end_of_day(NOW.date()), NOW) is None


class TestAchievement:
    def _achievement(self, org_id=1, state=AchievementState.PUBLISHED, archived_at=None):
        return SimpleNamespace(organisation_id=org_id, state=state,
                               organisation=SimpleNamespace(archived_at=archived_at))

    def test_issuable_only_when_published_and_our_own(self):
        assert rules.achievement_problem(self._achievement(), 1) is None
        assert "hoort niet bij" in rules.achievement_problem(self._achievement(org_id=2), 1).nl
        assert "niet gepubliceerd" in rules.achievement_problem(
            self._achievement(state=AchievementState.DRAFT), 1).nl
        assert "gearchiveerd" in rules.achievement_problem(self._achievement(archived_at=NOW), 1).nl


def test_a_message_is_dutch_in_a_job_or_the_cli(app):
    problem = rules.name_problem("")
    with app.app_context():  # no request: no page language to follow
        assert str(problem) == problem.nl

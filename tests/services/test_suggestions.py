"""'What could I do next?': the pure ranking rules, and the demo learner's suggestions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from badges.accounts.models import User
from badges.kernel.db import db
from badges.listings import suggestions
from badges.listings.suggestions import Candidate
from badges.trajectories.pathways import PathwayProgress


def _a(lineage: str) -> SimpleNamespace:
    return SimpleNamespace(lineage=lineage, name=lineage)


def _progress(pid: int, done: list[str], missing: list[str], target: str = "Certificaat"):
    pathway = SimpleNamespace(id=pid, name=f"Route {pid}", target=SimpleNamespace(name=target),
                              organisation=SimpleNamespace(name="ROC"))
    return PathwayProgress(pathway, [_a(x) for x in done], [_a(x) for x in missing],
                           len(done) + len(missing))


def _c(lineage: str, skills: dict[int, str]) -> Candidate:
    return Candidate(lineage, f"uuid-{lineage}", lineage.capitalize(), "ROC", skills)


@pytest.fixture(autouse=True)
def ctx(app):
    with app.test_request_context():
        yield


class TestSuggest:
    def test_skill_overlap_says_what_you_have_and_what_is_new(self):
        [s] = suggestions.suggest({"held"}, {1: "Lassen"}, [_c("metaal", {1: "Lassen",
                                                                          2: "Verspanen"})], [], set())
        assert s.kind == "achievement" and s.uuid == "uuid-metaal"
        assert s.reasons == ["Je hebt al: Lassen", "Nieuw voor jou: Verspanen"]

    def test_for_an_adviser_the_reasons_name_the_learner(self):
        cands = [_c("metaal", {1: "Lassen", 2: "Verspanen"})]
        [p, s] = suggestions.suggest({"held", "a"}, {1: "Lassen"}, cands,
                                     [_progress(7, ["a"], ["b"])], {7}, about="Sanne")
        assert s.reasons == ["Sanne heeft al: Lassen", "Nieuw voor Sanne: Verspanen"]
        assert p.reasons == ["Sanne heeft al 1 van 2 onderdelen"]

    def test_what_you_hold_is_never_suggested(self):
        found = suggestions.suggest({"metaal"}, {1: "Lassen"}, [_c("metaal", {1: "Lassen"})],
                                    [], set())
        assert found == []

    def test_no_overlap_no_suggestion(self):
        assert suggestions.suggest(set(), {1: "Lassen"}, [_c("zorg", {9: "Zorg"})], [], set()) == []

    def test_missing_listed_step_of_a_started_trajectory_comes_first(self):
        progress = [_progress(1, ["a", "b"], ["c", "d"], target="Mbo-certificaat")]
        found = suggestions.suggest(
            {"a", "b"}, {1: "Lassen"},
            [_c("c", {}), _c("x", {1: "Lassen", 2: "Meten"}), _c("y", {1: "Lassen"})],
            progress, set())
        assert [s.uuid for s in found] == ["uuid-c", "uuid-x", "uuid-y"]
        assert found[0].reasons == ["Nog 2 stappen voor Mbo-certificaat"]
        assert "uuid-d" not in {s.uuid for s in found}  # not listed

    def test_one_step_left_reads_singular(self):
        [s] = suggestions.suggest({"a"}, {}, [_c("b", {})], [_progress(1, ["a"], ["b"])], set())
        assert s.reasons == ["Nog 1 stap voor Certificaat"]

    def test_listed_trajectory_itself_is_suggested(self):
        [s] = suggestions.suggest({"a"}, {}, [], [_progress(7, ["a"], ["b", "c"])], {7})
        assert (s.kind, s.pathway_id) == ("pathway", 7)
        assert s.reasons == ["Je hebt al 1 van 3 onderdelen"]

    def test_complete_trajectories_are_skipped(self):
        assert suggestions.suggest({"a"}, {}, [], [_progress(7, ["a"], [])], {7}) == []

    def test_fewer_steps_left_ranks_higher_and_limit_applies(self):
        progress = [_progress(1, ["a"], ["b", "c", "d"]), _progress(2, ["e"], ["f"])]
        cands = [_c(x, {}) for x in "bcdf"]
        found = suggestions.suggest({"a", "e"}, {}, cands, progress, set(), limit=2)
        assert [s.uuid for s in found] == ["uuid-f", "uuid-b"]


class TestForUser:
    def test_vanessa_gets_her_missing_care_step_first(self, app, demo):
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        found = suggestions.for_user(vanessa.id)
        assert found[0].name == "Praktijkverklaring Ondersteunen bij dagelijkse zorg"
        assert "Nog 1 stap voor Van kassa naar zorg" in found[0].reasons
        names = {s.name for s in found}
        assert not {"Basiszorg", "Hygiëne en veiligheid", "Digitaal meedoen"} & names  # held
        assert all(s.reasons for s in found)

    def test_a_learner_with_nothing_gets_nothing(self, app, demo):
        user = User(email="leeg@example.nl", name="Leeg", password_hash="x")
        db.session.add(user)
        db.session.flush()
        assert suggestions.for_user(user.id) == []

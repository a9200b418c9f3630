"""LLO trajectories: the rules, the automatic award, the assessor's queue, exactly once."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement, Pathway
from badges.demo.loader import load_demo
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.organisations.models import Organisation
from badges.trajectories import pathways
from badges.trajectories import services as trajectories
from badges.trajectories.models import AwardState, TrajectoryAward
from badges.verification.services import verify_upload

TRAJECTORY = "Van kassa naar zorg"
LAST_STEP = "Praktijkverklaring Ondersteunen bij dagelijkse zorg"


def _d(month: int, year: int = 2026) -> datetime:
    return datetime(year, month, 1, tzinfo=UTC)


def _pathway(lineages, *, ordered=False, min_required=None, max_months=None):
    steps = [SimpleNamespace(achievement=SimpleNamespace(lineage=lin, name=lin))
             for lin in lineages]
    return SimpleNamespace(name="p", steps=steps, ordered=ordered, min_required=min_required,
                           max_months=max_months)


class TestRules:
    def test_any_n_of_m_completes_with_n(self):
        [p] = pathways.progress([_pathway("abc", min_required=2)], {"a": _d(1), "c": _d(2)})
        assert p.complete and p.completed_at == _d(2)

    def test_ordered_does_not_count_a_component_earned_before_the_previous_one(self):
        [p] = pathways.progress([_pathway("abc", ordered=True)],
                                {"a": _d(3), "b": _d(1), "c": _d(4)})
        assert [a.lineage for a in p.done] == ["a", "c"]
        assert [a.lineage for a in p.out_of_order] == ["b"] and not p.complete
        [p] = pathways.progress([_pathway("abc", ordered=True)],
                                {"a": _d(1), "b": _d(1), "c": _d(4)})
        assert p.complete

    def test_max_time_expires(self):
        [late] = pathways.progress([_pathway("ab", max_months=6)], {"a": _d(1), "b": _d(9)})
        assert late.expired and not late.complete and late.deadline == _d(7)
        [running] = pathways.progress([_pathway("ab", max_months=6)], {"a": _d(1)},
                                      now=_d(3))
        assert not running.expired and running.deadline == _d(7)
        [gone] = pathways.progress([_pathway("ab", max_months=6)], {"a": _d(1)}, now=_d(8))
        assert gone.expired


def _one(model, **filters):
    return db.session.scalar(db.select(model).filter_by(**filters))


@pytest.fixture
def world(app, demo):
    mailer = app.extensions["badges.mailer"] = LogMailer()
    with app.test_request_context():
        yield SimpleNamespace(
            mailer=mailer, vanessa=_one(User, email="vanessa@example.nl"),
            pathway=_one(Pathway, name=TRAJECTORY),
            linde=_one(Organisation, slug="zorggroep-de-linde"),
            last=_one(Achievement, name=LAST_STEP))
    app.extensions.pop("badges.mailer")


def _complete(w) -> issuing.Issued:
    return issuing.issue(w.linde, issuing.IssueRequest(
        achievement=w.last, recipient_email=w.vanessa.email, recipient_name=w.vanessa.name))


class TestAward:
    def test_demo_trajectory_has_rules_and_a_partner(self, world):
        assert world.pathway.award_mode == "automatic"
        assert [p.organisation.slug for p in world.pathway.partners] == ["zorggroep-de-linde"]
        [p] = [p for p in pathways.for_user(world.vanessa.id) if p.pathway.name == TRAJECTORY]
        assert (p.count, p.required, p.complete) == (2, 3, False)
        assert _one(TrajectoryAward, user_id=world.vanessa.id) is None

    def test_last_component_issues_the_trajectory_credential_automatically(self, world):
        _complete(world)
        award = _one(TrajectoryAward, user_id=world.vanessa.id, pathway_id=world.pathway.id)
        assert award.state == AwardState.ISSUED
        cred = award.credential
        assert cred.organisation_id == world.pathway.organisation_id
        assert cred.achievement_id == world.pathway.target_achievement_id
        evidence = cred.document["evidence"]
        assert len(evidence) == 3 and all(e["id"].startswith("http") for e in evidence)
        assert verify_upload(json.dumps(cred.document))["status"] == "valid"
        assert any(TRAJECTORY in m.subject for m in world.mailer.sent)
        # evaluating again (a retry, another component) awards nothing twice
        assert trajectories.evaluate([world.vanessa.id], [world.pathway.id]) == []
        assert db.session.scalar(db.select(db.func.count(Credential.id)).filter_by(
            achievement_id=world.pathway.target_achievement_id,
            recipient_user_id=world.vanessa.id)) == 1

    def test_approval_mode_queues_then_approve_issues(self, world):
        world.pathway.award_mode = "approval"
        db.session.commit()
        _complete(world)
        award = _one(TrajectoryAward, user_id=world.vanessa.id)
        assert award.state == AwardState.PENDING and award.credential_id is None
        assert trajectories.queue(world.pathway.organisation_id) == [award]
        assert any("beoordelaar" in m.text for m in world.mailer.sent)
        docent = _one(User, email="docent@rocdemaasvallei.example")
        cred = trajectories.approve(award, actor_id=docent.id)
        assert award.state == AwardState.ISSUED and award.credential_id == cred.id
        with pytest.raises(Exception, match="al afgehandeld"):
            trajectories.approve(award, actor_id=docent.id)
        assert trajectories.queue(world.pathway.organisation_id) == []

    def test_decline_tells_the_learner_why(self, world):
        world.pathway.award_mode = "approval"
        db.session.commit()
        _complete(world)
        award = _one(TrajectoryAward, user_id=world.vanessa.id)
        trajectories.decline(award, "Praktijkverklaring is van een andere afdeling.",
                             actor_id=None)
        assert award.state == AwardState.DECLINED
        assert "andere afdeling" in world.mailer.sent[-1].text


@pytest.mark.postgres
def test_two_components_at_the_same_moment_award_exactly_once(app, committed_db):
    """Vanessa lacks two components; two threads issue one each at the same moment."""
    app.extensions["badges.mailer"] = LogMailer()
    with app.app_context():
        load_demo()
        vanessa = _one(User, email="vanessa@example.nl")
        hygiene = _one(Achievement, name="Hygiëne en veiligheid")
        cred = _one(Credential, recipient_user_id=vanessa.id, achievement_id=hygiene.id)
        issuing.change_state(cred, CredentialState.REVOKED, "test", actor_id=None)
        pathway_id = _one(Pathway, name=TRAJECTORY).id
        jobs = {"hygiene": ("maasvallei-zorg-welzijn", "Hygiëne en veiligheid"),
                "linde": ("zorggroep-de-linde", LAST_STEP)}
    barrier, errors = threading.Barrier(2), []

    def run(slug: str, name: str) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)  # before any query: SQLite takes its write lock early
                org, ach = _one(Organisation, slug=slug), _one(Achievement, name=name)
                issuing.issue(org, issuing.IssueRequest(
                    achievement=ach, recipient_email="vanessa@example.nl"))
                db.session.remove()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=job) for job in jobs.values()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    app.extensions.pop("badges.mailer")
    assert not errors, errors
    with app.app_context():
        awards = db.session.scalars(db.select(TrajectoryAward).filter_by(
            pathway_id=pathway_id)).all()
        assert [a.state for a in awards] == [AwardState.ISSUED]
        target = db.session.get(Pathway, pathway_id).target_achievement_id
        assert db.session.scalar(db.select(db.func.count(Credential.id)).filter_by(
            achievement_id=target)) == 1


class TestClr:
    def test_clr_of_a_completed_trajectory_verifies_and_detects_tampering(self, world):
        from badges.trajectories import clr as trajectory_clr

        _complete(world)
        award = _one(TrajectoryAward, user_id=world.vanessa.id)
        doc = trajectory_clr.build(trajectory_clr.award_of(world.vanessa, award.uuid))
        subject = doc["credentialSubject"]
        assert doc["issuer"]["name"] == world.pathway.organisation.name
        assert len(subject["verifiableCredential"]) == 4  # trajectory + 3 components
        kinds = [a["associationType"] for a in subject["association"]]
        assert kinds.count("isChildOf") == 3
        report = verify_upload(json.dumps(doc))
        assert report["status"] == "valid", report["checks"]
        subject["verifiableCredential"][1]["credentialSubject"]["achievement"]["name"] = "Anders"
        tampered = verify_upload(json.dumps(doc))
        assert tampered["status"] == "invalid"
        assert any(c["id"] == "embedded" and c["status"] == "fail" for c in tampered["checks"])

"""LLO trajectories: award the target when a learner's passport meets the pathway's rules.

When: after any credential reaches a learner (the ``CredentialsIssued`` and
``CredentialsDelivered`` events, published after their commit) :func:`after_issue` looks — in one query — for
trajectories (``award_mode`` not "off") that contain the issued achievement
lineages; only then is each learner evaluated (as a job, inline without a queue).

Exactly once: the award row is inserted with ``ON CONFLICT DO NOTHING`` on the
unique (pathway, learner) constraint; only the transaction whose insert
returned a row goes on to issue. Two components arriving at the same moment
both evaluate, but only one wins the insert (on PostgreSQL the second insert
waits for the first transaction and then finds the conflict). Approving and
declining lock the award row (``SELECT … FOR UPDATE``) and act only on a
pending award, so two assessors clicking at once issue nothing twice.

The trajectory credential is issued by the pathway's owner through
:mod:`badges.issuing.services`; its evidence lists the component credentials
by URL. Issuing it publishes ``CredentialsIssued`` again, so trajectories stack.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from badges.accounts.models import User
from badges.catalogue.models import Achievement, Pathway, PathwayStep
from badges.issuing import services as issuing
from badges.issuing.events import CredentialsDelivered, CredentialsIssued
from badges.issuing.models import Credential, CredentialState
from badges.kernel import audit, events, jobs, urls
from badges.kernel.database import upsert_insert
from badges.kernel.db import db
from badges.kernel.errors import Conflict, ServiceError
from badges.kernel.mail import Mail, hello, recipient_language, send_mail, writing_in
from badges.kernel.models import new_uuid, utcnow
from badges.organisations.mailing import branding
from badges.trajectories import pathways
from badges.trajectories.models import AwardMode, AwardState, TrajectoryAward

PERIOD = "trajectory"


def candidate_pathways(lineages: Iterable[str]) -> list[int]:
    """Ids of awarding trajectories with a step of one of these lineages (one query)."""
    lineages = list(set(lineages))
    if not lineages:
        return []
    return list(db.session.scalars(
        db.select(Pathway.id).distinct().join(PathwayStep).join(Achievement)
        .where(Achievement.lineage.in_(lineages), Pathway.award_mode != AwardMode.OFF.value,
               Pathway.target_achievement_id.is_not(None))))


def on_issued(event: CredentialsIssued) -> None:
    after_issue(event.issued)  # a trajectory's own target may be a step of a larger one


def on_delivered(event: CredentialsDelivered) -> None:
    after_issue(event.credentials)  # a claimed component may complete a trajectory


def after_issue(issued: Iterable[Any]) -> None:
    """After the commit that put credentials in learners' passports (cheap when no
    trajectory contains them: one query)."""
    # Credentials or issuing.Issued items: both carry the learner and the achievement.
    creds = [c for c in issued if c.recipient_user_id is not None]
    if not creds:
        return
    found = candidate_pathways(c.achievement.lineage for c in creds)
    if found:
        users = sorted({c.recipient_user_id for c in creds})
        jobs.enqueue("badges.trajectories.services:evaluate", users, found)


def evaluate(user_ids: list[int], pathway_ids: list[int]) -> list[TrajectoryAward]:
    """Award every listed trajectory a listed learner has completed (idempotent)."""
    trajectories = list(db.session.scalars(
        db.select(Pathway).where(Pathway.id.in_(pathway_ids))
        .options(selectinload(Pathway.steps).selectinload(PathwayStep.achievement))))
    made = []
    for user_id in user_ids:
        held = pathways.held_times(user_id)
        for p in pathways.progress(trajectories, held):
            if p.complete:
                award = _award(p.pathway, cast(User, db.session.get(User, user_id)), p)
                if award is not None:
                    made.append(award)
    return made


def _claim_award_row(pathway: Pathway, user: User, state: AwardState) -> TrajectoryAward | None:
    """Insert the (pathway, learner) row unless it exists; None when someone else has it."""
    insert = upsert_insert(db.session)
    row_id = db.session.scalar(
        insert(TrajectoryAward).values(uuid=new_uuid(), pathway_id=pathway.id, user_id=user.id,
                                       state=state, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["pathway_id", "user_id"])
        .returning(TrajectoryAward.id))
    return db.session.get(TrajectoryAward, row_id) if row_id is not None else None


def _award(pathway: Pathway, user: User, progress: pathways.PathwayProgress
           ) -> TrajectoryAward | None:
    automatic = pathway.award_mode == AwardMode.AUTOMATIC.value
    award = _claim_award_row(pathway, user, AwardState.PENDING)
    if award is None:  # awarded before, or by a concurrent run right now
        return None
    audit.record("trajectory.complete", organisation_id=pathway.organisation_id,
                 subject_type="trajectory_award", subject_id=award.uuid,
                 pathway=pathway.id, user=user.id)
    if automatic:
        try:
            issued = _issue(award)
        except ServiceError as exc:  # e.g. the target was archived: a person must look
            award.reason = f"Automatisch uitgeven lukte niet: {exc.message}"
            issued = None
    else:
        issued = None
    events.commit()  # an issued target is announced, and may complete a larger trajectory
    if issued is None:
        jobs.enqueue("badges.trajectories.services:send_award_email", award.id)
    return award


def component_credentials(pathway: Pathway, user_id: int) -> list[Credential]:
    """The learner's active credential for each held step, in step order."""
    lineages = [s.achievement.lineage for s in pathway.steps]
    rows = db.session.scalars(
        db.select(Credential).join(Achievement, Credential.achievement_id == Achievement.id)
        .where(Credential.recipient_user_id == user_id,
               Credential.state == CredentialState.ACTIVE, Achievement.lineage.in_(lineages))
        .order_by(Credential.valid_from))
    first: dict[str, Credential] = {}
    for c in rows:
        first.setdefault(c.achievement.lineage, c)
    return [first[lin] for lin in lineages if lin in first]


def _issue(award: TrajectoryAward, actor_id: int | None = None) -> issuing.Issued:
    pathway, user = award.pathway, award.user
    target = pathway.target
    if target is None:
        raise ServiceError("Dit traject heeft geen einddoel om uit te geven.", code="no_target")
    evidence = [{"url": urls.credential_url(c.uuid), "name": c.achievement.name,
                 "genre": "Onderdeel van het traject",
                 "narrative": f"Uitgegeven door {c.organisation.name} op "
                              f"{c.valid_from:%d-%m-%Y}."}
                for c in component_credentials(pathway, user.id)]
    done = issuing.add(pathway.organisation, [issuing.IssueRequest(
        achievement=target, recipient_email=user.email, recipient_name=user.name,
        evidence=evidence, result={"status": "Completed"},
        dedup_key=issuing.dedup_key(user.email, target, f"{PERIOD}:{pathway.id}"))],
        actor_id=actor_id)
    if not done:
        raise Conflict("Dit traject is al toegekend.", code="duplicate")
    award.state, award.credential_id = AwardState.ISSUED, done[0].credential.id
    award.decided_at, award.decided_by_id = utcnow(), actor_id
    return done[0]


def _locked_pending(award_id: int) -> TrajectoryAward:
    award = db.session.scalar(
        db.select(TrajectoryAward).where(TrajectoryAward.id == award_id).with_for_update()
        .execution_options(populate_existing=True))
    if award is None or award.state != AwardState.PENDING:
        db.session.rollback()
        raise Conflict("Deze aanvraag is al afgehandeld.", code="decided")
    return award


def approve(award: TrajectoryAward, *, actor_id: int) -> Credential:
    """Assessor approves: issue the target now (once, whoever clicks first)."""
    award = _locked_pending(award.id)
    issued = _issue(award, actor_id)
    audit.record("trajectory.approve", actor_id=actor_id,
                 organisation_id=award.pathway.organisation_id,
                 subject_type="trajectory_award", subject_id=award.uuid)
    events.commit()
    return issued.credential


def decline(award: TrajectoryAward, reason: str, *, actor_id: int) -> None:
    """Assessor declines, with a reason the learner reads in an email."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("Schrijf op waarom je het niet toekent.", code="invalid",
                           field="reason")
    award = _locked_pending(award.id)
    award.state, award.reason = AwardState.DECLINED, reason
    award.decided_at, award.decided_by_id = utcnow(), actor_id
    audit.record("trajectory.decline", actor_id=actor_id,
                 organisation_id=award.pathway.organisation_id,
                 subject_type="trajectory_award", subject_id=award.uuid, reason=reason)
    db.session.commit()
    jobs.enqueue("badges.trajectories.services:send_award_email", award.id)


def queue(org_id: int) -> list[TrajectoryAward]:
    """Pending awards of this organisation's trajectories, oldest first."""
    return list(db.session.scalars(
        db.select(TrajectoryAward).join(Pathway)
        .where(Pathway.organisation_id == org_id, TrajectoryAward.state == AwardState.PENDING)
        .order_by(TrajectoryAward.created_at)))


def award_in_org(org_id: int, uuid: str) -> TrajectoryAward | None:
    """An award of one of this organisation's trajectories (``None`` for another's)."""
    return db.session.scalar(db.select(TrajectoryAward).join(Pathway).where(
        TrajectoryAward.uuid == uuid, Pathway.organisation_id == org_id))


def awards_of(user_id: int) -> dict[int, TrajectoryAward]:
    """pathway id → the learner's award (for the passport's pathway page)."""
    return {a.pathway_id: a for a in db.session.scalars(
        db.select(TrajectoryAward).filter_by(user_id=user_id))}


def send_award_email(award_id: int) -> None:
    """Tell the learner the trajectory is waiting for an assessor, or was declined."""
    award = db.session.get(TrajectoryAward, award_id)
    if award is None or award.state == AwardState.ISSUED:
        return  # the issued-credential email says it all
    pathway, user = award.pathway, award.user
    org = pathway.organisation
    with writing_in(recipient_language(user.locale)) as lang:
        name = pathway.name
        if award.state == AwardState.PENDING:
            subject = _("Alle onderdelen van '%(name)s' zijn binnen", name=name)
            body = _("Je hebt alle onderdelen van het traject '%(name)s' gehaald. Een "
                     "beoordelaar van %(org)s kijkt er nu naar. Je krijgt bericht zodra het "
                     "bewijs is uitgegeven.", name=name, org=org.name)
        else:
            subject = _("Je traject '%(name)s' is (nog) niet toegekend", name=name)
            body = _("%(org)s heeft het bewijs voor '%(name)s' nog niet uitgegeven.\n\n"
                     "Reden: %(reason)s\n\nVragen? Neem contact op met %(org)s.",
                     org=org.name, name=name, reason=award.reason)
        send_mail(Mail(to=user.email, subject=subject, lang=lang, sender=org.name,
                       branding=branding(org),
                       text=f"{hello(user.name)}\n\n{body}\n\n{urls.base_url()}/passport/pathways",
                       reason=_("Je krijgt deze mail omdat je het traject '%(name)s' van "
                                "%(org)s volgt.", name=name, org=org.name)))

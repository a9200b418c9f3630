"""Applications for recognition: a learner asks, an assessor asks back, approves or declines.

State machine::

    draft ──submit──▶ submitted ──ask──▶ question ──answer──▶ submitted
      │                   │  └──approve──▶ approved (credential issued)
      └──withdraw──▶ withdrawn ◀──withdraw──┘  └──decline──▶ declined

Invariants: learner functions take the learner's user id and find only their
own applications; assessor functions take the organisation and find only
applications for its achievements. Approving issues the credential through
:mod:`badges.issuing.services` in the same transaction as the state change.
Emails go out through jobs after the commit (see application_mail).
"""

from __future__ import annotations

from typing import Any, cast

from badges.accounts.models import User
from badges.applications.evidence import EDITABLE, credential_evidence
from badges.applications.models import Application, ApplicationMessage, ApplicationState
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import services as issuing
from badges.kernel import audit, events, jobs
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import utcnow
from badges.listings import services as listing
from badges.listings.models import Listing
from badges.organisations.models import Organisation

OPEN = {ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.QUESTION}
IN_QUEUE = (ApplicationState.SUBMITTED, ApplicationState.QUESTION)
MAX_TEXT = 10_000
# Dutch label, icon, css modifier: text + icon + colour, never colour alone.
STATE_LABELS = {
    ApplicationState.DRAFT: ("Concept", "✎", "warn"),
    ApplicationState.SUBMITTED: ("Ingediend", "◷", "warn"),
    ApplicationState.QUESTION: ("Vraag voor jou", "?", "warn"),
    ApplicationState.APPROVED: ("Toegekend", "✓", "ok"),
    ApplicationState.DECLINED: ("Afgewezen", "✕", "bad"),
    ApplicationState.WITHDRAWN: ("Ingetrokken", "✕", "bad"),
}


def is_open_for_applications(achievement: Achievement) -> bool:
    """Whether the issuer opened this (published) achievement for applications.

    The flag is the catalogue's ``Listing.applications_open`` (docs/catalogue.md),
    read through its service so every version of the lineage counts.
    """
    return achievement.state == AchievementState.PUBLISHED and listing.applications_open(
        achievement)


def open_achievement(uuid: str) -> Achievement | None:
    """The achievement with this id if one can apply for it (``None``: unknown or closed)."""
    achievement = db.session.scalar(db.select(Achievement).filter_by(uuid=uuid))
    if achievement is None or not is_open_for_applications(achievement):
        return None
    return achievement


def set_open_for_applications(achievement: Achievement, value: bool = True) -> None:
    """Open (or close) an achievement, creating an unlisted listing if needed (demo, tests).

    The caller commits. Issuers use the catalogue's listing page for this.
    """
    row = listing.for_achievement(achievement)
    if row is None:
        row = Listing(achievement_lineage=achievement.lineage,
                      organisation_id=achievement.organisation_id, listed=False)
        db.session.add(row)
    row.applications_open = value
    db.session.flush()


def _notify(kind: str, application: Application) -> None:
    jobs.enqueue(f"badges.applications.mail:{kind}", application.id)


# --- the learner ------------------------------------------------------------------------------


def for_learner(user_id: int) -> list[Application]:
    return list(db.session.scalars(db.select(Application).filter_by(user_id=user_id)
                                   .order_by(Application.updated_at.desc(), Application.id.desc())))


def own(user_id: int, uuid: str) -> Application | None:
    return db.session.scalar(db.select(Application).filter_by(user_id=user_id, uuid=uuid))


def start(user: User, achievement: Achievement) -> Application:
    """A new draft, or the learner's application for this achievement that is still open."""
    if not is_open_for_applications(achievement):
        raise ServiceError("Voor deze prestatie kun je (nu) niet aanvragen.", code="closed")
    existing = db.session.scalar(db.select(Application).where(
        Application.user_id == user.id, Application.achievement_id == achievement.id,
        Application.state.in_(OPEN)))
    if existing is not None:
        return existing
    application = Application(user_id=user.id, achievement_id=achievement.id,
                              organisation_id=achievement.organisation_id)
    db.session.add(application)
    db.session.commit()
    return application


def describe(application: Application, text: str) -> None:
    if application.state not in EDITABLE:
        raise ServiceError("Deze aanvraag kun je nu niet meer aanpassen.", code="not_editable")
    application.description = (text or "").strip()[:MAX_TEXT]
    db.session.commit()


def submit(application: Application) -> None:
    if application.state != ApplicationState.DRAFT:
        raise ServiceError("Deze aanvraag is al ingediend.", code="not_draft")
    if not application.description.strip():
        raise ServiceError("Beschrijf eerst wat je gedaan hebt.", code="no_description",
                           field="description")
    if not is_open_for_applications(application.achievement):
        raise ServiceError("Voor deze prestatie kun je niet meer aanvragen.", code="closed")
    application.state = ApplicationState.SUBMITTED
    application.submitted_at = utcnow()
    audit.record("application.submit", actor_id=application.user_id,
                 organisation_id=application.organisation_id, subject_type="application",
                 subject_id=application.uuid)
    db.session.commit()
    _notify("send_submitted", application)


def answer(application: Application, text: str) -> None:
    if application.state != ApplicationState.QUESTION:
        raise ServiceError("Er staat geen vraag voor je open.", code="no_question")
    if not (text or "").strip():
        raise ServiceError("Schrijf je antwoord.", code="empty", field="text")
    application.messages.append(ApplicationMessage(author_id=application.user_id,
                                                   text=text.strip()[:MAX_TEXT]))
    application.state = ApplicationState.SUBMITTED
    db.session.commit()
    _notify("send_answered", application)


def withdraw(application: Application) -> None:
    if application.state not in OPEN:
        raise ServiceError("Deze aanvraag is al afgerond.", code="closed")
    application.state = ApplicationState.WITHDRAWN
    application.decided_at = utcnow()
    db.session.commit()


# --- the assessing organisation ---------------------------------------------------------------


def queue(org: Organisation, *, closed: bool = False) -> list[Application]:
    """Submitted applications (and those waiting for an answer), or the decided ones."""
    states = ((ApplicationState.APPROVED, ApplicationState.DECLINED) if closed else IN_QUEUE)
    return list(db.session.scalars(
        db.select(Application).where(Application.organisation_id == org.id,
                                     Application.state.in_(states))
        .order_by(Application.submitted_at)))


def in_org(org: Organisation, uuid: str) -> Application | None:
    """One of ``org``'s applications, never a draft (that is the learner's own business)."""
    return db.session.scalar(db.select(Application).where(
        Application.organisation_id == org.id, Application.uuid == uuid,
        Application.state.not_in((ApplicationState.DRAFT,))))


def _pending(application: Application) -> None:
    if application.state not in IN_QUEUE:
        raise ServiceError("Deze aanvraag is al afgerond of ingetrokken.", code="closed")


def ask(application: Application, assessor: User, text: str) -> None:
    _pending(application)
    if not (text or "").strip():
        raise ServiceError("Schrijf je vraag.", code="empty", field="text")
    application.messages.append(ApplicationMessage(author_id=assessor.id, from_assessor=True,
                                                   text=text.strip()[:MAX_TEXT]))
    application.state = ApplicationState.QUESTION
    db.session.commit()
    _notify("send_question", application)


def approve(application: Application, assessor: User) -> Any:
    """Issue the credential with the evidence attached, in one transaction."""
    _pending(application)
    org = cast(Organisation, db.session.get(Organisation, application.organisation_id))
    learner = application.user
    request = issuing.IssueRequest(
        achievement=application.achievement, recipient_email=learner.email,
        recipient_name=learner.name, evidence=credential_evidence(application),
        assessor=assessor.name, announce=False,  # the approval mail says it
        dedup_key=issuing.dedup_key(learner.email, application.achievement,
                                    f"application:{application.uuid}"))
    issued = issuing.add(org, [request], actor_id=assessor.id)
    if not issued:
        db.session.rollback()
        raise ServiceError("Voor deze aanvraag is al een bewijs uitgegeven.", code="duplicate")
    credential = issued[0].credential
    application.state = ApplicationState.APPROVED
    application.decided_at = utcnow()
    application.decided_by_id = assessor.id
    application.credential_id = credential.id
    audit.record("application.approve", actor_id=assessor.id, organisation_id=org.id,
                 subject_type="application", subject_id=application.uuid,
                 credential=credential.uuid)
    # A recognised achievement can complete an LLO trajectory like any other (CredentialsIssued).
    events.commit()
    _notify("send_approved", application)
    return credential


def decline(application: Application, assessor: User, reason: str) -> None:
    _pending(application)
    if not (reason or "").strip():
        raise ServiceError("Geef een reden: de aanvrager krijgt die te lezen.", code="empty",
                           field="reason")
    application.state = ApplicationState.DECLINED
    application.decided_at = utcnow()
    application.decided_by_id = assessor.id
    application.decline_reason = reason.strip()[:MAX_TEXT]
    audit.record("application.decline", actor_id=assessor.id,
                 organisation_id=application.organisation_id, subject_type="application",
                 subject_id=application.uuid)
    db.session.commit()
    _notify("send_declined", application)

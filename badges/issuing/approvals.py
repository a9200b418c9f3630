"""Four-eyes: awards that wait for a second person before they are signed.

Two rules hold an award (``PendingAward``, "wacht op goedkeuring"):

- the achievement needs a second person (``Achievement.needs_second_person``: on by
  default for mbo-certificaat, praktijkverklaring, microcredential, deelcertificaat);
- the issuer account passed its organisation's limit per hour or per day
  (``Organisation.award_limit_hour``/``award_limit_day``); the org admins are alerted.

A second person with the approver role (or an admin) approves, and only then is the
credential signed and delivered, in the issuer's name, through the one issuing path;
or rejects with a reason the issuer reads. The form, the API and bulk all come here
(a bulk job waits as a whole). Automatic awards (an approved application, a completed
trajectory, the demo) were already decided by a person or a rule and are not held.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.issuing import services as issuing
from badges.issuing.models import (
    AwardState,
    BulkJob,
    BulkJobState,
    Credential,
    HoldReason,
    PendingAward,
)
from badges.kernel import audit, jobs
from badges.kernel.db import db
from badges.kernel.errors import Conflict, NotFound, ServiceError
from badges.kernel.mail import Mail, recipient_language, send_mail, writing_in
from badges.kernel.models import utcnow
from badges.organisations.mailing import branding
from badges.organisations.models import ApiToken, Membership, Organisation, Role


def awards_since(org: Organisation, actor_id: int | None, token_id: int | None,
                 since: datetime) -> int:
    """Credentials this account (a person, or an API token) issued in ``org`` since ``since``."""
    account = Credential.created_by_id == actor_id if actor_id is not None \
        else Credential.api_token_id == token_id
    return db.session.scalar(db.select(db.func.count(Credential.id)).where(
        Credential.organisation_id == org.id, account, Credential.issued_at >= since)) or 0


def over_limit(org: Organisation, actor_id: int | None, adding: int = 1,
               token_id: int | None = None) -> bool:
    """Would ``adding`` more awards by this account pass the hourly or daily limit?"""
    if (actor_id is None and token_id is None) or (
            org.award_limit_hour is None and org.award_limit_day is None):
        return False
    now = utcnow()
    for limit, window in ((org.award_limit_hour, timedelta(hours=1)),
                          (org.award_limit_day, timedelta(days=1))):
        if limit is not None and \
                awards_since(org, actor_id, token_id, now - window) + adding > limit:
            return True
    return False


def hold_reason(org: Organisation, achievements: list[Achievement], actor_id: int | None,
                adding: int = 1, token_id: int | None = None) -> HoldReason | None:
    if any(a.needs_second_person for a in achievements):
        return HoldReason.FOUR_EYES
    if over_limit(org, actor_id, adding, token_id):
        return HoldReason.THRESHOLD
    return None


def _as_json(r: issuing.IssueRequest) -> dict[str, Any]:
    return {"recipient_email": r.recipient_email, "recipient_name": r.recipient_name,
            "evidence": r.evidence, "result": r.result, "assessor": r.assessor,
            "source_id": r.source.id if r.source else None,
            "valid_from": r.valid_from.isoformat() if r.valid_from else None,
            "valid_until": r.valid_until.isoformat() if r.valid_until else None}


def _from_json(award: PendingAward) -> issuing.IssueRequest:
    d = award.request
    assert award.achievement is not None
    return issuing.IssueRequest(
        achievement=award.achievement, recipient_email=d["recipient_email"],
        recipient_name=d.get("recipient_name"), evidence=d.get("evidence") or [],
        result=d.get("result") or {}, assessor=d.get("assessor"),
        source=db.session.get(Organisation, d["source_id"]) if d.get("source_id") else None,
        valid_from=datetime.fromisoformat(d["valid_from"]) if d.get("valid_from") else None,
        valid_until=datetime.fromisoformat(d["valid_until"]) if d.get("valid_until") else None,
        dedup_key=award.dedup_key)


def _already_issued(org: Organisation, key: str) -> bool:
    return db.session.scalar(db.select(Credential.id).filter_by(
        organisation_id=org.id, dedup_key=key)) is not None


def waiting_for(org: Organisation, key: str | None) -> PendingAward | None:
    """The award with this dedup key that already waits (a retry holds nothing twice)."""
    if key is None:
        return None
    return db.session.scalar(db.select(PendingAward).filter_by(
        organisation_id=org.id, dedup_key=key, state=AwardState.WAITING))


def issue_or_hold(org: Organisation, request: issuing.IssueRequest, *, actor_id: int | None,
                  via: str = "web", token_id: int | None = None
                  ) -> issuing.Issued | PendingAward:
    """Issue now, or hold for a second person: the door every person and API token uses."""
    issuing.check_issuable(org, request.achievement)
    reason = hold_reason(org, [request.achievement], actor_id, token_id=token_id)
    if reason is None:
        return issuing.issue(org, request, actor_id=actor_id, api_token_id=token_id)
    request.dedup_key = request.dedup_key or issuing.dedup_key(request.recipient_email,
                                                               request.achievement)
    if _already_issued(org, request.dedup_key):
        raise Conflict(_("Deze persoon heeft dit al gekregen."), code="duplicate")
    earlier = waiting_for(org, request.dedup_key)
    if earlier is not None:
        return earlier
    award = PendingAward(organisation_id=org.id, achievement_id=request.achievement.id,
                         request=_as_json(request), dedup_key=request.dedup_key,
                         recipient_email=request.recipient_email, requested_by_id=actor_id,
                         api_token_id=token_id, via=via, reason=reason)
    db.session.add(award)
    db.session.flush()
    audit.record("award.hold", actor_id=actor_id, organisation_id=org.id,
                 subject_type="pending_award", subject_id=award.uuid, reason=reason.value,
                 achievement=request.achievement.id)
    db.session.commit()
    if reason == HoldReason.THRESHOLD:
        _alert_admins(org, actor_id, token_id)
    return award


def hold_job(job: BulkJob, org: Organisation, achievements: list[Achievement],
             actor_id: int | None, token_id: int | None = None) -> bool:
    """Hold a bulk job as a whole when one of its awards would be held; True if held."""
    reason = hold_reason(org, achievements, actor_id, adding=job.valid, token_id=token_id)
    if reason is None:
        return False
    job.state = BulkJobState.WAITING
    award = PendingAward(organisation_id=org.id, bulk_job_id=job.id, requested_by_id=actor_id,
                         api_token_id=token_id, via="bulk", reason=reason, request={})
    db.session.add(award)
    db.session.flush()
    audit.record("award.hold", actor_id=actor_id, organisation_id=org.id,
                 subject_type="bulk_job", subject_id=job.uuid, reason=reason.value,
                 valid=job.valid)
    db.session.commit()
    if reason == HoldReason.THRESHOLD:
        _alert_admins(org, actor_id, token_id)
    return True


def _alert_admins(org: Organisation, actor_id: int | None, token_id: int | None = None) -> None:
    """A threshold hold is unusual (a mistake, a stolen account): the admins hear of it."""
    who = db.session.get(User, actor_id) if actor_id else None
    token = db.session.get(ApiToken, token_id) if token_id else None
    for admin in db.session.scalars(db.select(User).join(Membership).where(
            Membership.organisation_id == org.id, Membership.role == Role.ADMIN)):
        with writing_in(recipient_language(admin.locale)) as lang:
            name = who.name if who else _("De API-sleutel %(name)s",
                                          name=token.name if token else "")
            send_mail(Mail(
                to=admin.email, lang=lang, sender=org.name, branding=branding(org),
                subject=_("Uitgifte vastgehouden bij %(org)s", org=org.name),
                text=_("%(who)s heeft de grens voor uitgeven per uur of per dag bereikt. "
                       "Wat daarna is uitgegeven, wacht op goedkeuring bij Goedkeuren. "
                       "Klopt dit niet? Kijk dan in het logboek.", who=name),
                reason=_("Je krijgt deze mail omdat je %(org)s beheert in Skillspas.",
                         org=org.name)))


def waiting(org: Organisation) -> list[PendingAward]:
    return list(db.session.scalars(db.select(PendingAward).filter_by(
        organisation_id=org.id, state=AwardState.WAITING).order_by(PendingAward.created_at)))


def _open(org: Organisation, uuid: str, approver: User) -> PendingAward:
    award = db.session.scalar(db.select(PendingAward).filter_by(organisation_id=org.id,
                                                                uuid=uuid))
    if award is None:
        raise NotFound(_("Deze uitgifte bestaat niet."))
    if award.state != AwardState.WAITING:
        raise ServiceError(_("Over deze uitgifte is al beslist."), code="decided")
    if award.requested_by_id == approver.id:
        raise ServiceError(_("Een tweede persoon moet dit goedkeuren, niet wie het uitgaf."),
                           code="same_person")
    return award


def approve(org: Organisation, uuid: str, approver: User) -> PendingAward:
    """Sign and deliver the award (or start the bulk job), in the issuer's name."""
    award = _open(org, uuid, approver)
    award.state, award.decided_by_id, award.decided_at = (AwardState.APPROVED, approver.id,
                                                          utcnow())
    job = award.bulk_job
    if job is not None:
        job.state = BulkJobState.QUEUED
    else:
        done = issuing.add(org, [_from_json(award)], actor_id=award.requested_by_id,
                           api_token_id=award.api_token_id)
        award.credential_uuid = done[0].uuid if done else None
    audit.record("award.approve", actor_id=approver.id, organisation_id=org.id,
                 subject_type="pending_award", subject_id=award.uuid,
                 credential=award.credential_uuid, bulk_job=job.uuid if job else None)
    issuing.commit()
    if job is not None:
        jobs.enqueue("badges.issuing.bulk:run_job", job.id)
    return award


def reject(org: Organisation, uuid: str, approver: User, reason: str) -> PendingAward:
    """Reject with a reason; nothing is signed, and the issuer is told why."""
    if not reason.strip():
        raise ServiceError(_("Geef een reden op."), field="reason")
    award = _open(org, uuid, approver)
    award.state, award.decided_by_id, award.decided_at = (AwardState.REJECTED, approver.id,
                                                          utcnow())
    award.decision_reason = reason.strip()[:2000]
    if award.bulk_job is not None:
        award.bulk_job.state = BulkJobState.PREVIEW  # the uploader may change and start again
    audit.record("award.reject", actor_id=approver.id, organisation_id=org.id,
                 subject_type="pending_award", subject_id=award.uuid, reason=award.decision_reason)
    db.session.commit()
    issuer = award.requested_by
    if issuer is not None:
        with writing_in(recipient_language(issuer.locale)) as lang:
            what = (award.achievement.in_language("name", lang) if award.achievement
                    else _("een bulkopdracht"))
            send_mail(Mail(
                to=issuer.email, lang=lang, sender=org.name, branding=branding(org),
                subject=_("Uitgifte afgewezen: %(what)s", what=what),
                text=_("%(approver)s heeft je uitgifte van %(what)s aan %(to)s afgewezen. "
                       "De reden:\n\n%(reason)s", approver=approver.name,
                       what=what, to=award.recipient_email or "—",
                       reason=award.decision_reason),
                reason=_("Je krijgt deze mail omdat je voor %(org)s iets uitgaf dat op "
                         "goedkeuring wachtte.", org=org.name)))
    return award

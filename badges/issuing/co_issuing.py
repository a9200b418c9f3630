"""Co-issuing: a credential stated by two organisations, agreed to and signed by both.

A praktijkverklaring is a statement by the college *and* the leerbedrijf. The
issuer names the partner; what would be signed waits, unsigned and unsent, as a
:class:`CoIssueRequest` ("wacht op partner"). The partner's admins and issuers
accept it — then the credential is issued with the partner as ``source`` and a
proof set: the issuer's proof and the partner's, each with its own key — or
decline it with a reason, after which the issuer issues it alone (one proof, no
partner named) or cancels it. Every step is audited and mailed to the other side
(``CoIssueChanged``, see ``notifications``).
"""

from __future__ import annotations

from flask_babel import gettext as _

from badges.credentials import data_integrity
from badges.issuing import keystore
from badges.issuing import services as issuing
from badges.issuing.events import CoIssueChanged
from badges.issuing.models import CoIssueRequest, CoIssueState, Credential
from badges.kernel import audit, events
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation

REASON_MAX = 1000


def request(org: Organisation, partner: Organisation, wanted: issuing.IssueRequest, *,
            actor_id: int | None) -> CoIssueRequest:
    """Ask ``partner`` to co-issue ``wanted``; nothing is signed or sent to the learner yet."""
    if partner.id == org.id:
        raise ServiceError(_("Kies een andere organisatie als partner."), field="partner")
    issuing.check_issuable(org, wanted.achievement)
    row = CoIssueRequest(
        organisation_id=org.id, partner_id=partner.id, achievement_id=wanted.achievement.id,
        recipient_email=wanted.recipient_email, recipient_name=wanted.recipient_name,
        evidence=wanted.evidence, result=wanted.result, assessor=wanted.assessor,
        valid_until=wanted.valid_until, created_by_id=actor_id, state=CoIssueState.PENDING)
    db.session.add(row)
    db.session.flush()
    _record(row, "co_issue.request", actor_id, org)
    events.commit()
    return row


def incoming(org: Organisation) -> list[CoIssueRequest]:
    """Requests to ``org`` as partner, newest first."""
    return list(db.session.scalars(db.select(CoIssueRequest).filter_by(partner_id=org.id)
                                   .order_by(CoIssueRequest.id.desc()).limit(500)))


def outgoing(org: Organisation) -> list[CoIssueRequest]:
    """Requests ``org`` made, newest first."""
    return list(db.session.scalars(db.select(CoIssueRequest).filter_by(organisation_id=org.id)
                                   .order_by(CoIssueRequest.id.desc()).limit(500)))


def find(org: Organisation, uuid: str) -> CoIssueRequest | None:
    """A request ``org`` made or received (None for anyone else: a 404, not a hint)."""
    row = db.session.scalar(db.select(CoIssueRequest).filter_by(uuid=uuid))
    if row is None or org.id not in (row.organisation_id, row.partner_id):
        return None
    return row


def _must_be(row: CoIssueRequest, org: Organisation, side: str, *states: CoIssueState) -> None:
    owner = row.partner_id if side == "partner" else row.organisation_id
    if org.id != owner:
        raise ServiceError(_("Dit mag alleen de andere organisatie doen."), code="not_yours")
    if row.state not in states:
        raise ServiceError(_("Over dit verzoek is al beslist."), code="decided")


def accept(row: CoIssueRequest, partner: Organisation, *, actor_id: int | None) -> Credential:
    """The partner agrees: issue the credential, signed by both organisations (a proof set)."""
    _must_be(row, partner, "partner", CoIssueState.PENDING)
    issued = _issue(row, source=partner, actor_id=actor_id)
    credential = issued.credential
    # The partner's own, independent proof over the same unsecured document.
    key = keystore.signing_key_for(partner)
    credential.document = data_integrity.sign(credential.document, key.private_key,
                                               key.verification_method,
                                               created=credential.issued_at)
    _decide(row, CoIssueState.ACCEPTED, actor_id, credential=credential)
    _record(row, "co_issue.accept", actor_id, partner, credential=credential.uuid)
    issuing.commit()
    return credential


def decline(row: CoIssueRequest, partner: Organisation, reason: str, *,
            actor_id: int | None) -> None:
    """The partner says no, and why; the issuer then issues alone or cancels."""
    _must_be(row, partner, "partner", CoIssueState.PENDING)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Geef een reden op."), field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(_("De reden is te lang (hoogstens %(n)s tekens).", n=REASON_MAX),
                           field="reason")
    row.reason = reason
    _decide(row, CoIssueState.DECLINED, actor_id)
    _record(row, "co_issue.decline", actor_id, partner, reason=reason)
    events.commit()


def issue_alone(row: CoIssueRequest, org: Organisation, *, actor_id: int | None) -> Credential:
    """After a decline: issue it without the partner (one proof, the partner not named)."""
    _must_be(row, org, "issuer", CoIssueState.DECLINED)
    credential = _issue(row, source=None, actor_id=actor_id).credential
    row.state, row.credential_id = CoIssueState.ISSUED_ALONE, credential.id
    _record(row, "co_issue.issue_alone", actor_id, org, credential=credential.uuid)
    issuing.commit()
    return credential


def cancel(row: CoIssueRequest, org: Organisation, *, actor_id: int | None) -> None:
    """The issuer withdraws the request (waiting or declined); nothing is issued."""
    _must_be(row, org, "issuer", CoIssueState.PENDING, CoIssueState.DECLINED)
    row.state = CoIssueState.CANCELLED
    _record(row, "co_issue.cancel", actor_id, org)
    events.commit()


def _issue(row: CoIssueRequest, *, source: Organisation | None,
           actor_id: int | None) -> issuing.Issued:
    done = issuing.add(row.organisation, [issuing.IssueRequest(
        achievement=row.achievement, recipient_email=row.recipient_email,
        recipient_name=row.recipient_name, evidence=list(row.evidence or []),
        result=dict(row.result or {}), assessor=row.assessor, source=source,
        source_agreed=source is not None, valid_until=row.valid_until)], actor_id=actor_id)
    if not done:  # no dedup key is set, so this does not happen; say so plainly if it does
        raise ServiceError(_("Deze persoon heeft dit al gekregen."), code="duplicate")
    return done[0]


def _decide(row: CoIssueRequest, state: CoIssueState, actor_id: int | None, *,
            credential: Credential | None = None) -> None:
    row.state, row.decided_at, row.decided_by_id = state, utcnow(), actor_id
    if credential is not None:
        row.credential_id = credential.id


def _record(row: CoIssueRequest, action: str, actor_id: int | None, org: Organisation,
            **details: str) -> None:
    """Audit it in both organisations' logs; tell the other side after the commit."""
    for org_id in (row.organisation_id, row.partner_id):
        audit.record(action, actor_id=actor_id, organisation_id=org_id,
                     subject_type="co_issue_request", subject_id=row.uuid,
                     by=org.slug, issuer=row.organisation.slug, partner=row.partner.slug,
                     **details)
    events.record(CoIssueChanged(row.id, row.state.value))

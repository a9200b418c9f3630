"""Adviser access: time-limited, withdrawable, and every view logged for the learner.

Privacy invariant: nothing about a learner reaches an adviser without an
active grant (not withdrawn, not expired). :func:`grant_for_adviser` is the
only way an adviser page finds a learner, and it checks both, every time.
Advisers see the passport and application statuses: no evidence files, no
descriptions, no message threads.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from badges.accounts.models import User
from badges.accounts.services import check_email, normalise_email
from badges.applications.models import AdviserGrant, AdviserView
from badges.kernel import jobs, urls
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.mail import SERVICE, Mail, recipient_language, send_mail, writing_in
from badges.kernel.models import utcnow
from badges.organisations.models import Membership, Organisation

MAX_DAYS = 366
SCOPE = "passport+applications"  # the one scope there is: no evidence files


def grants_of_learner(user_id: int) -> list[AdviserGrant]:
    return list(db.session.scalars(db.select(AdviserGrant).filter_by(learner_id=user_id)
                                   .order_by(AdviserGrant.id.desc())))


def own_grant(user_id: int, grant_id: int) -> AdviserGrant | None:
    return db.session.scalar(db.select(AdviserGrant).filter_by(learner_id=user_id, id=grant_id))


def give(learner: User, email: str, organisation: Organisation,
         expires_at: datetime, now: datetime | None = None) -> AdviserGrant:
    """Grant access to the adviser with this email (an account, or invited)."""
    now = now or utcnow()
    email = check_email(email or "")
    if not email or "@" not in email:
        raise ServiceError("Vul het e-mailadres van de adviseur in.", code="email", field="email")
    if email == normalise_email(learner.email):
        raise ServiceError("Je kunt jezelf geen toegang geven.", code="self", field="email")
    if expires_at <= now:
        raise ServiceError("Kies een datum in de toekomst.", code="past", field="expires")
    if expires_at > now + timedelta(days=MAX_DAYS):
        raise ServiceError("Geef toegang voor hoogstens een jaar.", code="too_long",
                           field="expires")
    adviser = db.session.scalar(db.select(User).filter_by(email=email))
    if adviser is not None and not adviser.email_confirmed:
        adviser = None  # an unproven address gets nothing: the grant waits (see below)
    if adviser is not None and db.session.scalar(
            db.select(Membership).filter_by(user_id=adviser.id,
                                            organisation_id=organisation.id)) is None:
        # Not (yet) a member: the grant waits, exactly as for an address without an
        # account. Refusing here told the learner (or anyone) which addresses have one.
        adviser = None
    grant = AdviserGrant(learner_id=learner.id, adviser_id=adviser.id if adviser else None,
                         pending_email=None if adviser else email,
                         organisation_id=organisation.id,
                         scope=SCOPE, expires_at=expires_at)
    db.session.add(grant)
    db.session.commit()
    jobs.enqueue("badges.applications.advisers:send_granted", grant.id)
    return grant


def withdraw(grant: AdviserGrant) -> None:
    if grant.withdrawn_at is None:
        grant.withdrawn_at = utcnow()
        db.session.commit()


def _claim_invitations(adviser: User) -> None:
    """An invited adviser takes up the grant once their account is a member of its organisation.

    Registering does not prove an address is yours, so the address must be
    confirmed, and that is not enough either: the organisation (whose admin
    invites members) vouches for the person.
    """
    if not adviser.email_confirmed:
        return
    member_of = {m.organisation_id for m in adviser.memberships}
    pending = [g for g in db.session.scalars(db.select(AdviserGrant).filter_by(
        pending_email=normalise_email(adviser.email), adviser_id=None))
        if g.organisation_id in member_of]
    for grant in pending:
        grant.adviser_id, grant.pending_email = adviser.id, None
    if pending:
        db.session.commit()


def active_for_adviser(adviser: User, now: datetime | None = None) -> list[AdviserGrant]:
    _claim_invitations(adviser)
    now = now or utcnow()
    return list(db.session.scalars(db.select(AdviserGrant).where(
        AdviserGrant.adviser_id == adviser.id, AdviserGrant.withdrawn_at.is_(None),
        AdviserGrant.expires_at > now).order_by(AdviserGrant.expires_at)))


def has_active_grants(adviser: User) -> bool:
    return db.session.scalar(db.select(AdviserGrant.id).where(
        AdviserGrant.adviser_id == adviser.id, AdviserGrant.withdrawn_at.is_(None),
        AdviserGrant.expires_at > utcnow()).limit(1)) is not None


def grant_for_adviser(adviser: User, grant_id: int) -> AdviserGrant | None:
    """The grant, only while it is active and only for its own adviser."""
    grant = db.session.scalar(db.select(AdviserGrant).filter_by(id=grant_id,
                                                                adviser_id=adviser.id))
    return grant if grant is not None and grant.is_active() else None


def log_view(grant: AdviserGrant, page: str) -> None:
    db.session.add(AdviserView(grant_id=grant.id, page=page[:200]))
    db.session.commit()


def send_granted(grant_id: int) -> None:
    grant = db.session.get(AdviserGrant, grant_id)
    if grant is None or not grant.is_active():
        return
    to = grant.adviser.email if grant.adviser else grant.pending_email
    if not to:
        return
    until = grant.expires_at.strftime("%d-%m-%Y")
    learner = grant.learner.name
    known = (grant.adviser.locale if grant.adviser else
             db.session.scalar(db.select(User.locale).filter_by(email=to)))
    with writing_in(recipient_language(known)) as lang:
        account = ("" if grant.adviser else _(
            "Je hebt daarvoor een Skillspas-account nodig met dit e-mailadres, dat lid is van "
            "%(org)s.", org=grant.organisation.name if grant.organisation else _("je organisatie")))
        send_mail(Mail(
            to=to, lang=lang, sender=SERVICE,
            subject=_("%(learner)s geeft je inzage in de Skillspas", learner=learner),
            text="\n\n".join(filter(None, [
                _("%(learner)s geeft je tot %(until)s inzage in de Skillspas en de aanvragen voor "
                  "erkenning.", learner=learner, until=until),
                account, f"{urls.base_url()}/adviseur",
                _("Elke keer dat je kijkt, ziet de eigenaar van de pas dat.")])),
            reason=_("Je krijgt deze mail omdat %(learner)s jou als adviseur heeft gekozen.",
                     learner=learner)))

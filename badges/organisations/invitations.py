"""Invitations: the only way a person becomes a member of an organisation after it exists.

An admin invites an email address; the person accepts with the mailed link,
logged in with that address, confirmed. Nothing is attached silently: an
account made in someone else's name (registering proves nothing) never gets
a membership, because its holder can neither read the invitation mail nor
confirm the address. The answer on "Mensen" is the same whether or not the
address has an account. The invited person and the organisation's admins
are told by mail, so an invitation nobody expected is noticed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import gettext as _

from badges.accounts.models import EmailAddress, User
from badges.accounts.services import check_email
from badges.kernel import audit
from badges.kernel.errors import ServiceError
from badges.kernel.extensions import db
from badges.kernel.mail import Mail, recipient_language, send_mail, writing_in
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret
from badges.organisations.mailing import branding
from badges.organisations.models import Invitation, Membership, Organisation, Role

VALID_FOR = timedelta(days=14)


def role_label(role: Role) -> str:
    return {Role.VIEWER: _("meekijken"), Role.ISSUER: _("uitgeven"),
            Role.APPROVER: _("uitgeven en goedkeuren"), Role.ADMIN: _("beheren")}[role]


def open_invitations(org: Organisation, now: datetime | None = None) -> list[Invitation]:
    return list(db.session.scalars(db.select(Invitation).where(
        Invitation.organisation_id == org.id, Invitation.accepted_at.is_(None),
        Invitation.declined_at.is_(None), Invitation.expires_at > (now or utcnow()))
        .order_by(Invitation.created_at.desc())))


def _admins(org: Organisation) -> list[User]:
    return list(db.session.scalars(db.select(User).join(Membership).where(
        Membership.organisation_id == org.id, Membership.role == Role.ADMIN)))


def _is_member(org: Organisation, email: str) -> bool:
    return db.session.scalar(db.select(Membership.id).join(User).where(
        Membership.organisation_id == org.id, User.email == email)) is not None


def invite(org: Organisation, email: str, name: str, role: Role, *,
           inviter: User | None) -> tuple[Invitation, str]:
    """Mail an invitation to ``email``; returns it and its link (shown once, e.g. by a CLI).

    ``inviter`` is None when the platform invites (a new organisation's first
    admin). An earlier open invitation for the same address ends.
    """
    email = check_email(email)
    if "@" not in email:
        raise ServiceError(_("Vul een geldig e-mailadres in."), field="email")
    if _is_member(org, email):
        raise ServiceError(_("Deze persoon werkt hier al."), code="duplicate", field="email")
    now = utcnow()
    for earlier in open_invitations(org, now):
        if earlier.email == email:
            earlier.expires_at = now
    token = secrets.token_urlsafe(24)
    invitation = Invitation(organisation_id=org.id, email=email, name=name.strip()[:200],
                            role=role, invited_by_id=inviter.id if inviter else None,
                            token_hash=hash_secret(token),
                            expires_at=now + VALID_FOR)
    db.session.add(invitation)
    db.session.flush()
    audit.record("member.invite", actor_id=inviter.id if inviter else None,
                 organisation_id=org.id, subject_type="invitation", subject_id=invitation.id,
                 role=role.value)
    db.session.commit()
    link = url_for("invitations.show", token=token, _external=True)
    by = inviter.name if inviter else "Skillspas"
    _mail_invitation(invitation, by, link)
    _mail_admins(org, lambda: (
        _("%(who)s is uitgenodigd voor %(org)s", who=email, org=org.name),
        _("%(inviter)s heeft %(who)s uitgenodigd om voor %(org)s te werken "
          "(%(role)s). Klopt dit niet? Kijk dan bij Mensen en in het logboek.",
          inviter=by, who=email, org=org.name, role=role_label(role))))
    return invitation, link


def withdraw(org: Organisation, invitation_id: int, *, actor_id: int | None) -> None:
    """End an open invitation at once (a typo in the address, a change of plan)."""
    invitation = db.session.scalar(db.select(Invitation).filter_by(
        id=invitation_id, organisation_id=org.id))
    now = utcnow()
    if invitation is None or not invitation.is_open(now):
        raise ServiceError(_("Deze uitnodiging staat niet (meer) open."), code="not_open")
    invitation.expires_at = now
    audit.record("member.invite_withdraw", actor_id=actor_id, organisation_id=org.id,
                 subject_type="invitation", subject_id=invitation.id)
    db.session.commit()


def _mail_invitation(invitation: Invitation, inviter: str, link: str) -> None:
    org = invitation.organisation
    known = db.session.scalar(db.select(User.locale).filter_by(email=invitation.email))
    with writing_in(recipient_language(known)) as lang:
        send_mail(Mail(
            to=invitation.email, lang=lang, sender=org.name, branding=branding(org),
            subject=_("Uitnodiging voor Skillspas van %(org)s", org=org.name),
            text=_("Hallo %(name)s,\n\n%(inviter)s nodigt je uit om in Skillspas te werken voor "
                   "%(org)s (%(role)s). Met deze link neem je de uitnodiging aan of sla je haar "
                   "af. De link is 14 dagen geldig:\n\n%(link)s\n\nNog geen account? Maak er "
                   "een met dit e-mailadres en bevestig het adres; open daarna deze link "
                   "opnieuw.\n\nKen je %(org)s niet? Dan kun je deze e-mail negeren.",
                   name=invitation.name or invitation.email, inviter=inviter, org=org.name,
                   role=role_label(invitation.role), link=link),
            reason=_("Je krijgt deze mail omdat %(inviter)s dit adres heeft uitgenodigd voor "
                     "%(org)s.", inviter=inviter, org=org.name),
        ))


def _mail_admins(org: Organisation, words: Callable[[], tuple[str, str]]) -> None:
    """Tell the organisation's admins, each in their own language (``words``: subject, text)."""
    for admin in _admins(org):
        with writing_in(recipient_language(admin.locale)) as lang:
            subject, text = words()
            send_mail(Mail(to=admin.email, subject=subject, text=text, lang=lang,
                           sender=org.name, branding=branding(org),
                           reason=_("Je krijgt deze mail omdat je %(org)s beheert in Skillspas.",
                                    org=org.name)))


def for_token(token: str, now: datetime | None = None) -> Invitation | None:
    """The open invitation behind a link, or None (unknown, used, declined or expired)."""
    invitation = db.session.scalar(db.select(Invitation).filter_by(
        token_hash=hash_secret(token)))
    return invitation if invitation is not None and invitation.is_open(now or utcnow()) else None


def may_answer(invitation: Invitation, user: User) -> bool:
    """Only the proven owner of the invited address: confirmed primary or extra address."""
    if user.email == invitation.email:
        return user.email_confirmed
    return db.session.scalar(db.select(EmailAddress.id).filter(
        EmailAddress.user_id == user.id, EmailAddress.email == invitation.email,
        EmailAddress.confirmed_at.is_not(None))) is not None


def _answerable(token: str, user: User) -> Invitation:
    invitation = for_token(token)
    if invitation is None:
        raise ServiceError(_("Deze uitnodiging werkt niet (meer). Vraag de beheerder om een "
                             "nieuwe."), code="unknown")
    if not may_answer(invitation, user):
        raise ServiceError(_("Deze uitnodiging is voor %(email)s. Log in met dat e-mailadres "
                             "en bevestig het eerst.", email=invitation.email), code="not_yours")
    return invitation


def accept(token: str, user: User) -> Membership:
    invitation = _answerable(token, user)
    org = invitation.organisation
    member = db.session.scalar(db.select(Membership).filter_by(user_id=user.id,
                                                               organisation_id=org.id))
    if member is None:
        member = Membership(user_id=user.id, organisation_id=org.id, role=invitation.role)
        db.session.add(member)
    invitation.accepted_at, invitation.user_id = utcnow(), user.id
    db.session.flush()
    audit.record("member.add", actor_id=user.id, organisation_id=org.id, subject_type="user",
                 subject_id=user.id, role=member.role.value, invitation=invitation.id)
    db.session.commit()
    _mail_admins(org, lambda: (
        _("%(who)s werkt nu voor %(org)s", who=user.email, org=org.name),
        _("%(name)s (%(who)s) heeft de uitnodiging aangenomen en werkt nu in "
          "Skillspas voor %(org)s (%(role)s).", name=user.name, who=user.email,
          org=org.name, role=role_label(member.role))))
    return member


def decline(token: str, user: User) -> Invitation:
    invitation = _answerable(token, user)
    invitation.declined_at, invitation.user_id = utcnow(), user.id
    audit.record("member.decline", actor_id=user.id, organisation_id=invitation.organisation_id,
                 subject_type="invitation", subject_id=invitation.id)
    db.session.commit()
    return invitation

"""An organisation's people: add (or invite), change role, remove.

Invariant: an organisation always keeps at least one admin, so it can never
lock itself out. An invitation creates an account without a password and
mails a set-password link made with the same single-use reset token as
"wachtwoord vergeten" (:mod:`badges.accounts.services`): one mechanism, one
set of checks.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from badges.accounts.models import User
from badges.accounts.services import find_user_by_email, normalise_email
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.mail import Mail, send_mail
from badges.kernel.tokens import fingerprint, make_link_token
from badges.organisations.models import Membership, Organisation, Role


def members_of(org: Organisation) -> list[Membership]:
    return list(db.session.scalars(
        db.select(Membership).join(User).filter(Membership.organisation_id == org.id)
        .order_by(User.name)))


def _admins(org: Organisation) -> int:
    return db.session.scalar(db.select(db.func.count(Membership.id)).filter_by(
        organisation_id=org.id, role=Role.ADMIN)) or 0


def set_password_link(user: User) -> str:
    """A link to choose a password: the reset token, valid once (see accounts)."""
    token = make_link_token("reset", {"uid": user.id, "fp": fingerprint(user.password_hash)})
    return url_for("auth.reset_password", token=token, _external=True)


def add_member(org: Organisation, email: str, name: str, role: Role, *,
               actor_id: int | None) -> tuple[Membership, bool]:
    """Add someone by email; returns the membership and whether an invitation was sent."""
    email = normalise_email(email)
    if "@" not in email:
        raise ServiceError(_("Vul een geldig e-mailadres in."), field="email")
    user = find_user_by_email(email)
    invited = False
    if user is None:
        if not name.strip():
            raise ServiceError(_("Deze persoon heeft nog geen account: vul ook de naam in."),
                               code="name_needed", field="name")
        user = User(email=email, name=name.strip()[:200], password_hash=None)
        db.session.add(user)
        db.session.flush()
        invited = True
    elif db.session.scalar(db.select(Membership).filter_by(user_id=user.id,
                                                           organisation_id=org.id)):
        raise ServiceError(_("Deze persoon werkt hier al."), code="duplicate", field="email")
    member = Membership(user_id=user.id, organisation_id=org.id, role=role)
    db.session.add(member)
    db.session.flush()
    audit.record("member.add", actor_id=actor_id, organisation_id=org.id,
                 subject_type="user", subject_id=user.id, role=role.value, invited=invited)
    db.session.commit()
    if invited:
        _send_invite(user, org)
    else:
        send_mail(Mail(to=user.email, subject=_("Je hebt toegang tot %(org)s", org=org.name),
                       text=_("Hallo %(name)s,\n\nJe kunt nu in Skillspas werken voor "
                              "%(org)s (%(role)s). Log in zoals altijd.\n\n— Skillspas",
                              name=user.name, org=org.name, role=role.value)))
    return member, invited


def _send_invite(user: User, org: Organisation) -> None:
    link = set_password_link(user)
    send_mail(Mail(
        to=user.email,
        subject=_("Uitnodiging voor Skillspas van %(org)s", org=org.name),
        text=_("Hallo %(name)s,\n\n%(org)s nodigt je uit om in Skillspas digitale bewijzen uit "
               "te geven. Kies met deze link een wachtwoord (de link werkt één keer en is een "
               "uur geldig):\n\n%(link)s\n\nVerlopen? Kies op de inlogpagina 'Wachtwoord "
               "vergeten' met dit e-mailadres.\n\n— Skillspas",
               name=user.name, org=org.name, link=link),
    ))


def change_role(member: Membership, role: Role, *, actor_id: int | None) -> None:
    if member.role == role:
        return
    if member.role == Role.ADMIN and _admins(member.organisation) <= 1:
        raise ServiceError(_("Er moet minstens één beheerder blijven."), code="last_admin",
                           field="role")
    previous = member.role
    member.role = role
    audit.record("member.role", actor_id=actor_id, organisation_id=member.organisation_id,
                 subject_type="user", subject_id=member.user_id, role=role.value,
                 previous=previous.value)
    db.session.commit()


def remove_member(member: Membership, *, actor_id: int | None) -> None:
    if member.role == Role.ADMIN and _admins(member.organisation) <= 1:
        raise ServiceError(_("Er moet minstens één beheerder blijven."), code="last_admin")
    audit.record("member.remove", actor_id=actor_id, organisation_id=member.organisation_id,
                 subject_type="user", subject_id=member.user_id, role=member.role.value)
    db.session.delete(member)
    db.session.commit()

"""An organisation's people: list, change role, remove.

People join by invitation only (:mod:`badges.organisations.invitations`).
Invariant: an organisation always keeps at least one admin, so it can never
lock itself out.
"""

from __future__ import annotations

from flask_babel import gettext as _

from badges.accounts.models import User
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.organisations.models import Membership, Organisation, Role


def members_of(org: Organisation) -> list[Membership]:
    return list(db.session.scalars(
        db.select(Membership).join(User).filter(Membership.organisation_id == org.id)
        .order_by(User.name)))


def _admins(org: Organisation) -> int:
    return db.session.scalar(db.select(db.func.count(Membership.id)).filter_by(
        organisation_id=org.id, role=Role.ADMIN)) or 0


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

"""Membership rules: staff who sign in with their institution join its organisation.

An organisation admin proposes "everyone whose provider verified an address at
@rocdemaasvallei.example" or "whose schac_home_organization is
rocdemaasvallei.example" with a role (viewer or issuer, never admin). The rule
does nothing until a platform admin approved it. Then each sign-in with a
provider (``accounts.events.SignedInWithProvider``) that matches an approved rule
adds the membership, once; removing a rule later takes no one out.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from badges.accounts.events import SignedInWithProvider
from badges.accounts.models import User
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import utcnow
from badges.organisations.models import Membership, MembershipRule, Organisation, Role, RuleKind

RULE_ROLES = (Role.VIEWER, Role.ISSUER)  # admins are always invited by name
_DOMAIN = re.compile(r"^(?=.{3,200}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def normalise(kind: RuleKind, value: str) -> str:
    value = value.strip().lower().removeprefix("@")
    if not _DOMAIN.match(value):
        raise ServiceError(_("Vul een domeinnaam in, zoals rocdemaasvallei.nl."), field="value")
    return value


def for_organisation(org: Organisation) -> list[MembershipRule]:
    return list(db.session.scalars(db.select(MembershipRule).filter_by(
        organisation_id=org.id).order_by(MembershipRule.id)))


def propose(org: Organisation, kind: RuleKind, value: str, role: Role, actor: User) -> MembershipRule:
    if role not in RULE_ROLES:
        raise ServiceError(_("Een regel geeft alleen de rol meekijken of uitgeven."), field="role")
    value = normalise(kind, value)
    if db.session.scalar(db.select(MembershipRule.id).filter_by(
            organisation_id=org.id, kind=kind, value=value)):
        raise ServiceError(_("Deze regel bestaat al."), field="value")
    rule = MembershipRule(organisation=org, kind=kind, value=value, role=role,
                          created_by_id=actor.id)
    db.session.add(rule)
    db.session.flush()
    audit.record("membership_rule.propose", actor_id=actor.id, organisation_id=org.id,
                 subject_type="membership_rule", subject_id=rule.id, kind=kind.value,
                 value=value, role=role.value)
    db.session.commit()
    return rule


def remove(org: Organisation, rule_id: int, actor: User) -> bool:
    rule = db.session.scalar(db.select(MembershipRule).filter_by(id=rule_id,
                                                                 organisation_id=org.id))
    if rule is None:
        return False
    _delete(rule, actor, "membership_rule.remove")
    return True


def _delete(rule: MembershipRule, actor: User, action: str) -> None:
    audit.record(action, actor_id=actor.id, organisation_id=rule.organisation_id,
                 subject_type="membership_rule", subject_id=rule.id, kind=rule.kind.value,
                 value=rule.value)
    db.session.delete(rule)
    db.session.commit()


def get(rule_id: int) -> MembershipRule | None:
    return db.session.get(MembershipRule, rule_id)


def all_rules() -> list[MembershipRule]:
    """For the platform admin: waiting ones first."""
    return list(db.session.scalars(db.select(MembershipRule).order_by(
        MembershipRule.approved_at.is_not(None), MembershipRule.id)))


def approve(rule_id: int, actor: User) -> MembershipRule | None:
    rule = db.session.get(MembershipRule, rule_id)
    if rule is None:
        return None
    if rule.approved_at is None:
        rule.approved_at, rule.approved_by_id = utcnow(), actor.id
        audit.record("membership_rule.approve", actor_id=actor.id,
                     organisation_id=rule.organisation_id, subject_type="membership_rule",
                     subject_id=rule.id, kind=rule.kind.value, value=rule.value)
        db.session.commit()
    return rule


def decline(rule_id: int, actor: User) -> MembershipRule | None:
    rule = db.session.get(MembershipRule, rule_id)
    if rule is None:
        return None
    _delete(rule, actor, "membership_rule.decline")
    return rule


def on_signed_in(event: SignedInWithProvider) -> None:
    """Add the memberships that approved rules give this person (never an admin role)."""
    matches = []
    if event.email and "@" in event.email:
        matches.append((RuleKind.EMAIL_DOMAIN, event.email.rsplit("@", 1)[1]))
    if event.home_organisation:
        matches.append((RuleKind.HOME_ORGANISATION, event.home_organisation))
    added = False
    for kind, value in matches:
        rules = db.session.scalars(db.select(MembershipRule).where(
            MembershipRule.kind == kind, MembershipRule.value == value,
            MembershipRule.approved_at.is_not(None)))
        for rule in rules:
            if db.session.scalar(db.select(Membership.id).filter_by(
                    user_id=event.user_id, organisation_id=rule.organisation_id)):
                continue
            db.session.add(Membership(user_id=event.user_id, organisation_id=rule.organisation_id,
                                      role=rule.role))
            audit.record("member.join_by_rule", actor_id=event.user_id,
                         organisation_id=rule.organisation_id, subject_type="membership_rule",
                         subject_id=rule.id, provider=event.provider, role=rule.role.value)
            added = True
    if added:
        db.session.commit()

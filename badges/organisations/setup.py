"""Making organisations and their sub-units without SQL: create, move, archive.

The platform admin creates an organisation (page, CLI ``badges org create`` or by
approving a sign-up request) and invites its first admin; an organisation's admins
add sub-units at any depth (ROC → college → team), move them within their own tree
and archive them. An archived unit issues nothing new; what it issued stays valid.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from badges.accounts.models import User
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import InvalidInput, ServiceError
from badges.kernel.models import utcnow
from badges.organisations import invitations
from badges.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)

BRIN_RE = re.compile(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$")  # 4 (instelling) or 6 (vestiging)
KVK_RE = re.compile(r"^[0-9]{8}$")


@dataclass
class NewOrganisation:
    name: str
    kind: OrganisationKind
    brin: str = ""
    kvk: str = ""
    website: str = ""
    city: str = ""


def slugify(name: str) -> str:
    """``"Sportvereniging OSC '28"`` → ``"sportvereniging-osc-28"`` (ASCII, for URLs)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:70] or "organisatie"


def _free_slug(name: str) -> str:
    base = slugify(name)
    taken = set(db.session.scalars(db.select(Organisation.slug).where(
        Organisation.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def check_numbers(brin: str, kvk: str) -> dict[str, str]:
    """BRIN (e.g. 25LX or 25LX01) and KvK (8 digits): field → message for a wrong one."""
    errors = {}
    if brin and not BRIN_RE.match(brin):
        errors["brin"] = _("Een BRIN-code is 2 cijfers en 2 letters, soms met 2 cijfers "
                           "erachter (bijv. 25LX of 25LX01).")
    if kvk and not KVK_RE.match(kvk):
        errors["kvk"] = _("Een KvK-nummer heeft 8 cijfers.")
    return errors


def validated(data: NewOrganisation) -> NewOrganisation:
    """``data`` trimmed and checked (name, BRIN, KvK, website); InvalidInput otherwise."""
    data.name, data.brin = data.name.strip(), data.brin.strip().upper()
    data.kvk, data.website, data.city = data.kvk.strip(), data.website.strip(), data.city.strip()
    errors = check_numbers(data.brin, data.kvk)
    if not data.name:
        errors["name"] = _("Vul de naam in.")
    if data.website and not re.match(r"^https?://[^\s/$.?#][^\s]*$", data.website):
        errors["website"] = _("Een website begint met https://.")
    if errors:
        raise InvalidInput(errors)
    return data


def create(data: NewOrganisation, *, parent: Organisation | None = None,
           actor_id: int | None) -> Organisation:
    """Add an organisation (or a sub-unit of ``parent``) to the current transaction."""
    data = validated(data)
    org = Organisation(slug=_free_slug(data.name), name=data.name, kind=data.kind,
                       brin=data.brin or None, kvk=data.kvk or None,
                       website=data.website or None, city=data.city or None,
                       parent_id=parent.id if parent else None)
    db.session.add(org)
    db.session.flush()
    audit.record("organisation.create", actor_id=actor_id, organisation_id=org.id,
                 subject_type="organisation", subject_id=org.id, name=org.name,
                 parent=parent.slug if parent else None)
    return org


def create_with_admin(data: NewOrganisation, admin_email: str, admin_name: str = "", *,
                      parent: Organisation | None = None,
                      actor_id: int | None) -> tuple[Organisation, Invitation, str]:
    """The platform admin's use case: the organisation and its first admin's invitation.

    The first admin becomes one only by accepting the mailed link (consent);
    returns the organisation, the invitation and its link (shown once).
    """
    if "@" not in (admin_email or ""):
        raise InvalidInput({"admin_email": _("Vul een geldig e-mailadres in.")})
    org = create(data, parent=parent, actor_id=actor_id)
    invitation, link = invitations.invite(org, admin_email, admin_name, Role.ADMIN, inviter=None)
    return org, invitation, link


def add_unit(parent: Organisation, name: str, kind: OrganisationKind | None = None, *,
             actor: User) -> Organisation:
    """An org admin adds a sub-unit (a college in a ROC, a team in a college)."""
    if parent.archived_at is not None:
        raise ServiceError(_("Deze eenheid is gearchiveerd."), code="archived")
    unit = create(NewOrganisation(name=name, kind=kind or parent.kind), parent=parent,
                  actor_id=actor.id)
    # Its maker administers it, so the unit can invite its own people straight away.
    db.session.add(Membership(user_id=actor.id, organisation_id=unit.id, role=Role.ADMIN))
    db.session.commit()
    return unit


def tree_of(root: Organisation) -> list[tuple[Organisation, int]]:
    """``root`` and every unit below it, depth-first, with its depth (root = 0)."""
    out: list[tuple[Organisation, int]] = []

    def walk(org: Organisation, depth: int) -> None:
        out.append((org, depth))
        for child in sorted(org.children, key=lambda c: c.name):
            walk(child, depth + 1)

    walk(root, 0)
    return out


def unit_in_tree(root: Organisation, unit_id: int) -> Organisation | None:
    """A unit below ``root`` (not root itself), or None: admins act only in their own tree."""
    return next((o for o, depth in tree_of(root) if o.id == unit_id and depth > 0), None)


def move(root: Organisation, unit: Organisation, new_parent: Organisation, *,
         actor_id: int | None) -> None:
    """Hang ``unit`` under another unit of the same tree (never under itself or below it)."""
    below = {o.id for o, _depth in tree_of(unit)}
    if new_parent.id in below:
        raise ServiceError(_("Een eenheid kan niet onder zichzelf komen te hangen."),
                           code="cycle", field="parent")
    if unit_in_tree(root, new_parent.id) is None and new_parent.id != root.id:
        raise ServiceError(_("Kies een eenheid van jullie eigen organisatie."), field="parent")
    previous = unit.parent.slug if unit.parent else None
    unit.parent_id = new_parent.id
    audit.record("organisation.move", actor_id=actor_id, organisation_id=root.id,
                 subject_type="organisation", subject_id=unit.id, parent=new_parent.slug,
                 previous=previous)
    db.session.commit()
    db.session.refresh(unit)


def archive(root: Organisation, unit: Organisation, *, actor_id: int | None) -> None:
    """Archive a unit and everything below it: no new awards; what it issued stays valid."""
    now = utcnow()
    for org, _depth in tree_of(unit):
        if org.archived_at is None:
            org.archived_at = now
    audit.record("organisation.archive", actor_id=actor_id, organisation_id=root.id,
                 subject_type="organisation", subject_id=unit.id)
    db.session.commit()

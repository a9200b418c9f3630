"""Finding organisations and what belongs to them, and the platform admin's verification.

Views and API handlers never query the database themselves (the import-linter contract
``views-no-database``): they call these. A look-up returns ``None`` when nothing
matches; the view decides whether that is a 404.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import gettext as _

from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import NotFound
from badges.kernel.models import utcnow
from badges.organisations.models import Membership, Organisation, OrganisationKind

M = TypeVar("M")


def by_slug(slug: str) -> Organisation | None:
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


def get(org_id: int | None) -> Organisation | None:
    return db.session.get(Organisation, org_id) if org_id is not None else None


def all_by_name() -> list[Organisation]:
    return list(db.session.scalars(db.select(Organisation).order_by(Organisation.name)))


def others_than(org: Organisation) -> list[Organisation]:
    """Every organisation but ``org``, by name (partners, the source of a credential)."""
    return list(db.session.scalars(db.select(Organisation).where(Organisation.id != org.id)
                                   .order_by(Organisation.name)))


def colleges() -> list[Organisation]:
    return list(db.session.scalars(db.select(Organisation).filter_by(
        kind=OrganisationKind.COLLEGE).order_by(Organisation.name)))


def featured(limit: int = 8) -> list[Organisation]:
    """For the landing page: verified organisations first, then by name."""
    return list(db.session.scalars(db.select(Organisation).order_by(
        Organisation.verified.desc(), Organisation.name).limit(limit)))


def membership_of(user_id: int, org: Organisation) -> Membership | None:
    return db.session.scalar(db.select(Membership).filter_by(user_id=user_id,
                                                             organisation_id=org.id))


def find_in_org(model: type[M], org: Organisation, **filters: Any) -> M | None:
    """One row of ``model`` that belongs to ``org`` (``None`` for another's, whoever asks)."""
    return db.session.scalar(db.select(model).filter_by(
        organisation_id=org.id, **filters))


def toggle_verified(org_id: int, *, actor_id: int | None, note: str = "") -> Organisation:
    """Mark an organisation verified (BRIN/KvK checked, ``note`` says how), or take that back."""
    org = get(org_id)
    if org is None:
        raise NotFound(_("Deze organisatie bestaat niet."))
    org.verified = not org.verified
    org.verified_at = utcnow() if org.verified else None
    org.verification_note = note.strip()[:500] if org.verified else ""
    audit.record(
        "organisation.verify" if org.verified else "organisation.unverify",
        actor_id=actor_id, organisation_id=org.id,
        subject_type="organisation", subject_id=org.id, note=org.verification_note,
    )
    db.session.commit()
    return org

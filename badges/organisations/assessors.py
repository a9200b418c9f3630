"""Who may name an organisation as assessing organisation (a credential's ``source``).

Naming another organisation in a credential says it assessed the learner, in a
document signed by someone else. That needs the named organisation's consent:
standing consent, where its admins list the issuers that may name it
(:func:`set_allowed`) and issuing offers and accepts only those
(:func:`sources_for`, :func:`may_name`); or consent to one credential, which the
organisation then co-signs (``issuing/co_issuing.py``).
"""

from __future__ import annotations

from flask_babel import gettext as _

from badges.kernel import audit
from badges.kernel.errors import ServiceError
from badges.kernel.extensions import db
from badges.organisations.models import AssessorConsent, Organisation


def may_name(issuer: Organisation, source: Organisation) -> bool:
    """May ``issuer`` name ``source`` as assessing organisation? (Itself: always.)"""
    if issuer.id == source.id:
        return True
    return db.session.scalar(db.select(AssessorConsent.id).filter_by(
        organisation_id=source.id, allowed_id=issuer.id)) is not None


def sources_for(issuer: Organisation) -> list[Organisation]:
    """The organisations that agreed to be named by ``issuer``, by name."""
    return list(db.session.scalars(
        db.select(Organisation).join(AssessorConsent, AssessorConsent.organisation_id ==
                                     Organisation.id)
        .where(AssessorConsent.allowed_id == issuer.id).order_by(Organisation.name)))


def allowed_by(org: Organisation) -> list[Organisation]:
    """The issuers ``org`` lets name it, by name."""
    return list(db.session.scalars(
        db.select(Organisation).join(AssessorConsent, AssessorConsent.allowed_id ==
                                     Organisation.id)
        .where(AssessorConsent.organisation_id == org.id).order_by(Organisation.name)))


def candidates(org: Organisation) -> list[Organisation]:
    """Every other organisation, by name: those ``org`` could let name it."""
    return list(db.session.scalars(db.select(Organisation).where(Organisation.id != org.id)
                                   .order_by(Organisation.name)))


def set_allowed(org: Organisation, allowed_ids: list[int], *, actor_id: int | None) -> None:
    """Let exactly these organisations name ``org`` as assessing organisation."""
    wanted = set(allowed_ids) - {org.id}
    found = {o.id: o for o in db.session.scalars(
        db.select(Organisation).where(Organisation.id.in_(wanted or [-1])))}
    if set(found) != wanted:
        raise ServiceError(_("Kies alleen organisaties uit de lijst."), field="allowed")
    current = {c.allowed_id: c for c in db.session.scalars(
        db.select(AssessorConsent).filter_by(organisation_id=org.id))}
    for allowed_id in current.keys() - wanted:
        db.session.delete(current[allowed_id])
    for allowed_id in wanted - current.keys():
        db.session.add(AssessorConsent(organisation_id=org.id, allowed_id=allowed_id,
                                       created_by_id=actor_id))
    audit.record("organisation.assessor_consent", actor_id=actor_id, organisation_id=org.id,
                 subject_type="organisation", subject_id=org.id,
                 allowed=sorted(found[i].slug for i in wanted))
    db.session.commit()

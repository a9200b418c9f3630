"""Endorsements: an organisation signs an OB 3.0 EndorsementCredential for an achievement.

The endorser signs with its own key (``keystore.signing_key_for``), so the
endorsement verifies on its own, independent of the achievement's issuer.
An organisation cannot endorse its own achievements (that says nothing) and
endorses each achievement lineage at most once while the endorsement stands.
"""

from __future__ import annotations

from flask_babel import gettext as _

from badges.catalogue.models import Achievement, AchievementState
from badges.credentials import data_integrity
from badges.credentials.endorsement import build_endorsement
from badges.issuing import keystore
from badges.issuing.credential_data import issuer_data
from badges.issuing.models import Endorsement
from badges.kernel import audit, urls
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import new_uuid, utcnow
from badges.organisations.models import Organisation

MAX_COMMENT = 1000


def endorse(endorser: Organisation, achievement: Achievement, comment: str, *,
            actor_id: int | None = None) -> Endorsement:
    """Sign and store an endorsement of ``achievement`` by ``endorser``."""
    comment = (comment or "").strip()
    if achievement.organisation_id == endorser.id:
        raise ServiceError(_("Je kunt je eigen prestaties niet onderschrijven."),
                           code="own_achievement", field="achievement")
    if achievement.state != AchievementState.PUBLISHED:
        raise ServiceError(_("Je kunt alleen gepubliceerde prestaties onderschrijven."),
                           code="not_published", field="achievement")
    if len(comment) > MAX_COMMENT:
        raise ServiceError(_("Houd de toelichting korter dan %(n)d tekens.", n=MAX_COMMENT),
                           field="comment")
    if active_for(achievement, endorser) is not None:
        raise ServiceError(_("Jullie onderschrijven deze prestatie al."), code="duplicate",
                           field="achievement")
    now = utcnow()
    uuid = new_uuid()
    key = keystore.signing_key_for(endorser)
    unsigned = build_endorsement(
        credential_id=urls.endorsement_url(uuid), endorser=issuer_data(endorser),
        achievement_id=urls.achievement_url(achievement.uuid),
        achievement_name=achievement.name, comment=comment, valid_from=now,
    )
    document = data_integrity.sign(unsigned, key.private_key, key.verification_method,
                                   created=now)
    row = Endorsement(uuid=uuid, endorser_id=endorser.id, achievement_id=achievement.id,
                      comment=comment, document=document, created_by_id=actor_id,
                      created_at=now)
    db.session.add(row)
    audit.record("endorsement.create", actor_id=actor_id, organisation_id=endorser.id,
                 subject_type="endorsement", subject_id=uuid, achievement=achievement.uuid)
    audit.record("endorsement.received", actor_id=actor_id,
                 organisation_id=achievement.organisation_id, subject_type="endorsement",
                 subject_id=uuid, endorser=endorser.slug)
    db.session.commit()
    return row


def revoke(row: Endorsement, *, actor_id: int | None = None) -> None:
    if row.revoked_at is not None:
        return
    row.revoked_at = utcnow()
    audit.record("endorsement.revoke", actor_id=actor_id, organisation_id=row.endorser_id,
                 subject_type="endorsement", subject_id=row.uuid)
    db.session.commit()


def published(uuid: str) -> Endorsement | None:
    """The endorsement behind ``/endorsements/<uuid>`` (withdrawn ones too: the view says so)."""
    return db.session.scalar(db.select(Endorsement).filter_by(uuid=uuid))


def active_for(achievement: Achievement, endorser: Organisation) -> Endorsement | None:
    return db.session.scalar(
        db.select(Endorsement).join(Achievement).where(
            Endorsement.endorser_id == endorser.id, Endorsement.revoked_at.is_(None),
            Achievement.lineage == achievement.lineage))


def of_achievement(achievement: Achievement) -> list[Endorsement]:
    """Standing endorsements of any version of this achievement, newest first."""
    return list(db.session.scalars(
        db.select(Endorsement).join(Achievement).where(
            Achievement.lineage == achievement.lineage, Endorsement.revoked_at.is_(None))
        .order_by(Endorsement.created_at.desc())))


def received_by(org: Organisation) -> list[Endorsement]:
    """Standing endorsements of ``org``'s achievements, newest first."""
    return list(db.session.scalars(
        db.select(Endorsement).join(Achievement).where(Achievement.organisation_id == org.id,
                                                       Endorsement.revoked_at.is_(None))
        .order_by(Endorsement.created_at.desc())))


def given_one(endorser: Organisation, uuid: str) -> Endorsement | None:
    """One endorsement ``endorser`` gave (``None`` for anyone else's)."""
    return db.session.scalar(db.select(Endorsement).filter_by(uuid=uuid, endorser_id=endorser.id))


def given_by(endorser: Organisation) -> list[Endorsement]:
    return list(db.session.scalars(
        db.select(Endorsement).filter_by(endorser_id=endorser.id)
        .order_by(Endorsement.created_at.desc())))


def endorsable(endorser: Organisation, search: str = "") -> list[Achievement]:
    """Published achievements of other organisations, for the endorse form."""
    query = db.select(Achievement).where(
        Achievement.organisation_id != endorser.id,
        Achievement.state == AchievementState.PUBLISHED)
    if search:
        query = query.where(Achievement.name.ilike(f"%{search}%"))
    return list(db.session.scalars(query.order_by(Achievement.name).limit(200)))

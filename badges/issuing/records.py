"""Reading what an organisation issued: one credential, the paged and filtered list, a trail.

The issuer workspace and the API find credentials only through these, and only inside
the organisation that asks: another organisation's credential does not exist for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination

from badges.accounts.models import EmailAddress, User
from badges.accounts.services import normalise_email
from badges.catalogue.models import Achievement
from badges.issuing.models import Credential, CredentialState
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.organisations.models import Organisation


@dataclass(frozen=True)
class CredentialFilters:
    """What the issuer's credential list is narrowed to (all optional)."""

    lineage: str = ""  # one achievement, all its versions
    state: CredentialState | None = None
    search: str = ""  # part of the recipient's email address or name


def by_uuid(uuid: str) -> Credential | None:
    """Any credential issued here, by its public id (the id inside the document)."""
    return db.session.scalar(db.select(Credential).filter_by(uuid=uuid))


def find_in_org(org: Organisation, uuid: str) -> Credential | None:
    return db.session.scalar(db.select(Credential).filter_by(uuid=uuid, organisation_id=org.id))


def by_dedup_key(org: Organisation, dedup_key: str) -> Credential | None:
    """The credential issued before under this dedup key (an API replay)."""
    return db.session.scalar(db.select(Credential).filter_by(organisation_id=org.id,
                                                             dedup_key=dedup_key))


def held_already(org: Organisation, achievement: Achievement, email: str) -> list[Credential]:
    """What ``org`` issued before of this achievement (any version) to this address or
    to the account it belongs to (any of its confirmed addresses), newest first.

    Revoked and expired ones count too: the issue form names each before issuing again.
    """
    email = normalise_email(email)
    owners = set(db.session.scalars(db.select(User.id).where(
        User.email == email, User.email_confirmed_at.is_not(None))))
    owners |= set(db.session.scalars(db.select(EmailAddress.user_id).where(
        EmailAddress.email == email, EmailAddress.confirmed_at.is_not(None))))
    addresses = {email}
    if owners:
        addresses |= set(db.session.scalars(db.select(User.email).where(
            User.id.in_(owners), User.email_confirmed_at.is_not(None))))
        addresses |= set(db.session.scalars(db.select(EmailAddress.email).where(
            EmailAddress.user_id.in_(owners), EmailAddress.confirmed_at.is_not(None))))
    whose = Credential.recipient_email.in_(addresses)
    if owners:
        whose = db.or_(whose, Credential.recipient_user_id.in_(owners))
    return list(db.session.scalars(
        db.select(Credential).join(Achievement, Credential.achievement_id == Achievement.id)
        .where(Credential.organisation_id == org.id, Achievement.lineage == achievement.lineage,
               whose)
        .order_by(Credential.issued_at.desc())))


def recent_of(org: Organisation, limit: int = 8) -> list[Credential]:
    return list(db.session.scalars(db.select(Credential).filter_by(organisation_id=org.id)
                                   .order_by(Credential.issued_at.desc()).limit(limit)))


def credentials_of(org: Organisation, filters: CredentialFilters, *, page: int,
                   per_page: int) -> Pagination:
    """One page of ``org``'s credentials, newest first; a page past the end is empty."""
    query = db.select(Credential).filter_by(organisation_id=org.id)
    if filters.lineage:
        query = query.join(Achievement).where(Achievement.lineage == filters.lineage)
    if filters.state is not None:
        query = query.where(Credential.state == filters.state)
    if filters.search:
        like = f"%{filters.search.lower()}%"
        query = query.where(db.or_(db.func.lower(Credential.recipient_email).like(like),
                                   db.func.lower(Credential.recipient_name).like(like)))
    return db.paginate(query.order_by(Credential.issued_at.desc(), Credential.id.desc()),
                       page=max(page, 1), per_page=per_page, max_per_page=per_page,
                       error_out=False)


def trail_of(credential: Credential) -> list[AuditEvent]:
    """What happened to a credential (issued, revoked, reissued ...), oldest first."""
    return list(db.session.scalars(db.select(AuditEvent).filter_by(
        organisation_id=credential.organisation_id, subject_type="credential",
        subject_id=credential.uuid).order_by(AuditEvent.created_at)))


def uuids_of(credential_ids: list[int]) -> dict[int, str]:
    """Credential ids → their public uuids (for the bulk API's row results)."""
    if not credential_ids:
        return {}
    rows = db.session.execute(db.select(Credential.id, Credential.uuid)
                              .where(Credential.id.in_(credential_ids)))
    return {credential_id: uuid for credential_id, uuid in rows}


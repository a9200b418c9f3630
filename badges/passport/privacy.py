"""The learner's AVG/GDPR rights: a copy of all personal data, and erasure.

Erasure invariant: after :func:`delete_account` no row in any table holds the
user's e-mail addresses, name or a reference to their id. Issued credentials
are *not* deleted: whoever already holds one must still be able to verify it
(the signed document names the learner only by a salted e-mail hash), so we
keep the credential row and its status but scrub every personal column.
Audit events stay (issuers need them) without the actor. The credentials are
no longer served publicly (their URL answers 410 Gone), and other features
erase their copies of the person on ``AccountDeleted`` (bulk rows). Tables added later
by other features are covered by a generic pass over every foreign key to
``user_account``: nullable columns are set to NULL, other rows are deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import String, cast, delete, or_, update

from badges.accounts.events import AccountDeleted
from badges.accounts.models import EmailAddress, User
from badges.accounts.passwords import check_password
from badges.issuing.models import Credential
from badges.kernel import audit, events
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret
from badges.organisations.models import Membership
from badges.passport import share
from badges.passport.models import ImportedCredential, RetiredShareToken, ShareLink

# What features above the passport hold about a person (apps connected through the Open
# Badges API, ...): each adds a section of the export at start-up (app/wiring.py).
SECTIONS: dict[str, Callable[[User], Any]] = {}


def add_section(name: str, provider: Callable[[User], Any]) -> None:
    """Export ``provider(user)`` under ``name`` in :func:`personal_data`."""
    SECTIONS[name] = provider


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _audit_filter(user: User, emails: list[str], credential_uuids: list[str]) -> Any:
    """Audit events that are about this person (as actor, as subject, or naming them)."""
    text = cast(AuditEvent.details, String)
    clauses = [AuditEvent.actor_user_id == user.id,
               (AuditEvent.subject_type == "user") & (AuditEvent.subject_id == str(user.id))]
    if credential_uuids:
        clauses.append((AuditEvent.subject_type == "credential")
                       & AuditEvent.subject_id.in_(credential_uuids))
    clauses += [text.contains(e) for e in emails]
    return or_(*clauses)


def personal_data(user: User) -> dict[str, Any]:
    """Everything we hold about the user, as JSON (AVG article 15 and 20)."""
    emails = [user.email, *[e.email for e in user.emails]]
    creds = list(db.session.scalars(db.select(Credential)
                                    .where(Credential.recipient_user_id == user.id)))
    imports = list(db.session.scalars(db.select(ImportedCredential)
                                      .where(ImportedCredential.user_id == user.id)))
    links = list(db.session.scalars(db.select(ShareLink).where(ShareLink.user_id == user.id)))
    events = list(db.session.scalars(db.select(AuditEvent).where(
        _audit_filter(user, emails, [c.uuid for c in creds])).order_by(AuditEvent.id)))
    return {
        "type": "SkillspasPersonalData",
        "exportedAt": _iso(utcnow()),
        "account": {"id": user.id, "email": user.email, "name": user.name,
                    "createdAt": _iso(user.created_at), "locale": user.locale,
                    "lastLoginAt": _iso(user.last_login_at),
                    "platformAdmin": user.is_platform_admin},
        "emails": [{"email": e.email, "label": e.label, "confirmedAt": _iso(e.confirmed_at),
                    "createdAt": _iso(e.created_at)} for e in user.emails],
        "memberships": [{"organisation": m.organisation.name, "role": m.role.value}
                        for m in user.memberships],
        "credentials": [{
            "id": c.uuid, "achievement": c.achievement.name, "issuer": c.organisation.name,
            "recipientEmail": c.recipient_email, "recipientName": c.recipient_name,
            "issuedAt": _iso(c.issued_at), "state": c.state.value,
            "claimedAt": _iso(c.claimed_at), "document": c.document,
        } for c in creds],
        "imported": [{
            "id": i.uuid, "name": i.name, "issuer": i.issuer_name or i.issuer_id,
            "importedAt": _iso(i.imported_at), "verdict": i.verdict, "raw": i.raw,
        } for i in imports],
        "shares": [{
            "title": s.title, "createdAt": _iso(s.created_at), "expiresAt": _iso(s.expires_at),
            "revokedAt": _iso(s.revoked_at), "viewCount": s.view_count,
            "credentials": [c.uuid for c in s.credentials],
            "imported": [i.uuid for i in s.imported],
            "views": [_iso(v.viewed_at) for v in s.views],
        } for s in links],
        "auditEvents": [{
            "at": _iso(e.created_at), "action": e.action, "subjectType": e.subject_type,
            "subjectId": e.subject_id, "details": e.details,
            "byYou": e.actor_user_id == user.id,
        } for e in events],
        **{name: provider(user) for name, provider in SECTIONS.items()},
    }


def delete_account(user: User, password: str) -> None:
    """Erase the account and its personal data after the password is confirmed."""
    if not check_password(user.password_hash, password or ""):
        raise ServiceError("Het wachtwoord klopt niet. Je account is niet verwijderd.",
                           code="wrong_password", field="password")
    uid = user.id
    emails = [user.email, *[e.email for e in user.emails]]
    cred_uuids = list(db.session.scalars(
        db.select(Credential.uuid).where(Credential.recipient_user_id == uid)))
    s = db.session
    # Audit: keep the event, drop who and any personal detail.
    s.execute(update(AuditEvent).where(_audit_filter(user, emails, cred_uuids))
              .values(actor_user_id=None, details={}))
    s.execute(update(AuditEvent).where(AuditEvent.subject_type == "user",
                                       AuditEvent.subject_id == str(uid))
              .values(subject_id=""))
    # Issued credentials stay verifiable by whoever holds a copy (signature, status),
    # but this service no longer serves them (410 Gone); the personal columns go.
    theirs = or_(Credential.recipient_user_id == uid, Credential.recipient_email.in_(emails))
    cred_ids = list(s.scalars(db.select(Credential.id).where(theirs)))
    s.execute(update(Credential).where(theirs)
              .values(recipient_user_id=None, recipient_email=None, recipient_name=None,
                      claim_token_hash=None, dedup_key=None, holder_deleted_at=utcnow()))
    for link in s.scalars(db.select(ShareLink).where(ShareLink.user_id == uid)):
        s.add(RetiredShareToken(token_hash=hash_secret(link.token)))  # 410, not 404, from now
        s.delete(link)  # with its views and chosen credentials
    s.flush()
    s.execute(delete(ImportedCredential).where(ImportedCredential.user_id == uid))
    s.execute(delete(EmailAddress).where(EmailAddress.user_id == uid))
    s.execute(delete(Membership).where(Membership.user_id == uid))
    _clear_other_references(uid)
    s.expunge_all()  # the ORM must not try to cascade onto rows already gone
    s.execute(delete(User).where(User.id == uid))
    audit.record("account.delete")  # that an account was deleted; not whose
    events.record(AccountDeleted(tuple(emails), tuple(cred_ids)))  # copies elsewhere go too
    events.commit()


def _clear_other_references(uid: int) -> None:
    """Any other column pointing at the user: NULL it, or delete the row if it must have one."""
    users = User.__table__
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not users or table is users:
                continue
            column = fk.parent
            if column.nullable:
                db.session.execute(update(table).where(column == uid).values({column.name: None}))
            else:
                db.session.execute(delete(table).where(column == uid))


def own_credential_count(user: User) -> int:
    return len(share.owned_credentials(user.id))

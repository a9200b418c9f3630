"""Issuing credentials: build, sign, store, and tell the recipient.

One code path for every way of issuing (the form, bulk CSV, the API, the
demo): :func:`issue_many` signs a batch in one transaction, reserving its
status-list indexes in one locked step. A ``dedup_key`` per recipient ×
achievement × period makes re-uploads and retries issue nothing twice.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from badges.credentials import batch
from badges.credentials.documents import (
    EvidenceData,
    IssuerData,
    RecipientData,
    ResultData,
    build_credential,
)
from badges.errors import Conflict, ServiceError
from badges.extensions import db
from badges.models import (
    Achievement,
    AchievementState,
    Credential,
    CredentialState,
    Organisation,
    StatusPurpose,
    User,
    utcnow,
)
from badges.services import audit, keystore, status_lists, urls
from badges.services.accounts import normalise_email
from badges.services.credential_data import achievement_data, issuer_data
from badges.services.tokens import hash_secret


@dataclass
class IssueRequest:
    achievement: Achievement
    recipient_email: str
    recipient_name: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)  # {"url"|"narrative", "name"}
    result: dict[str, Any] = field(default_factory=dict)  # {"value", "status"}
    assessor: str | None = None
    source: Organisation | None = None  # e.g. the employer that assessed
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    dedup_key: str | None = None


@dataclass
class Issued:
    credential: Credential
    claim_token: str | None  # to put in the recipient's email; never stored


def dedup_key(email: str, achievement: Achievement, period: str = "") -> str:
    """One credential per recipient × achievement (all versions) × period."""
    raw = f"{normalise_email(email)}|{achievement.lineage}|{period.strip()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _evidence(items: list[dict[str, Any]]) -> list[EvidenceData]:
    return [
        EvidenceData(id=e.get("url") or None, narrative=e.get("narrative") or None,
                     name=e.get("name") or None, genre=e.get("genre") or None)
        for e in items
    ]


def _results(result: dict[str, Any]) -> list[ResultData]:
    if not result.get("value") and not result.get("status"):
        return []
    return [ResultData(value=result.get("value"), status=result.get("status"))]


def check_issuable(org: Organisation, achievement: Achievement) -> None:
    if achievement.organisation_id != org.id:
        raise ServiceError("Deze prestatie hoort niet bij deze organisatie.",
                           code="unknown_achievement", field="achievement")
    if achievement.state != AchievementState.PUBLISHED:
        raise ServiceError("Deze prestatie is niet gepubliceerd.", code="not_published",
                           field="achievement")


def _signing_processes() -> int | None:
    configured = current_app.config["BADGES"].get("SIGNING_PROCESSES", 0)
    return configured or None  # 0: one per core


def issue_many(
    org: Organisation, requests: list[IssueRequest], *, actor_id: int | None = None,
    commit: bool = True,
) -> list[Issued]:
    """Issue a batch in one transaction; requests whose dedup_key exists are skipped."""
    if not requests:
        return []
    _lock_issuer(org)
    keys_wanted = [r.dedup_key for r in requests if r.dedup_key]
    existing: set[str] = set()
    if keys_wanted:
        existing = set(db.session.scalars(
            db.select(Credential.dedup_key).where(
                Credential.organisation_id == org.id, Credential.dedup_key.in_(keys_wanted))
        ))
    todo, seen = [], set(existing)
    for r in requests:
        check_issuable(org, r.achievement)
        if r.dedup_key and r.dedup_key in seen:
            continue
        if r.dedup_key:
            seen.add(r.dedup_key)
        todo.append(r)
    if not todo:
        return []

    key = keystore.signing_key_for(org)
    issuer: IssuerData = issuer_data(org)
    revocation = status_lists.allocate(org, StatusPurpose.REVOCATION, len(todo))
    suspension = status_lists.allocate(org, StatusPurpose.SUSPENSION, len(todo))
    now = utcnow()
    achievement_cache: dict[int, Any] = {}
    issued: list[Issued] = []
    unsigned_docs: list[dict[str, Any]] = []
    users = _users_by_email({normalise_email(r.recipient_email) for r in todo})
    for r, (rev_list, rev_index), (sus_list, sus_index) in zip(
        todo, revocation, suspension, strict=True
    ):
        email = normalise_email(r.recipient_email)
        credential = Credential(
            organisation_id=org.id, achievement_id=r.achievement.id,
            recipient_email=email, recipient_name=r.recipient_name, issued_at=now,
            valid_from=r.valid_from or now, valid_until=r.valid_until,
            evidence=r.evidence, result=r.result, assessor=r.assessor,
            signing_key_id=key.row.id, revocation_list_id=rev_list.id,
            revocation_index=rev_index, suspension_list_id=sus_list.id,
            suspension_index=sus_index, dedup_key=r.dedup_key, created_by_id=actor_id,
        )
        # A learner whose (confirmed) address this is gets it straight away;
        # anyone else claims it by the emailed link.
        owner = users.get(email)
        token = None
        if owner is not None:
            credential.recipient_user_id = owner.id
            credential.claimed_at = now
        else:
            token = secrets.token_urlsafe(24)
            credential.claim_token_hash = hash_secret(token)
        if r.achievement.id not in achievement_cache:
            achievement_cache[r.achievement.id] = achievement_data(r.achievement)
        # OB 3.0's schema allows one credentialStatus: the revocation entry goes
        # in the credential; suspension is kept in its own published list and
        # checked by this service's verifier (see verification.py).
        unsigned = build_credential(
            credential_id=urls.credential_url(credential.uuid_or_new()),
            issuer=issuer,
            achievement_data=achievement_cache[r.achievement.id],
            recipient=RecipientData(email=email),
            valid_from=credential.valid_from,
            valid_until=r.valid_until,
            results=_results(r.result),
            evidence=_evidence(r.evidence),
            source=issuer_data(r.source) if r.source else None,
            credential_status=[status_lists.entry(rev_list, rev_index)],
        )
        unsigned_docs.append(unsigned)
        issued.append(Issued(credential, token))
    # Signing dominates large batches: sign_many spreads them over the cores.
    signed = batch.sign_many(unsigned_docs, key.private_key, key.verification_method,
                             created=now, processes=_signing_processes())
    for item, document in zip(issued, signed, strict=True):
        item.credential.document = document
        db.session.add(item.credential)
    try:
        db.session.flush()  # PostgreSQL reports a unique violation here, SQLite at commit
        for item in issued:
            audit.record("credential.issue", actor_id=actor_id, organisation_id=org.id,
                         subject_type="credential", subject_id=item.credential.uuid,
                         achievement=item.credential.achievement_id)
        if commit:
            db.session.commit()
    except IntegrityError as exc:  # a concurrent run issued the same dedup_key
        db.session.rollback()
        raise Conflict("Dit is tegelijk al uitgegeven. Probeer het opnieuw.") from exc
    if commit:  # callers that commit themselves call trajectories.after_issue after it
        from badges.services import trajectories  # it issues through this module

        trajectories.after_issue(issued)
    return issued


def _lock_issuer(org: Organisation) -> None:
    """Serialise issuing per organisation for the rest of this transaction.

    Without it, two first issues at once both create the issuer's first signing
    key (same kid: one fails) or its first status lists. Allocation locks the
    list row anyway, so this costs no throughput; the dedup lookup after it
    sees what a concurrent run just committed. SQLite ignores FOR UPDATE: its
    ``BEGIN IMMEDIATE`` already serialises writers.
    """
    db.session.execute(
        db.select(Organisation.id).where(Organisation.id == org.id).with_for_update()
    )


def issue(org: Organisation, request: IssueRequest, *, actor_id: int | None = None) -> Issued:
    done = issue_many(org, [request], actor_id=actor_id)
    if not done:
        raise Conflict("Deze persoon heeft dit al gekregen.", code="duplicate")
    return done[0]


def _users_by_email(emails: set[str]) -> dict[str, User]:
    from badges.models import EmailAddress

    found = {u.email: u for u in db.session.scalars(db.select(User).where(User.email.in_(emails)))}
    for addr in db.session.scalars(
        db.select(EmailAddress).where(EmailAddress.email.in_(emails),
                                      EmailAddress.confirmed_at.is_not(None))
    ):
        found.setdefault(addr.email, addr.user)
    return found


def change_state(
    credential: Credential, new_state: CredentialState, reason: str, *, actor_id: int | None
) -> None:
    """Revoke, suspend or reinstate; the status lists change in the same transaction."""
    old = credential.state
    if old == CredentialState.REVOKED:
        raise ServiceError("Een ingetrokken bewijs kan niet meer veranderen.", code="revoked")
    if new_state == old:
        return
    if new_state == CredentialState.REVOKED:
        status_lists.set_bit(credential.revocation_list_id, credential.revocation_index, True)
        if old == CredentialState.SUSPENDED:
            status_lists.set_bit(credential.suspension_list_id, credential.suspension_index, False)
    elif new_state == CredentialState.SUSPENDED:
        status_lists.set_bit(credential.suspension_list_id, credential.suspension_index, True)
    elif new_state == CredentialState.ACTIVE:
        status_lists.set_bit(credential.suspension_list_id, credential.suspension_index, False)
    credential.state = new_state
    credential.state_reason = reason
    credential.state_changed_at = utcnow()
    audit.record(f"credential.{new_state.value}", actor_id=actor_id,
                 organisation_id=credential.organisation_id, subject_type="credential",
                 subject_id=credential.uuid, reason=reason, previous=old.value)
    db.session.commit()

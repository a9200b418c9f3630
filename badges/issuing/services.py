"""Issuing credentials: build, sign, store, and tell the recipient.

One code path for every way of issuing (the form, bulk CSV, the API, the
demo): :func:`issue_many` signs a batch in one transaction, reserving its
status-list indexes in one locked step. A ``dedup_key`` per recipient ×
achievement × period makes re-uploads and retries issue nothing twice.

A batch is written as rows, not ORM objects: the signing workers build and
sign the documents part by part while this process writes the parts before
(COPY on PostgreSQL), so a bulk run of thousands costs little beyond the
signatures. Callers that want the ``Credential`` objects get them adopted
into the session without another query.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from badges.accounts.models import User
from badges.accounts.services import normalise_email
from badges.catalogue.models import Achievement
from badges.credentials import batch
from badges.credentials.documents import (
    EvidenceData,
    IssuerData,
    RecipientData,
    ResultData,
    build_credential,
)
from badges.issuing import keystore, rules, status_lists
from badges.issuing.credential_data import achievement_data, issuer_data
from badges.issuing.events import CredentialsIssued, CredentialStateChanged
from badges.issuing.models import Credential, CredentialState, StatusPurpose
from badges.kernel import audit, events, urls
from badges.kernel.bulk_rows import adopt, insert_rows, reserve_ids, with_defaults
from badges.kernel.database import fresh_plans
from badges.kernel.db import db
from badges.kernel.errors import Conflict, ServiceError
from badges.kernel.models import new_uuid, utcnow
from badges.kernel.tokens import hash_secret
from badges.organisations import assessors
from badges.organisations.models import Organisation


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
    # False when the recipient hears of it otherwise (an approved application has its own mail)
    announce: bool = True
    # True when ``source`` agreed to this very credential (it co-signs it: co_issuing.py)
    source_agreed: bool = False


@dataclass
class Issued:
    """One new credential, with what notifications and trajectories need of it."""

    id: int
    uuid: str
    dedup_key: str | None
    recipient_user_id: int | None
    achievement: Achievement
    claim_token: str | None  # to put in the recipient's email; never stored
    announce: bool = True
    _credential: Credential | None = field(default=None, repr=False)

    @property
    def credential(self) -> Credential:
        """The ORM object: adopted at issue time, or loaded now (``objects=False``)."""
        if self._credential is None:
            self._credential = db.session.get(Credential, self.id)
        assert self._credential is not None
        return self._credential


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


def _assessor_evidence(assessor: str | None) -> list[EvidenceData]:
    """The assessor, signed as OB 3.0 has it: evidence of who assessed (a genre, a name)."""
    if not assessor:
        return []
    return [EvidenceData(name=assessor, genre="Beoordelaar",
                         description=f"Beoordeeld door {assessor}")]


def _results(result: dict[str, Any]) -> list[ResultData]:
    if not result.get("value") and not result.get("status"):
        return []
    return [ResultData(value=result.get("value"), status=result.get("status"))]


def check_issuable(org: Organisation, achievement: Achievement) -> None:
    problem = rules.achievement_problem(achievement, org.id)
    if problem is not None:
        raise ServiceError(str(problem), code=problem.code, field="achievement")


def _signing_processes() -> int | None:
    configured = current_app.config["BADGES"].get("SIGNING_PROCESSES", 0)
    return configured or None  # 0: one per core


@dataclass
class Batch:
    """A batch planned and handed to the signing workers, not yet stored."""

    org_id: int
    rows: list[dict[str, Any]]
    issued: list[Issued]
    signing: batch.Signing
    actor_id: int | None
    sources: list[str | None] = field(default_factory=list)  # slug of each row's source

    @property
    def dedup_keys(self) -> set[str]:
        return {row["dedup_key"] for row in self.rows if row["dedup_key"]}


def start_batch(org: Organisation, requests: list[IssueRequest], *, actor_id: int | None = None,
                taken: set[str] | frozenset[str] = frozenset(),
                api_token_id: int | None = None) -> Batch | None:
    """Check, dedup and plan a batch and start signing it; None when nothing is new.

    ``taken``: dedup keys of a batch started earlier in this transaction and
    not stored yet (a bulk run plans its next chunk while it stores this one).
    """
    todo = _new_requests(org, requests, taken)
    if not todo:
        return None
    key = keystore.signing_key_for(org)
    now = utcnow()
    rows, recipes, issued = _plan(org, todo, key, now, actor_id, api_token_id)
    signing = batch.Signing(recipes, key.private_key, key.verification_method, created=now,
                            processes=_signing_processes(), build=build_credential)
    return Batch(org.id, rows, issued, signing, actor_id,
                 [r.source.slug if r.source else None for r in todo])


def finish_batch(pending: Batch, *, objects: bool = True) -> list[Issued]:
    """Store the signed documents part by part as the workers finish them (no commit).

    ``objects=False`` (bulk runs) skips making ``Credential`` objects for the
    session; ``Issued.credential`` then loads one when asked.
    """
    rows, table, done = pending.rows, Credential.__table__, 0
    # Primary keys are taken now, in the transaction that writes the rows: a bulk
    # run plans its next chunk in the transaction before, and on SQLite numbers
    # reserved then could be written by another session once that one commits.
    ids = reserve_ids(db.session, table.name, len(rows))
    for row, item, credential_id in zip(rows, pending.issued, ids, strict=True):
        row["id"] = item.id = credential_id
    for part in pending.signing.parts():
        stored = rows[done:done + len(part)]
        for row, document in zip(stored, part, strict=True):
            row["document"] = document
        done += len(part)
        with _as_conflict():  # a unique violation: a concurrent run issued the same dedup_key
            insert_rows(db.session, table, stored)
    audit.record_many("credential.issue", [row["uuid"] for row in rows],
                      actor_id=pending.actor_id, organisation_id=pending.org_id,
                      subject_type="credential",
                      details=[_audit_details(row, source) for row, source in
                               zip(rows, pending.sources or [None] * len(rows), strict=True)])
    if objects:
        credentials = [Credential(**row) for row in rows]
        adopt(db.session, credentials)
        for item, credential in zip(pending.issued, credentials, strict=True):
            item._credential = credential
    events.record(CredentialsIssued(tuple(pending.issued)))
    return pending.issued


def _audit_details(row: dict[str, Any], source: str | None) -> dict[str, Any]:
    """What the audit log keeps of an issue: the achievement, and who was named assessor."""
    details: dict[str, Any] = {"achievement": row["achievement_id"]}
    if source:
        details["source"] = source
    return details


class SourceNotAgreed(ServiceError):
    """The organisation named as assessor has not agreed to be named by this issuer."""

    status = 422
    code = "source_not_agreed"


@contextmanager
def _as_conflict() -> Iterator[None]:
    """A unique violation of a dedup_key (a concurrent run issued it): roll back, say so."""
    try:
        yield
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("Dit is tegelijk al uitgegeven. Probeer het opnieuw.") from exc


def add(org: Organisation, requests: list[IssueRequest], *, actor_id: int | None = None,
        objects: bool = True, api_token_id: int | None = None) -> list[Issued]:
    """Sign and add a batch to the current transaction; the caller's unit of work commits.

    Requests whose dedup_key exists are skipped. For use cases that issue as
    one step of something larger (an approved application, a trajectory award,
    a reissue); :func:`issue_many` is the use case on its own.
    """
    pending = start_batch(org, requests, actor_id=actor_id, api_token_id=api_token_id)
    if pending is None:
        return []
    return finish_batch(pending, objects=objects)


def issue_many(org: Organisation, requests: list[IssueRequest], *, actor_id: int | None = None,
               objects: bool = True, api_token_id: int | None = None) -> list[Issued]:
    """Issue a batch in one transaction; requests whose dedup_key exists are skipped."""
    issued = add(org, requests, actor_id=actor_id, objects=objects, api_token_id=api_token_id)
    commit()
    return issued


def commit() -> None:
    """End a unit of work that issued: a concurrent duplicate becomes a ``Conflict``."""
    with _as_conflict():
        events.commit()


def _new_requests(org: Organisation, requests: list[IssueRequest],
                  taken: set[str] | frozenset[str] = frozenset()) -> list[IssueRequest]:
    """The requests to issue: checked, minus those whose dedup_key exists or repeats."""
    if not requests:
        return []
    _lock_issuer(org)
    fresh_plans(db.session)  # batch after batch grows the table this looks up
    keys_wanted = [r.dedup_key for r in requests if r.dedup_key]
    seen: set[str] = set(taken)
    if keys_wanted:
        seen.update(db.session.scalars(
            db.select(Credential.dedup_key).where(
                Credential.organisation_id == org.id, Credential.dedup_key.in_(keys_wanted))
        ))
    todo = []
    agreed: dict[int, bool] = {}
    for r in requests:
        check_issuable(org, r.achievement)
        if r.source is not None and not r.source_agreed:
            if r.source.id not in agreed:
                agreed[r.source.id] = assessors.may_name(org, r.source)
            if not agreed[r.source.id]:
                raise SourceNotAgreed(
                    _("%(name)s heeft niet toegestaan dat jullie haar noemen als "
                      "beoordelende organisatie.", name=r.source.name), field="source")
        if r.dedup_key and r.dedup_key in seen:
            continue
        if r.dedup_key:
            seen.add(r.dedup_key)
        todo.append(r)
    return todo


def _plan(org: Organisation, todo: list[IssueRequest], key: keystore.ActiveKey, now: datetime,
          actor_id: int | None, api_token_id: int | None = None,
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Issued]]:
    """For each request: its row (all but the document), its document's recipe, its Issued.

    Status-list indexes are reserved here, in the caller's transaction; primary
    keys when the rows are stored (:func:`finish_batch`).
    """
    issuer: IssuerData = issuer_data(org)
    revocation = status_lists.allocate(org, StatusPurpose.REVOCATION, len(todo))
    suspension = status_lists.allocate(org, StatusPurpose.SUSPENSION, len(todo))
    users = _users_by_email({normalise_email(r.recipient_email) for r in todo})
    defaults = with_defaults(Credential.__table__, {})  # the same for every row
    achievements: dict[int, Any] = {}
    rows: list[dict[str, Any]] = []
    recipes: list[dict[str, Any]] = []
    issued: list[Issued] = []
    for r, (rev_list, rev_index), (sus_list, sus_index) in zip(
        todo, revocation, suspension, strict=True
    ):
        email = normalise_email(r.recipient_email)
        # A learner whose (confirmed) address this is gets it straight away;
        # anyone else claims it by the emailed link.
        owner = users.get(email)
        token = None if owner is not None else secrets.token_urlsafe(24)
        row = {**defaults,
               "id": None, "uuid": new_uuid(), "organisation_id": org.id,
               "achievement_id": r.achievement.id, "recipient_email": email,
               "recipient_name": r.recipient_name, "issued_at": now,
               "valid_from": r.valid_from or now, "valid_until": r.valid_until,
               "evidence": r.evidence, "result": r.result, "assessor": r.assessor,
               "signing_key_id": key.row.id, "revocation_list_id": rev_list.id,
               "revocation_index": rev_index, "suspension_list_id": sus_list.id,
               "suspension_index": sus_index, "dedup_key": r.dedup_key,
               "created_by_id": actor_id, "api_token_id": api_token_id, "created_at": now,
               "recipient_user_id": owner.id if owner is not None else None,
               "claimed_at": now if owner is not None else None,
               "claim_token_hash": hash_secret(token) if token else None,
               "claim_link_sent_at": now if token else None}
        if r.achievement.id not in achievements:
            achievements[r.achievement.id] = achievement_data(r.achievement)
        # Both entries, each with its own list, so that any verifier (not only
        # ours) sees a suspension as well as a revocation. Credentials issued
        # before carry only the revocation entry; our verifier adds the
        # suspension entry it knows for those (LocalStatusResolver.extra_entries).
        recipes.append({
            "credential_id": urls.credential_url(row["uuid"]),
            "issuer": issuer,
            "achievement_data": achievements[r.achievement.id],
            "recipient": RecipientData(email=email),
            "valid_from": row["valid_from"],
            "valid_until": r.valid_until,
            "results": _results(r.result),
            "evidence": _evidence(r.evidence) + _assessor_evidence(r.assessor),
            "source": issuer_data(r.source) if r.source else None,
            "credential_status": [status_lists.entry(rev_list, rev_index),
                                  status_lists.entry(sus_list, sus_index)],
        })
        rows.append(row)
        issued.append(Issued(0, row["uuid"], r.dedup_key, row["recipient_user_id"],  # id: stored
                             r.achievement, token, announce=r.announce))
    return rows, recipes, issued


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


def issue(org: Organisation, request: IssueRequest, *, actor_id: int | None = None,
          api_token_id: int | None = None) -> Issued:
    done = issue_many(org, [request], actor_id=actor_id, api_token_id=api_token_id)
    if not done:
        raise Conflict("Deze persoon heeft dit al gekregen.", code="duplicate")
    return done[0]


def _users_by_email(emails: set[str]) -> dict[str, User]:
    """The proven owners of these addresses: a confirmed primary or extra address.

    An unconfirmed account proves nothing (anyone can register any address), so
    its credentials wait for the claim link mailed to the address.
    """
    from badges.accounts.models import EmailAddress

    found = {u.email: u for u in db.session.scalars(db.select(User).where(
        User.email.in_(emails), User.email_confirmed_at.is_not(None)))}
    for addr in db.session.scalars(
        db.select(EmailAddress).where(EmailAddress.email.in_(emails),
                                      EmailAddress.confirmed_at.is_not(None))
    ):
        found.setdefault(addr.email, addr.user)
    return found


def set_state(
    credential: Credential, new_state: CredentialState, reason: str, *, actor_id: int | None
) -> None:
    """Revoke, suspend or reinstate in the current transaction (with the status lists)."""
    old = credential.state
    if old == CredentialState.REVOKED:
        raise ServiceError("Een ingetrokken bewijs kan niet meer veranderen.", code="revoked")
    if new_state == old:
        return
    # Every credential issued here has both status entries (the columns allow none).
    revocation = cast(int, credential.revocation_list_id), cast(int, credential.revocation_index)
    suspension = cast(int, credential.suspension_list_id), cast(int, credential.suspension_index)
    if new_state == CredentialState.REVOKED:
        status_lists.set_bit(*revocation, True)
        if old == CredentialState.SUSPENDED:
            status_lists.set_bit(*suspension, False)
    elif new_state == CredentialState.SUSPENDED:
        status_lists.set_bit(*suspension, True)
    elif new_state == CredentialState.ACTIVE:
        status_lists.set_bit(*suspension, False)
    credential.state = new_state
    credential.state_reason = reason
    credential.state_changed_at = utcnow()
    audit.record(f"credential.{new_state.value}", actor_id=actor_id,
                 organisation_id=credential.organisation_id, subject_type="credential",
                 subject_id=credential.uuid, reason=reason, previous=old.value)
    events.record(CredentialStateChanged(credential.id, new_state, old))


def change_state(
    credential: Credential, new_state: CredentialState, reason: str, *, actor_id: int | None
) -> None:
    """Revoke, suspend or reinstate; the recipient is told once it is committed."""
    set_state(credential, new_state, reason, actor_id=actor_id)
    events.commit()


def count_issued(achievement: Achievement) -> int:
    """How many credentials were issued for this version of an achievement."""
    return db.session.scalar(db.select(db.func.count(Credential.id)).filter_by(
        achievement_id=achievement.id)) or 0

"""Importing credentials from elsewhere into a learner's passport.

Invariants:
- Everything is verified on import (``verification.verify_upload``) and the
  report is stored with it. An *invalid* credential (tampered, bad
  signature, unreadable) is refused and not stored.
- An *indeterminate* one (key not confirmable, hosted OB 2.0 with fetching
  off) may be kept, and is always shown as "niet te bevestigen" with the
  reason; only an unqualified "valid" ever reads as checked.
- The raw credential is kept exactly as it was inside the upload (JSON text,
  or the compact JWT/JWS), so it can be re-checked at any time.
- One import per learner × credential: duplicates are detected by id.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask_babel import gettext as _

from badges.accounts.models import User
from badges.credentials.baking import BakingError
from badges.credentials.verify.checks import parse_date
from badges.credentials.verify.inputs import InputError, parse_input
from badges.issuing.models import Credential
from badges.kernel import audit, urls
from badges.kernel.db import db
from badges.kernel.errors import Conflict, ServiceError
from badges.kernel.i18n import current_language
from badges.kernel.models import utcnow
from badges.passport.models import ImportedCredential
from badges.verification import services as verification
from badges.verification import wording

MAX_BYTES = 10 * 1024 * 1024


class ImportRefused(ServiceError):
    """The upload is not a credential we can keep; ``message`` says why."""

    code = "refused"


class DuplicateImport(Conflict):
    def __init__(self, message: str, existing_uuid: str | None) -> None:
        super().__init__(message, code="duplicate")
        self.existing_uuid = existing_uuid


def reason(report: dict[str, Any]) -> str:
    """The first thing that went wrong (or could not be confirmed), in plain words in the
    reader's language (the check's own message is a technical detail)."""
    return wording.reason(report)


def _raw(data: bytes | str) -> tuple[str, str, str | None]:
    """(raw text, format, container) of the credential inside the upload."""
    try:
        parsed = parse_input(data)
    except (InputError, BakingError) as exc:
        raise ImportRefused(exc.message_en if current_language() == "en" else exc.message_nl) \
            from exc
    if parsed.token:
        return parsed.token.strip(), parsed.format, parsed.container
    if parsed.credential is None:
        raise ImportRefused(_("Deze afbeelding bevat alleen een link naar een badge. Download de "
                              "badge zelf (JSON-bestand) bij de uitgever en upload die."))
    return json.dumps(parsed.credential, ensure_ascii=False), parsed.format, parsed.container


def fingerprint_of(doc: dict[str, Any]) -> str:
    """The duplicate key of an OB 3.0 document (same as on import)."""
    issuer = doc.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    return _fingerprint({"id": doc.get("id"), "issuer": {"id": issuer_id}}, "")


def _fingerprint(summary: dict[str, Any], raw: str) -> str:
    cred_id = summary.get("id")
    issuer = (summary.get("issuer") or {}).get("id") or ""
    basis = f"{issuer}|{cred_id}" if cred_id else raw
    return hashlib.sha256(basis.encode()).hexdigest()


def _summary_fields(row: ImportedCredential, report: dict[str, Any]) -> None:
    summary = report.get("credential") or {}
    achievement = summary.get("achievement") or {}
    issuer = summary.get("issuer") or {}
    row.name = (summary.get("name") or achievement.get("name") or "Badge")[:200]
    row.issuer_name = (issuer.get("name") or "")[:200]
    row.issuer_id = (issuer.get("id") or "")[:500]
    row.issued_on = parse_date(summary.get("awardedDate") or summary.get("validFrom"))
    row.achievement_type = (achievement.get("type") or "")[:80]
    row.verdict = report.get("verdict") or "indeterminate"
    row.report = report
    row.last_checked_at = utcnow()


def _recipient_status(report: dict[str, Any]) -> str | None:
    for check in report.get("checks", []):
        if check.get("id") == "recipient":
            return check.get("status")
    return None


def _check_recipient(user: User, data: bytes | str) -> None:
    """A passport holds the learner's own badges: one issued to an email address
    the learner has not confirmed (the primary address included) is refused
    (badges without an email identity, e.g. issued to a DID, are accepted)."""
    emails = [*([user.email] if user.email_confirmed else []),
              *(e.email for e in user.emails if e.confirmed_at is not None)]
    for email in emails:
        if _recipient_status(verification.verify_upload(data, recipient_email=email)) != "fail":
            return
    raise ImportRefused(_(
        "Deze badge is uitgegeven aan een ander e-mailadres dan de adressen in je pas. "
        "Voeg dat adres toe bij ‘E-mailadressen’ en bevestig het. Daarna kun je de badge "
        "toevoegen."))


def import_credential(user: User, data: bytes | str) -> ImportedCredential:
    """Verify and store an uploaded or pasted credential; raises ImportRefused / DuplicateImport."""
    raw, fmt, container, report = _verified_for(user, data)
    return _store(user, raw, fmt, container, report)


def upsert_credential(user: User, data: bytes | str) -> tuple[ImportedCredential | None, bool]:
    """Import, or replace the learner's earlier import of the same credential (the Open Badges
    3.0 API's upsert): (the row, created?). Checked exactly like an import; a credential issued
    here that is already in the passport gives (None, False) and changes nothing."""
    raw, fmt, container, report = _verified_for(user, data)
    try:
        return _store(user, raw, fmt, container, report), True
    except DuplicateImport as exc:
        if exc.existing_uuid is None:
            return None, False
        row = db.session.scalar(db.select(ImportedCredential).filter_by(user_id=user.id,
                                                                        uuid=exc.existing_uuid))
        if row is None:  # removed meanwhile
            raise
        row.raw, row.format, row.container = raw, fmt, container
        _summary_fields(row, report)
        audit.record("import.replace", actor_id=user.id, subject_type="imported_credential",
                     subject_id=row.uuid, verdict=row.verdict, format=fmt)
        db.session.commit()
        return row, False


def _verified_for(user: User, data: bytes | str) -> tuple[str, str, str | None, dict[str, Any]]:
    """(raw, format, container, report) of a credential that verifies and is the learner's."""
    if not data or (isinstance(data, str) and not data.strip()):
        raise ImportRefused(_("Kies een bestand of plak de tekst van je badge."))
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("Het bestand is te groot (maximaal 10 MB)."))
    raw, fmt, container = _raw(data)
    report = verification.verify_upload(data)
    if report.get("verdict") == "invalid":
        raise ImportRefused(_("Deze badge is niet toegevoegd, want hij is ongeldig. %(why)s",
                              why=reason(report)))
    _check_recipient(user, data)
    return raw, fmt, container, report


def _store(user: User, raw: str, fmt: str, container: str | None,
           report: dict[str, Any]) -> ImportedCredential:
    summary = report.get("credential") or {}
    cred_id = summary.get("id") or ""
    if cred_id and urls.is_local(cred_id):
        own = db.session.scalar(db.select(Credential.uuid).filter_by(
            uuid=cred_id.rsplit("/", 1)[-1], recipient_user_id=user.id))
        if own:
            raise DuplicateImport(_("Dit bewijs staat al in je pas."), None)
    fingerprint = _fingerprint(summary, raw)
    existing = db.session.scalar(db.select(ImportedCredential).filter_by(
        user_id=user.id, fingerprint=fingerprint))
    if existing is not None:
        raise DuplicateImport(_("Deze badge heb je al toegevoegd."), existing.uuid)
    row = ImportedCredential(user_id=user.id, raw=raw, format=fmt, container=container,
                             fingerprint=fingerprint)
    _summary_fields(row, report)
    db.session.add(row)
    db.session.flush()
    audit.record("import.add", actor_id=user.id, subject_type="imported_credential",
                 subject_id=row.uuid, verdict=row.verdict, format=fmt)
    db.session.commit()
    return row


def recheck(row: ImportedCredential) -> ImportedCredential:
    """Verify the stored credential again (keys, status and dates may have changed)."""
    report = verification.verify_upload(row.raw)
    _summary_fields(row, report)
    db.session.commit()
    return row


def remove(row: ImportedCredential) -> None:
    audit.record("import.remove", actor_id=row.user_id, subject_type="imported_credential",
                 subject_id=row.uuid)
    db.session.delete(row)
    db.session.commit()

"""Evidence attached to an application: files, links and statements.

Files are checked by their first bytes (magic numbers), not by their name or
the browser's claimed type: only PDF, PNG, JPEG and plain UTF-8 text are
kept, at most ``MAX_FILE_BYTES`` each and ``MAX_FILES`` per application.

Who can open a file (privacy rule 4 of the "Find and get recognised" issue):
the learner and the assessing organisation's staff through their signed-in
pages, and — only after the credential is issued — anyone holding the
credential, through a capability URL ``/evidence/<token>`` that the
credential's ``evidence[].id`` names. The token is 256 random bits, stored
only as a SHA-256 hash; it stops working when the credential is revoked or
deleted. See docs/applications.md for the trade-off.
"""

from __future__ import annotations

import os
import secrets
from urllib.parse import urlparse

from flask_babel import gettext as _

from badges.applications.models import Application, ApplicationEvidence, ApplicationState, EvidenceKind
from badges.issuing.models import Credential, CredentialState
from badges.kernel import audit, jobs, urls
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 10
MAX_ITEMS = 30  # files, links and statements together
EDITABLE = {ApplicationState.DRAFT, ApplicationState.QUESTION}

MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
              "text/plain": ".txt"}


def sniff(data: bytes) -> str | None:
    """The file's real type from its first bytes, or None when it is not allowed."""
    for magic, mime in MAGIC:
        if data.startswith(magic):
            return mime
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def _editable(application: Application) -> None:
    if application.state not in EDITABLE:
        raise ServiceError("Deze aanvraag kun je nu niet meer aanpassen.", code="not_editable")
    if len(application.evidence) >= MAX_ITEMS:
        raise ServiceError(f"Je kunt hoogstens {MAX_ITEMS} bewijzen toevoegen.",
                           code="too_many")


def clean_filename(name: str, mime: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()[:150] or "bestand"
    stem, ext = os.path.splitext(base)
    return stem + (ext.lower() if ext else EXTENSIONS[mime])


def add_file(application: Application, filename: str, data: bytes, note: str = "") -> \
        ApplicationEvidence:
    _editable(application)
    files = [e for e in application.evidence if e.kind == EvidenceKind.FILE]
    if len(files) >= MAX_FILES:
        raise ServiceError(f"Je kunt hoogstens {MAX_FILES} bestanden toevoegen.",
                           code="too_many_files", field="file")
    if not data:
        raise ServiceError("Het bestand is leeg.", code="empty", field="file")
    if len(data) > MAX_FILE_BYTES:
        raise ServiceError("Dit bestand is te groot: hoogstens 5 MB per bestand.",
                           code="too_large", field="file")
    mime = sniff(data)
    if mime is None:
        raise ServiceError("Dit soort bestand kunnen we niet aannemen. Gebruik PDF, PNG, JPEG "
                           "of gewone tekst.", code="bad_type", field="file")
    row = ApplicationEvidence(kind=EvidenceKind.FILE, name=clean_filename(filename, mime),
                              data=data, mime=mime, size=len(data), text=note.strip())
    application.evidence.append(row)
    db.session.commit()
    return row


def add_link(application: Application, url: str, name: str = "", note: str = "") -> \
        ApplicationEvidence:
    _editable(application)
    url = (url or "").strip()
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise ServiceError("Geef een volledig webadres, dat begint met https://.",
                           code="bad_url", field="url")
    row = ApplicationEvidence(kind=EvidenceKind.LINK, url=url,
                              name=(name or "").strip()[:200] or parts.netloc,
                              text=note.strip())
    application.evidence.append(row)
    db.session.commit()
    return row


def passport_credentials(user_id: int) -> list[Credential]:
    """The learner's own active credentials, newest first: evidence they may attach."""
    return list(db.session.scalars(
        db.select(Credential).filter_by(recipient_user_id=user_id, state=CredentialState.ACTIVE)
        .where(Credential.holder_deleted_at.is_(None)).order_by(Credential.id.desc())))


def add_credential(application: Application, user_id: int, uuid: str) -> ApplicationEvidence:
    """Attach a credential from the learner's own passport: a link to its public check."""
    _editable(application)
    cred = next((c for c in passport_credentials(user_id) if c.uuid == (uuid or "").lower()), None)
    if cred is None:
        raise ServiceError(_("Kies een bewijs uit je pas."), code="bad_credential", field="credential")
    url = f"{urls.base_url()}/verify?credential={cred.uuid}"
    if any(e.url == url for e in application.evidence):
        raise ServiceError(_("Dit bewijs zit al bij je aanvraag."), code="duplicate",
                           field="credential")
    row = ApplicationEvidence(kind=EvidenceKind.LINK, url=url, name=cred.achievement.name[:200],
                              text="")
    application.evidence.append(row)
    db.session.commit()
    return row


def add_statement(application: Application, text: str, name: str, role: str,
                  email: str | None = None) -> ApplicationEvidence:
    """A statement the learner types in the employer's name; the employer confirms it.

    Until the employer opens the mailed link and confirms, it is the learner's word:
    shown as "niet bevestigd door werkgever" and never signed as the employer's.
    """
    _editable(application)
    if not (text or "").strip() or not (name or "").strip():
        raise ServiceError("Vul de verklaring en de naam van wie hem geeft in.",
                           code="incomplete", field="statement")
    email = (email or "").strip().lower()
    if email and ("@" not in email or len(email) > 254):
        raise ServiceError("Vul een geldig e-mailadres van de werkgever in.",
                           code="bad_email", field="statement")
    token = secrets.token_urlsafe(32) if email else None
    row = ApplicationEvidence(kind=EvidenceKind.STATEMENT, text=text.strip(),
                              name=name.strip()[:200], role=(role or "").strip()[:200] or None,
                              confirm_email=email or None,
                              confirm_token_hash=hash_secret(token) if token else None)
    application.evidence.append(row)
    db.session.commit()
    if token:
        jobs.enqueue("badges.applications.mail:statement_confirmation", row.id, token)
    return row


def statement_by_token(token: str) -> ApplicationEvidence | None:
    """The statement behind a confirmation link (None for a wrong or used-up link)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(db.select(ApplicationEvidence).filter_by(
        confirm_token_hash=hash_secret(token), kind=EvidenceKind.STATEMENT))


def confirm_statement(row: ApplicationEvidence) -> None:
    """The employer confirms the statement as its own (audited)."""
    if row.confirmed_at is None:
        row.confirmed_at = utcnow()
        audit.record("application.statement_confirmed",
                     organisation_id=row.application.organisation_id,
                     subject_type="application", subject_id=row.application.uuid,
                     evidence_id=row.id, by=row.confirm_email)
    db.session.commit()


def remove(application: Application, evidence_id: int) -> None:
    if application.state not in EDITABLE:
        raise ServiceError("Deze aanvraag kun je nu niet meer aanpassen.", code="not_editable")
    row = next((e for e in application.evidence if e.id == evidence_id), None)
    if row is None:
        raise ServiceError("Dit bewijs bestaat niet (meer).", code="not_found")
    application.evidence.remove(row)
    db.session.commit()


def file_of(application: Application, evidence_id: int) -> ApplicationEvidence | None:
    """A file of this application (the caller has already checked who may see it)."""
    return next((e for e in application.evidence
                 if e.id == evidence_id and e.kind == EvidenceKind.FILE), None)


def capability_url(token: str) -> str:
    return f"{urls.base_url()}/evidence/{token}"


def credential_evidence(application: Application) -> list[dict[str, str | None]]:
    """Evidence entries for the credential; files get a fresh capability URL each."""
    items: list[dict[str, str | None]] = []
    if application.description.strip():
        items.append({"name": "Beschrijving door de aanvrager",
                      "narrative": application.description.strip(), "genre": "Beschrijving"})
    for e in application.evidence:
        if e.kind == EvidenceKind.FILE:
            token = secrets.token_urlsafe(32)
            e.capability_hash = hash_secret(token)
            items.append({"url": capability_url(token), "name": e.name,
                          "narrative": e.text or None, "genre": "Bestand"})
        elif e.kind == EvidenceKind.LINK:
            items.append({"url": e.url, "name": e.name, "narrative": e.text or None,
                          "genre": "Link"})
        else:
            who = f"{e.name} ({e.role})" if e.role else e.name
            if e.confirmed_at is not None:
                items.append({"name": f"Verklaring van {who}, bevestigd door de werkgever",
                              "narrative": e.text, "genre": "Verklaring"})
            else:  # the learner's word: never signed as the employer's statement
                items.append({"name": f"Verklaring van {who} volgens de aanvrager, niet "
                                      "bevestigd door werkgever",
                              "narrative": e.text, "genre": "Verklaring (niet bevestigd)"})
    return items


def by_capability(token: str) -> ApplicationEvidence | None:
    """The file behind a capability URL, while its credential stands (else None)."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(db.select(ApplicationEvidence).filter_by(
        capability_hash=hash_secret(token), kind=EvidenceKind.FILE))
    if row is None or row.application.state != ApplicationState.APPROVED:
        return None
    cred = db.session.get(Credential, row.application.credential_id) \
        if row.application.credential_id else None
    if cred is None or cred.state == CredentialState.REVOKED:
        return None
    return row

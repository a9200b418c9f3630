"""Claim codes: create, claim, confirm, approve, close.

A code is 10 characters of Crockford's base32 (50 bits: guessing one among a million live codes
takes ~10⁹ tries, and the claim pages are rate-limited). A claim names an email address; it
counts only once that address is proven: by the signed-in account's confirmed address, or by
a single-use link mailed to it. Then the credential is issued (or the claim waits for the
issuer's approval when the code asks for it). One claim per address per code; the maximum is
checked under the code's row lock, so a full code never issues one more.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from badges.accounts.events import AccountDeleted
from badges.accounts.models import User
from badges.catalogue.models import Achievement, AchievementState
from badges.claimcodes.models import ClaimCode, ClaimState, CodeClaim, EvidenceMode
from badges.issuing import approvals, rules
from badges.issuing import services as issuing
from badges.kernel import audit, quota, urls
from badges.kernel.db import db
from badges.kernel.errors import Conflict, InvalidInput, NotFound, ServiceError
from badges.kernel.i18n import local
from badges.kernel.mail import Mail, recipient_language, send_mail, writing_in
from badges.kernel.models import utcnow
from badges.kernel.tokens import TokenError, make_link_token, read_link_token
from badges.organisations.mailing import branding
from badges.organisations.models import Organisation

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 10
CONFIRM_PURPOSE = "code-claim"
CONFIRM_MAX_AGE = 24 * 60 * 60
MAX_PHOTO_BYTES = 8 * 1024 * 1024
PHOTO_SIDE = 1600
MAX_CLAIMS_LIMIT = 5000


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What people type: spaces, dashes, lower case and the letters O, I, L read as digits."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))[:32]


def pretty(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


@dataclass
class CodeSpec:
    achievement_uuid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    max_claims: int
    needs_approval: bool = False
    allowed_domains: str = ""
    allowed_emails: str = ""
    evidence: EvidenceMode = EvidenceMode.NONE


def create(org: Organisation, spec: CodeSpec, *, actor_id: int | None) -> ClaimCode:
    errors: dict[str, str] = {}
    achievement = db.session.scalar(select(Achievement).where(
        Achievement.uuid == spec.achievement_uuid, Achievement.organisation_id == org.id,
        Achievement.state == AchievementState.PUBLISHED))
    if achievement is None:
        errors["achievement"] = _("Kies een gepubliceerde prestatie van je organisatie.")
    elif achievement.needs_second_person:
        # Four eyes: nobody signs such an award alone, and a code has no second person.
        errors["achievement"] = _("Voor dit bewijs keurt een tweede persoon elke uitgifte goed. "
                                  "Dat kan niet met een code: geef het uit via Uitgeven.")
    if not spec.title.strip():
        errors["title"] = _("Geef de code een naam, bijvoorbeeld de training of de datum.")
    if spec.ends_at <= spec.starts_at:
        errors["ends_at"] = _("Het einde moet na het begin liggen.")
    elif spec.ends_at <= utcnow():
        errors["ends_at"] = _("Het einde ligt in het verleden.")
    if not 1 <= spec.max_claims <= MAX_CLAIMS_LIMIT:
        errors["max_claims"] = _("Kies een aantal tussen 1 en %(n)d.", n=MAX_CLAIMS_LIMIT)
    elif approvals.over_limit(org, actor_id, adding=spec.max_claims):
        # The limit per account holds awards above it for a second person; a code would
        # issue them all in the creator's stead.
        limits = [n for n in (org.award_limit_hour, org.award_limit_day) if n is not None]
        errors["max_claims"] = _("Je organisatie laat één persoon hoogstens %(n)d bewijzen per "
                                 "uur of dag uitgeven. Kies een kleiner aantal.", n=min(limits))
    if errors:
        raise InvalidInput(errors)
    assert achievement is not None
    code = ClaimCode(organisation_id=org.id, achievement_id=achievement.id, code=new_code(),
                     title=spec.title.strip()[:120], starts_at=spec.starts_at, ends_at=spec.ends_at,
                     max_claims=spec.max_claims, needs_approval=spec.needs_approval,
                     allowed_domains=_domains_text(spec.allowed_domains),
                     allowed_emails="\n".join(sorted(_emails(spec.allowed_emails))),
                     evidence=spec.evidence, created_by_id=actor_id)
    db.session.add(code)
    db.session.flush()
    audit.record("claim_code.create", actor_id=actor_id, organisation_id=org.id,
                 subject_type="claim_code", subject_id=str(code.id), achievement=achievement.uuid,
                 max_claims=code.max_claims)
    db.session.commit()
    return code


def _domains_text(text: str) -> str:
    """The domains in the one spelling addresses are compared in (lower case, IDNA ASCII)."""
    domains = (d.strip().lstrip("@").rstrip(".") for d in text.replace("\n", ",").split(","))
    return ", ".join(sorted({rules.normalise_email(f"x@{d}").rpartition("@")[2] for d in domains if d}))


def _emails(text: str) -> set[str]:
    return {rules.normalise_email(e) for e in text.replace(",", "\n").splitlines() if "@" in e}


def codes_of(org: Organisation) -> list[ClaimCode]:
    return list(db.session.scalars(select(ClaimCode).where(ClaimCode.organisation_id == org.id)
                                   .order_by(ClaimCode.id.desc())))


def code_in(org: Organisation, code_id: int) -> ClaimCode | None:
    return db.session.scalar(select(ClaimCode).where(ClaimCode.id == code_id,
                                                     ClaimCode.organisation_id == org.id))


def find(text: str) -> ClaimCode | None:
    code = normalise_code(text)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(ClaimCode).where(ClaimCode.code == code))


def counted(code: ClaimCode) -> int:
    """Claims that take a place: issued and waiting for approval."""
    return db.session.scalar(select(func.count()).select_from(CodeClaim).where(
        CodeClaim.claim_code_id == code.id,
        CodeClaim.state.in_([ClaimState.PENDING, ClaimState.ISSUED]))) or 0


def why_closed(code: ClaimCode, now: datetime | None = None) -> str | None:
    """Why this code takes no claims now, in the claimer's words; None when it is open."""
    now = now or utcnow()
    if code.closed_at is not None or code.achievement.needs_second_person:
        # Four-eyes switched on after the code was made: nobody signs such an award alone.
        return _("Deze code is gesloten door %(org)s.", org=code.organisation.name)
    if now < code.starts_at:
        return _("Deze code werkt pas vanaf %(when)s.", when=local(code.starts_at))
    if now >= code.ends_at:
        return _("Deze code is verlopen.")
    if counted(code) >= code.max_claims:
        return _("Alle plekken voor deze code zijn al vergeven.")
    return None


def _allowed(code: ClaimCode, email: str) -> bool:
    domains = {d.strip() for d in code.allowed_domains.split(",") if d.strip()}
    emails = set(code.allowed_emails.split()) if code.allowed_emails else set()
    if not domains and not emails:
        return True
    return email in emails or email.rsplit("@", 1)[-1] in domains


def _photo(data: bytes) -> bytes:
    """Re-encoded as JPEG at most 1600 px: drops everything but the pixels (location data too)."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ServiceError(_("De foto is te groot: maximaal 8 MB."), code="photo_too_large", field="photo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"JPEG", "PNG", "WEBP", "HEIF", "GIF"}:
                raise ServiceError(_("Kies een foto (JPEG of PNG)."), code="not_a_photo", field="photo")
            if image.width * image.height > 40_000_000:
                raise ServiceError(_("De foto is te groot."), code="photo_too_large", field="photo")
            # A phone's portrait photo is landscape pixels plus an orientation tag, which
            # goes with the rest of the EXIF data: turn the pixels first.
            picture = (ImageOps.exif_transpose(image) or image).convert("RGB")
            picture.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=85)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ServiceError(_("Kies een foto (JPEG of PNG)."), code="not_a_photo", field="photo") from exc


@dataclass
class ClaimInput:
    email: str
    name: str
    evidence_text: str = ""
    photo: bytes | None = None


def claim(code: ClaimCode, given: ClaimInput, *, user: User | None) -> CodeClaim:
    """Start a claim. With a signed-in account whose address is confirmed it goes on at once;
    otherwise a confirmation link is mailed to the address given."""
    # One plain address in the one spelling (NFKC, lower case, IDNA domain): a list such as
    # "evil@…,me@school.nl" passed the domain check on its last part while the mail went to
    # both, and "me@\uff53chool.nl" was a second claim by the same person.
    typed = user.email if user is not None else given.email
    email = rules.normalise_email(typed or "")
    name = (given.name or (user.name if user else "")).strip()[:200]
    errors: dict[str, str] = {}
    if not (typed or "").strip():
        errors["email"] = _("Vul je e-mailadres in.")
    elif user is None and (problem := rules.email_problem(typed)) is not None:
        errors["email"] = str(problem)
    if not name:
        errors["name"] = _("Vul je naam in, zoals die op het bewijs moet komen.")
    text = (given.evidence_text or "").strip()[:500]
    wants_text = code.evidence in (EvidenceMode.TEXT, EvidenceMode.TEXT_OR_PHOTO)
    wants_photo = code.evidence in (EvidenceMode.PHOTO, EvidenceMode.TEXT_OR_PHOTO)
    if code.evidence == EvidenceMode.TEXT and not text:
        errors["evidence_text"] = _("Schrijf in één zin wat je hebt gedaan.")
    if code.evidence == EvidenceMode.PHOTO and not given.photo:
        errors["photo"] = _("Voeg een foto toe.")
    if code.evidence == EvidenceMode.TEXT_OR_PHOTO and not text and not given.photo:
        errors["evidence_text"] = _("Schrijf in één zin wat je hebt gedaan, of voeg een foto toe.")
    if errors:
        raise InvalidInput(errors)
    closed = why_closed(code)
    if closed:
        raise Conflict(closed, code="code_closed")
    if not _allowed(code, email):
        raise ServiceError(_("Deze code is alleen voor bepaalde e-mailadressen. Vraag de organisator welk "
                             "adres je moet gebruiken."), code="not_allowed", field="email")
    existing = db.session.scalar(select(CodeClaim).where(CodeClaim.claim_code_id == code.id,
                                                         CodeClaim.email == email))
    if existing is not None and existing.state != ClaimState.UNCONFIRMED:
        raise Conflict(_("Met dit e-mailadres is deze code al gebruikt."), code="already_claimed")
    photo = _photo(given.photo) if (given.photo and wants_photo) else None
    row = existing or CodeClaim(claim_code_id=code.id, email=email, state=ClaimState.UNCONFIRMED)
    row.name, row.evidence_text = name, text if wants_text else ""
    row.evidence_image, row.evidence_mime = (photo, "image/jpeg") if photo else (None, None)
    row.user_id = user.id if user is not None else None
    db.session.add(row)
    db.session.flush()
    proven = user is not None and user.email_confirmed
    if proven:
        return _proceed(row)
    db.session.commit()
    if not quota.allow(quota.MAILS_PER_ADDRESS, "claim-mail", email):
        return row  # anyone can type any address: it is not mail-bombed, the answer stays the same
    token = make_link_token(CONFIRM_PURPOSE, {"claim": row.id})
    link, org = f"{urls.base_url()}/c/bevestig/{token}", code.organisation
    with writing_in(recipient_language(user.locale if user else None, on_page=True)) as lang:
        badge = code.achievement.in_language("name", lang)
        send_mail(Mail(
            to=email, lang=lang, sender=org.name, branding=branding(org),
            subject=_("Bevestig je e-mailadres voor %(badge)s", badge=badge),
            text=_("Hallo %(name)s,\n\nJe hebt de code van %(org)s gebruikt voor het bewijs "
                   "'%(badge)s'. Bevestig dat dit jouw e-mailadres is met deze link (24 uur "
                   "geldig):\n\n%(link)s\n\nHeb jij dit niet gedaan? Dan kun je deze mail "
                   "negeren.", name=name, org=org.name, badge=badge, link=link),
            reason=_("Je krijgt deze mail omdat iemand met dit adres een code van %(org)s "
                     "gebruikte.", org=org.name)))
    return row


def confirm(token: str) -> CodeClaim:
    try:
        claim_id = int(read_link_token(CONFIRM_PURPOSE, token, CONFIRM_MAX_AGE)["claim"])
    except (TokenError, KeyError, TypeError, ValueError) as exc:
        raise ServiceError(_("Deze link werkt niet (meer). Gebruik de code opnieuw."),
                           code="bad_link") from exc
    row = db.session.get(CodeClaim, claim_id)
    if row is None:
        raise NotFound(_("Deze link werkt niet (meer). Gebruik de code opnieuw."))
    if row.state != ClaimState.UNCONFIRMED:
        return row  # used before: show where it stands, change nothing
    return _proceed(row)


def _lock(code: ClaimCode) -> None:
    """Serialise claims on one code (PostgreSQL row lock; SQLite writers queue anyway).

    FOR NO KEY UPDATE, not FOR UPDATE: the claim row inserted just before holds a FOR KEY
    SHARE lock on the code through its foreign key, which FOR UPDATE waits for, so two
    claims at once deadlocked; FOR NO KEY UPDATE still excludes the other claims' lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(ClaimCode.id).where(ClaimCode.id == code.id)
                           .with_for_update(key_share=True))


def _proceed(row: CodeClaim) -> CodeClaim:
    """The address is proven: take a place (or say the code is full), then issue or wait."""
    code = row.claim_code
    _lock(code)
    closed = why_closed(code)
    if closed:
        db.session.rollback()
        raise Conflict(closed, code="code_closed")
    audit.record("claim_code.claim", actor_id=row.user_id, organisation_id=code.organisation_id,
                 subject_type="claim_code", subject_id=str(code.id), claim=row.id)
    if code.needs_approval:
        row.state = ClaimState.PENDING
        db.session.commit()
        return row
    _issue(row, actor_id=None)
    return row


def _issue(row: CodeClaim, *, actor_id: int | None) -> None:
    code = row.claim_code
    evidence = []
    if row.evidence_text:
        evidence.append({"narrative": row.evidence_text, "name": _("Toelichting van de deelnemer")})
    request = issuing.IssueRequest(achievement=code.achievement, recipient_email=row.email,
                                   recipient_name=row.name, evidence=evidence,
                                   dedup_key=f"claim-code:{code.id}:{row.email}")
    # One unit of work: the credential and the claim's place commit together, while the
    # code's row lock is held (issue_many committed first, so a claim waiting for the lock
    # counted the places before this one was taken, and the maximum was passed).
    done = issuing.add(code.organisation, [request], actor_id=actor_id)
    row.state = ClaimState.ISSUED
    row.credential_id = done[0].id if done else None
    row.decided_at = utcnow()
    row.decided_by_id = actor_id
    issuing.commit()


def decide(code: ClaimCode, claim_id: int, *, approve: bool, reason: str, actor_id: int) -> CodeClaim:
    row = db.session.scalar(select(CodeClaim).where(CodeClaim.id == claim_id,
                                                    CodeClaim.claim_code_id == code.id))
    if row is None:
        raise NotFound(_("Deze aanvraag bestaat niet."))
    if row.state != ClaimState.PENDING:
        raise Conflict(_("Over deze aanvraag is al besloten."), code="decided")
    if approve and code.achievement.needs_second_person:
        raise Conflict(_("Deze code is gesloten door %(org)s.", org=code.organisation.name),
                       code="code_closed")
    audit.record("claim_code.approve" if approve else "claim_code.reject", actor_id=actor_id,
                 organisation_id=code.organisation_id, subject_type="claim_code",
                 subject_id=str(code.id), claim=row.id)
    if approve:
        _issue(row, actor_id=actor_id)
        return row
    if not reason.strip():
        raise ServiceError(_("Schrijf waarom je de aanvraag afwijst; de deelnemer krijgt dit te lezen."),
                           code="reason_required", field="reason")
    row.state, row.reason = ClaimState.REJECTED, reason.strip()[:1000]
    row.decided_at, row.decided_by_id = utcnow(), actor_id
    db.session.commit()
    org = code.organisation
    claimant = db.session.get(User, row.user_id) if row.user_id else None
    with writing_in(recipient_language(claimant.locale if claimant else None)) as lang:
        badge = code.achievement.in_language("name", lang)
        send_mail(Mail(
            to=row.email, lang=lang, sender=org.name, branding=branding(org),
            subject=_("Je aanvraag voor %(badge)s", badge=badge),
            text=_("Hallo %(name)s,\n\n%(org)s heeft je aanvraag voor '%(badge)s' afgewezen. "
                   "De reden:\n\n%(reason)s", name=row.name, org=org.name, badge=badge,
                   reason=row.reason),
            reason=_("Je krijgt deze mail omdat je met dit adres een code van %(org)s "
                     "gebruikte.", org=org.name)))
    return row


def close(code: ClaimCode, *, actor_id: int) -> None:
    if code.closed_at is None:
        code.closed_at = utcnow()
        audit.record("claim_code.close", actor_id=actor_id, organisation_id=code.organisation_id,
                     subject_type="claim_code", subject_id=str(code.id))
        db.session.commit()


def claim_url(code: ClaimCode) -> str:
    return f"{urls.base_url()}/c/{code.code}"


def default_window() -> tuple[datetime, datetime]:
    now = utcnow().replace(second=0, microsecond=0)
    return now, now + timedelta(days=1)


def on_account_deleted(event: AccountDeleted) -> None:
    """A deleted account: the claims made with its addresses lose the name, address and evidence.

    The rows stay (a code's count must not go up again), emptied of everything personal.
    """
    emails = {e.lower() for e in event.emails}
    if not emails:
        return
    for row in db.session.scalars(select(CodeClaim).where(func.lower(CodeClaim.email).in_(emails))):
        if row.state == ClaimState.UNCONFIRMED:  # takes no place; its mailed link stops
            db.session.delete(row)
            continue
        if row.state == ClaimState.PENDING:  # nobody left to issue to: nothing to approve
            row.state, row.decided_at = ClaimState.REJECTED, utcnow()
        row.email = f"verwijderd-{row.id}@invalid"
        row.name, row.evidence_text, row.evidence_image, row.evidence_mime = "", "", None, None
        row.user_id = None
    db.session.commit()

"""Sharing: public links to a chosen set of credentials, downloads, LinkedIn.

Invariants: every owner-side query is scoped to the user id; the public side
finds a link only by its random token and shows only the credentials chosen
for it, each verified live. A view is stored as a timestamp only. A revoked
or expired link reveals nothing (the view answers 410 without the learner's
name or the credentials).
"""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import joinedload

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.credentials.baking import bake_png, bake_svg
from badges.credentials.loader import VC_V2
from badges.issuing.models import Credential
from badges.issuing.vc_jwt import MEDIA_TYPE as VC_JWT
from badges.issuing.vc_jwt import credential_jwt
from badges.kernel import audit, events, urls
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.media.images import png_of, svg_of
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret
from badges.passport.events import CredentialsShared, SharePageViewed
from badges.passport.models import ImportedCredential, RetiredShareToken, ShareLink, ShareView
from badges.verification import outcome as verify_outcome
from badges.verification.sources import HOLDER_DELETED, InputRefused, Source

FORMATS = ("png", "svg", "json", "jwt")
MAX_TITLE = 120


def new_token() -> str:
    """192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


def verify_url(uuid: str) -> str:
    return f"{urls.base_url()}/verify?credential={uuid}"


def share_url(token: str) -> str:
    return f"{urls.base_url()}/s/{token}"


def linkedin_url(cred: Credential) -> str:
    """LinkedIn's "add certification" form, filled in (the learner confirms there)."""
    params: dict[str, Any] = {
        "startTask": "CERTIFICATION_NAME",
        "name": cred.achievement.shown_name,  # in the language the learner reads
        "organizationName": cred.organisation.name,
        "issueYear": cred.valid_from.year,
        "issueMonth": cred.valid_from.month,
    }
    if cred.valid_until is not None:
        params["expirationYear"] = cred.valid_until.year
        params["expirationMonth"] = cred.valid_until.month
    params["certUrl"] = verify_url(cred.uuid)
    params["certId"] = cred.uuid
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


# --- owner side ----------------------------------------------------------------


def create_link(user: User, title: str, credential_uuids: list[str],
                imported_uuids: list[str], expires_at: datetime | None = None) -> ShareLink:
    """A new link to the chosen credentials; only the user's own can be chosen."""
    title = (title or "").strip()[:MAX_TITLE]
    if not title:
        raise ServiceError("Geef de link een naam, zodat je hem later terugvindt.",
                           code="title_required", field="title")
    if expires_at is not None and expires_at <= utcnow():
        raise ServiceError("Kies een datum in de toekomst.", code="expiry_past",
                           field="expires_on")
    creds = list(db.session.scalars(db.select(Credential).where(
        Credential.recipient_user_id == user.id, Credential.uuid.in_(credential_uuids or [""]))))
    imports = list(db.session.scalars(db.select(ImportedCredential).where(
        ImportedCredential.user_id == user.id,
        ImportedCredential.uuid.in_(imported_uuids or [""]))))
    if len(creds) != len(set(credential_uuids)) or len(imports) != len(set(imported_uuids)):
        raise ServiceError("Je kunt alleen je eigen bewijzen delen.", code="not_yours",
                           field="credentials")
    if not creds and not imports:
        raise ServiceError("Kies minstens één bewijs om te delen.", code="nothing_chosen",
                           field="credentials")
    link = ShareLink(user_id=user.id, token=new_token(), title=title, expires_at=expires_at,
                     credentials=creds, imported=imports)
    db.session.add(link)
    db.session.flush()
    audit.record("share.create", actor_id=user.id, subject_type="share_link",
                 subject_id=link.id, count=len(creds) + len(imports))
    events.record(CredentialsShared(tuple(c.id for c in creds)))
    events.commit()
    return link


def links_for(user_id: int) -> list[ShareLink]:
    return list(db.session.scalars(
        db.select(ShareLink).where(ShareLink.user_id == user_id)
        .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())))


def own_link(user_id: int, link_id: int) -> ShareLink | None:
    """The link only if this user made it (None: the view answers 404)."""
    return db.session.scalar(db.select(ShareLink).where(ShareLink.id == link_id,
                                                        ShareLink.user_id == user_id))


def revoke(user: User, link: ShareLink) -> None:
    if link.user_id != user.id:  # defence in depth; views look links up with own_link
        raise ServiceError("Dit is niet jouw link.", code="not_yours")
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record("share.revoke", actor_id=user.id, subject_type="share_link",
                     subject_id=link.id)
        db.session.commit()


# --- public side -----------------------------------------------------------------


def find_link(token: str) -> ShareLink | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(db.select(ShareLink).where(ShareLink.token == token))


def record_view(link: ShareLink) -> None:
    """Count one view; the timestamp is all that is kept."""
    now = utcnow()
    db.session.add(ShareView(link_id=link.id, viewed_at=now))
    link.view_count = (link.view_count or 0) + 1
    link.last_viewed_at = now
    events.record(SharePageViewed(tuple(c.id for c in link.credentials)))
    events.commit()


@dataclass
class SharedItem:
    """One shared credential as checked now: the verdict and who signed it.

    ``trust`` is the verifier's ``issuerTrust`` (known / unconfirmed / impersonation):
    an imported badge names whatever issuer its maker wrote in, so the page says
    who *signed* it and how much is known about them, not just the name.
    """

    uuid: str
    imported: bool
    name: str
    issuer_name: str
    issued_at: datetime | None
    outcome: verify_outcome.Outcome
    credential: Credential | None = None

    @property
    def report(self) -> dict[str, Any]:
        return self.outcome.report

    @property
    def kind(self) -> str:
        return self.outcome.kind

    @property
    def trust(self) -> str:
        return self.outcome.trust_level

    @property
    def signer(self) -> str | None:
        """The organisation here whose key signed it (known trust only)."""
        return self.outcome.trust.get("name") if self.trust == "known" else None

    @property
    def verified(self) -> bool:
        return self.kind == "valid"


def _check(document: dict[str, Any] | str) -> verify_outcome.Outcome:
    return verify_outcome.verify(document, source="share", with_local=False)


def shared_items(link: ShareLink) -> list[SharedItem]:
    """The link's credentials, each with a live verification and who signed it."""
    items = [SharedItem(c.uuid, False, c.achievement.shown_name, c.organisation.name, c.valid_from,
                        _check(c.document), c)
             for c in sorted(link.credentials, key=lambda c: c.issued_at, reverse=True)]
    items += [SharedItem(i.uuid, True, i.name or "Badge", i.issuer_name or i.issuer_id,
                         i.issued_on, _check(i.raw))
              for i in link.imported]
    return items


def shown_name(link: ShareLink) -> str | None:
    """The learner's name as it stands on the shared credentials (nothing from the account)."""
    return next((c.recipient_name for c in link.credentials if c.recipient_name), None)


def shared_credential(link: ShareLink, uuid: str) -> Credential | None:
    return next((c for c in link.credentials if c.uuid == uuid), None)


def shared_import(link: ShareLink, uuid: str) -> ImportedCredential | None:
    return next((i for i in link.imported if i.uuid == uuid), None)


def presentation(link: ShareLink, token: str) -> dict[str, Any]:
    """The link's selection as a Verifiable Presentation (VC 2.0), for a verifier to check
    with ``POST /vc-api/presentations/verify``.

    It carries no holder proof: the learner holds no key here, and each credential inside
    carries its issuer's proof (VC 2.0 allows a presentation without one). Imported
    credentials go in as they were uploaded; a JWT one as an EnvelopedVerifiableCredential.
    """
    inner: list[Any] = [c.document for c in
                        sorted(link.credentials, key=lambda c: c.issued_at, reverse=True)]
    for item in link.imported:
        raw = item.raw.strip()
        if raw.startswith("{"):
            inner.append(json.loads(raw))
        else:
            inner.append({"@context": VC_V2, "id": "data:application/vc+jwt," + raw,
                          "type": "EnvelopedVerifiableCredential"})
    return {"@context": [VC_V2], "id": share_url(token) + "/presentation",
            "type": ["VerifiablePresentation"], "verifiableCredential": inner}


# --- files ------------------------------------------------------------------------


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "credential"


def file_stem(cred: Credential) -> str:
    """The download name of a credential, without extension: readable and unique."""
    return f"{_slug(cred.achievement.name)}-{cred.uuid[:8]}"


def credential_file(cred: Credential, fmt: str) -> tuple[bytes, str, str]:
    """(content, mimetype, filename): the baked PNG/SVG, the signed JSON or the VC-JWT."""
    name = file_stem(cred)
    ach, org = cred.achievement, cred.organisation
    if fmt == "png":
        image = png_of(ach.image, ach.image_mime, ach.name, org.colour, (ach.details or {}).get("design"))
        return bake_png(image, cred.document), "image/png", f"{name}.png"
    if fmt == "svg":
        svg = svg_of(ach.image, ach.image_mime, ach.name, org.colour, (ach.details or {}).get("design"))
        return bake_svg(svg, cred.document).encode("utf-8"), "image/svg+xml", f"{name}.svg"
    if fmt == "json":
        body = json.dumps(cred.document, ensure_ascii=False, indent=2).encode("utf-8")
        return body, "application/ld+json", f"{name}.json"
    if fmt == "jwt":
        return credential_jwt(cred).encode("ascii"), VC_JWT, f"{name}.jwt"
    raise ServiceError("Onbekend bestandsformaat.", code="unknown_format")


def imported_file(item: ImportedCredential) -> tuple[bytes, str, str]:
    """An imported credential exactly as it was uploaded (JSON, or a JWT as text)."""
    is_json = item.raw.lstrip().startswith("{")
    ext, mime = ("json", "application/json") if is_json else ("jwt", "text/plain")
    return item.raw.encode("utf-8"), mime, f"{_slug(item.name or 'badge')}-{item.uuid[:8]}.{ext}"


def owned_credentials(user_id: int) -> list[Credential]:
    """Everything issued to this user, newest first, with achievement (+ skills) and issuer."""
    return list(db.session.scalars(
        db.select(Credential).where(Credential.recipient_user_id == user_id)
        .options(joinedload(Credential.achievement).selectinload(Achievement.skills),
                 joinedload(Credential.organisation))
        .order_by(Credential.issued_at.desc(), Credential.id.desc())))


def owned_imports(user_id: int) -> list[ImportedCredential]:
    return list(db.session.scalars(
        db.select(ImportedCredential).where(ImportedCredential.user_id == user_id)
        .order_by(ImportedCredential.imported_at.desc())))


def retired(token: str) -> bool:
    """Whether ``token`` was a share link of an account that has since been deleted."""
    if not token or len(token) > 64:
        return False
    return db.session.get(RetiredShareToken, hash_secret(token)) is not None


def share_page_source(token: str) -> Source:
    """A share page (``/s/<token>``): the one credential it shows, if just one."""
    link = find_link(token)
    refused = InputRefused("unknown_share", "Deze deellink bestaat niet (meer).",
                           "This share link does not exist (any more).", 404)
    if link is None and retired(token):
        raise InputRefused("holder_deleted", *HOLDER_DELETED, 410)
    if link is None or not link.is_active():
        raise refused
    issued, imported = list(link.credentials), list(link.imported)
    if len(issued) == 1 and not imported:
        cred = issued[0]
        return Source(cred.document, "link", urls.credential_url(cred.uuid), cred.uuid)
    if not issued and not imported:
        raise refused
    # A page with several credentials (or ones the learner imported): the share
    # page itself shows each with its own check; one answer here would mislead.
    raise InputRefused(
        "several_credentials",
        "Deze deellink toont meer dan één credential. Open de link en controleer ze daar "
        "één voor één.",
        "This share link shows more than one credential. Open the link and check them there "
        "one by one.")

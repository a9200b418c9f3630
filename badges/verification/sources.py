"""Where a credential to verify comes from: an upload, pasted text, or a link.

A link to this service (``/credentials/<uuid>``, ``/s/<token>``) is resolved
from the database, never over the network: the service would otherwise fetch
from itself, and a pasted link is chosen by a stranger. A link anywhere else
is refused unless ``BADGES_REMOTE_FETCH`` is on, and then goes only through
``SafeFetcher`` (https, public addresses, timeout, size cap): that is the
guard against server-side request forgery (127.0.0.1, 10.x, the cloud
metadata address, ``[::1]``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from badges.credentials.fetch import FetchError, SafeFetcher
from badges.issuing.models import Credential
from badges.kernel import urls
from badges.kernel.db import db
from badges.kernel.errors import ServiceError

MAX_LINK_LENGTH = 2048
UUID_RE = re.compile(r"^[0-9a-fA-F-]{32,36}$")


class InputRefused(ServiceError):
    """Input we cannot work with; ``message`` is Dutch, ``message_en`` English."""

    def __init__(self, code: str, message: str, message_en: str, status: int = 400) -> None:
        super().__init__(message, code=code)
        self.message_en = message_en
        self.status = status

    def text(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message


@dataclass
class Source:
    """The bytes (or parsed document) to verify, and how they reached us."""

    data: bytes | dict
    kind: str  # "file" | "text" | "link" | "credential"
    label: str = ""
    local_uuid: str | None = None  # set when the credential is one of ours


HOLDER_DELETED = (
    "De houder heeft het account verwijderd; deze dienst toont deze credential daarom niet "
    "meer. Wie een kopie heeft, kan die nog controleren: de handtekening en de status "
    "(ingetrokken of niet) worden nog gecontroleerd. De uitgever kan nog bevestigen dat het "
    "bewijs is uitgegeven.",
    "The holder deleted their account, so this service no longer shows this credential. "
    "Whoever has a copy can still check it: the signature and the status (revoked or not) "
    "are still checked. The issuer can still confirm that it was issued.",
)


def holder_deleted(uuid: str | None) -> bool:
    """Whether the learner who held our credential ``uuid`` has deleted their account."""
    if not uuid:
        return False
    return db.session.scalar(db.select(Credential.holder_deleted_at.isnot(None))
                             .filter_by(uuid=uuid.lower())) or False


def holder_name(uuid: str | None) -> str | None:
    """The name on the account that holds our credential ``uuid``, when its address is confirmed.

    A name the issuer typed is not proof of who holds it; the holder's own confirmed
    account is what an employer can compare with an ID card.
    """
    if not uuid:
        return None
    cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid.lower()))
    if cred is None or cred.holder_deleted_at is not None or cred.recipient is None:
        return None
    user = cred.recipient
    return user.name if user.email_confirmed and user.name else None


def looks_like_link(text: str) -> bool:
    stripped = text.strip()
    return "\n" not in stripped and bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", stripped))


def local_credential(uuid: str) -> Source:
    """One of our credentials by its public id."""
    cred = None
    if UUID_RE.match(uuid or ""):
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid.lower()))
    if cred is None:
        raise InputRefused("unknown_credential",
                           "Deze credential bestaat niet op deze dienst.",
                           "This credential does not exist on this service.", 404)
    if cred.holder_deleted_at is not None:
        raise InputRefused("holder_deleted", HOLDER_DELETED[0], HOLDER_DELETED[1], 410)
    return Source(cred.document, "credential", urls.credential_url(cred.uuid), cred.uuid)


# Other pages of this service that show credentials, by path pattern: features
# above this one (the passport's share pages) add theirs at start-up, through
# ``add_local_page``, so verification need not know them.
LOCAL_PAGES: list[tuple[re.Pattern[str], Callable[[str], Source]]] = []


def add_local_page(pattern: str, resolve: Callable[[str], Source]) -> None:
    """Resolve links whose path matches ``pattern`` (one group: the token) with ``resolve``."""
    compiled = re.compile(pattern)
    if all(p.pattern != compiled.pattern for p, _ in LOCAL_PAGES):
        LOCAL_PAGES.append((compiled, resolve))


def _remote(url: str) -> Source:
    if not current_app.config["BADGES"]["REMOTE_FETCH"]:
        raise InputRefused(
            "remote_disabled",
            "Links naar andere websites halen wij niet op. Download de badge daar en upload "
            "het bestand, of plak de inhoud hieronder.",
            "We do not fetch links to other websites. Download the badge there and upload the "
            "file, or paste its contents below.")
    try:
        body = SafeFetcher(enabled=True).fetch(
            url, accept="application/ld+json, application/json, text/plain")
    except FetchError as exc:
        raise InputRefused(f"fetch_{exc.code}", f"Link niet opgehaald: {exc.message_nl}",
                           f"Link not fetched: {exc.message_en}") from exc
    return Source(body, "link", url)


def resolve_link(link: str) -> Source:
    """A pasted link → something to verify; refuses anything unsafe or unknown."""
    link = link.strip()
    if len(link) > MAX_LINK_LENGTH:
        raise InputRefused("bad_link", "Deze link is te lang.", "This link is too long.")
    try:
        parts = urlsplit(link)
    except ValueError as exc:
        raise InputRefused("bad_link", "Dit is geen geldige link.",
                           "This is not a valid link.") from exc
    if not parts.scheme or not parts.netloc:
        raise InputRefused("bad_link", "Dit is geen geldige link.", "This is not a valid link.")
    base = urlsplit(urls.base_url())
    if (parts.scheme, parts.netloc.lower()) == (base.scheme, base.netloc.lower()):
        path = parts.path[len(base.path.rstrip("/")):] if base.path else parts.path
        if match := re.fullmatch(r"/credentials/([^/]+)/?", path):
            found = local_credential(match.group(1))
            return Source(found.data, "link", found.label, found.local_uuid)
        for pattern, resolve in LOCAL_PAGES:
            if match := pattern.fullmatch(path):
                return resolve(match.group(1))
        if path.rstrip("/") == "/verify" and (uuid := _query_value(parts.query, "credential")):
            found = local_credential(uuid)
            return Source(found.data, "link", found.label, found.local_uuid)
        raise InputRefused("unknown_link",
                           "Deze link wijst niet naar een credential of deelpagina.",
                           "This link does not point to a credential or share page.")
    if parts.scheme != "https":
        raise InputRefused("insecure_link", "Alleen https-links kunnen worden gecontroleerd.",
                           "Only https links can be checked.")
    return _remote(link)


def _query_value(query: str, name: str) -> str | None:
    from urllib.parse import parse_qs

    values = parse_qs(query).get(name)
    return values[0] if values else None

"""Verification wired to this service: our keys and status lists come from the
database (confirmed), anything else through the engine's offline resolvers
and, only when ``BADGES_REMOTE_FETCH`` is on, the safe fetcher.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g

from badges.credentials import keys, status_list
from badges.credentials.fetch import SafeFetcher
from badges.credentials.verify import ChainResolver, ResolvedKey, verify_input
from badges.credentials.verify.resolvers import (
    FetchingStatusResolver,
    default_key_resolver,
)
from badges.extensions import db
from badges.models import Credential, Organisation, SigningKey, StatusList
from badges.services import status_lists, urls


class LocalKeyResolver:
    """Keys of issuers on this service: confirmed, and compromised ones flagged.

    One verification looks a key up several times (the credential, each status
    list); the answer is memoised for one ``verify_upload`` call only, so a key
    marked compromised is seen as such by the very next verification.
    """

    def resolve(self, verification_method: str) -> ResolvedKey | None:
        if not urls.is_local(verification_method) or "#" not in verification_method:
            return None
        memo = g.setdefault("badges_local_keys", {})
        if verification_method not in memo:
            memo[verification_method] = self._lookup(verification_method)
        return memo[verification_method]

    def _lookup(self, verification_method: str) -> ResolvedKey | None:
        controller, kid = verification_method.split("#", 1)
        prefix = urls.issuer_id("")
        if not controller.startswith(prefix):
            return None
        row = db.session.execute(
            db.select(SigningKey.public_multibase, SigningKey.compromised_at)
            .join(Organisation, Organisation.id == SigningKey.organisation_id)
            .where(Organisation.slug == controller[len(prefix):], SigningKey.kid == kid)
        ).first()
        if row is None:
            return None
        return ResolvedKey(
            public_key=keys.public_key_from_multibase(row.public_multibase),
            controller=controller,
            confirmed=True,
            compromised=row.compromised_at is not None,
            source="skillspas",
        )


# status list uuid → (version, signed document): re-read only when bits change.
_list_cache: dict[str, tuple[int, dict]] = {}


class LocalStatusResolver:
    """Our own status lists straight from the database; others only if fetching is on."""

    def __init__(self, fallback: Any = None) -> None:
        self.fallback = fallback

    def fetch(self, status_list_credential_url: str) -> dict | None:
        prefix = urls.status_list_url("")
        if status_list_credential_url.startswith(prefix):
            # Only the version column is read per request; the signed document
            # (tens of kB) comes from the per-process cache while it is current.
            uuid = status_list_credential_url[len(prefix):]
            version = db.session.scalar(db.select(StatusList.version).filter_by(uuid=uuid))
            if version is not None:
                cached = _list_cache.get(uuid)
                if cached is not None and cached[0] == version:
                    return cached[1]
                row = db.session.scalar(db.select(StatusList).filter_by(uuid=uuid))
                document = status_lists.published_credential(row)
                if len(_list_cache) > 200:
                    _list_cache.clear()
                _list_cache[uuid] = (row.signed_version, document)
                return document
        return self.fallback.fetch(status_list_credential_url) if self.fallback else None

    def extra_entries(self, credential_id: str) -> list[dict]:
        if not urls.is_local(credential_id):
            return []
        uuid = credential_id.rsplit("/", 1)[-1]
        found = db.session.execute(
            db.select(StatusList.uuid, StatusList.purpose, Credential.suspension_index)
            .join(StatusList, StatusList.id == Credential.suspension_list_id)
            .where(Credential.uuid == uuid)
        ).first()
        if found is None:
            return []
        return [status_list.status_entry(urls.status_list_url(found.uuid),
                                         found.suspension_index, found.purpose.value)]


def fetcher() -> SafeFetcher | None:
    if not current_app.config["BADGES"]["REMOTE_FETCH"]:
        return None
    return SafeFetcher(enabled=True)


def key_resolver() -> ChainResolver:
    return ChainResolver(LocalKeyResolver(), default_key_resolver())


def verify_upload(data: bytes | str | dict, *, recipient_email: str | None = None) -> dict:
    """Verify anything (JSON, JWT, PNG, SVG, dict) and return the report as a dict."""
    remote = fetcher()
    g.badges_local_keys = {}  # LocalKeyResolver's memo lives for this verification only
    report = verify_input(
        data,
        key_resolver=key_resolver(),
        status_resolver=LocalStatusResolver(FetchingStatusResolver(remote) if remote else None),
        recipient_email=recipient_email,
        fetcher=remote,
    )
    return report.to_dict()

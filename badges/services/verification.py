"""Verification wired to this service: our keys and status lists come from the
database (confirmed), anything else through the engine's offline resolvers
and, only when ``BADGES_REMOTE_FETCH`` is on, the safe fetcher.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from badges.credentials import keys
from badges.credentials.fetch import SafeFetcher
from badges.credentials.verify import ChainResolver, ResolvedKey, verify_input
from badges.credentials.verify.resolvers import (
    FetchingStatusResolver,
    default_key_resolver,
)
from badges.extensions import db
from badges.models import Credential, Organisation, SigningKey
from badges.services import status_lists, urls


class LocalKeyResolver:
    """Keys of issuers on this service: confirmed, and compromised ones flagged."""

    def resolve(self, verification_method: str) -> ResolvedKey | None:
        if not urls.is_local(verification_method) or "#" not in verification_method:
            return None
        controller, kid = verification_method.split("#", 1)
        prefix = urls.issuer_id("")
        if not controller.startswith(prefix):
            return None
        org = db.session.scalar(db.select(Organisation).filter_by(slug=controller[len(prefix):]))
        if org is None:
            return None
        row = db.session.scalar(db.select(SigningKey).filter_by(organisation_id=org.id, kid=kid))
        if row is None:
            return None
        return ResolvedKey(
            public_key=keys.public_key_from_multibase(row.public_multibase),
            controller=controller,
            confirmed=True,
            compromised=row.compromised_at is not None,
            source="skillspas",
        )


class LocalStatusResolver:
    """Our own status lists straight from the database; others only if fetching is on."""

    def __init__(self, fallback: Any = None) -> None:
        self.fallback = fallback

    def fetch(self, status_list_credential_url: str) -> dict | None:
        row = status_lists.find_by_url(status_list_credential_url)
        if row is not None:
            return status_lists.published_credential(row)
        return self.fallback.fetch(status_list_credential_url) if self.fallback else None

    def extra_entries(self, credential_id: str) -> list[dict]:
        if not urls.is_local(credential_id):
            return []
        uuid = credential_id.rsplit("/", 1)[-1]
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
        if cred is None or cred.suspension_list_id is None:
            return []
        from badges.models import StatusList

        row = db.session.get(StatusList, cred.suspension_list_id)
        return [status_lists.entry(row, cred.suspension_index)]


def fetcher() -> SafeFetcher | None:
    if not current_app.config["BADGES"]["REMOTE_FETCH"]:
        return None
    return SafeFetcher(enabled=True)


def key_resolver() -> ChainResolver:
    return ChainResolver(LocalKeyResolver(), default_key_resolver())


def verify_upload(data: bytes | str | dict, *, recipient_email: str | None = None) -> dict:
    """Verify anything (JSON, JWT, PNG, SVG, dict) and return the report as a dict."""
    remote = fetcher()
    report = verify_input(
        data,
        key_resolver=key_resolver(),
        status_resolver=LocalStatusResolver(FetchingStatusResolver(remote) if remote else None),
        recipient_email=recipient_email,
        fetcher=remote,
    )
    return report.to_dict()

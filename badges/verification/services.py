"""Verification wired to this service: our keys and status lists come from the
database (confirmed), anything else through the engine's offline resolvers
and, only when ``BADGES_REMOTE_FETCH`` is on, the safe fetcher.

Everything a verification reads from the database is read once, when the
credential has been parsed (:class:`~badges.verification.facts.Facts`);
the resolvers below answer from those facts. Nothing is kept between
verifications except what cannot change: a public key by its multibase text,
and a signed status list by its version.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app

from badges.credentials import keys, status_list
from badges.credentials.fetch import SafeFetcher
from badges.credentials.verify import ChainResolver, ResolvedKey, verify_input
from badges.credentials.verify.report import Report
from badges.credentials.verify.resolvers import (
    FetchingStatusResolver,
    default_key_resolver,
)
from badges.issuing import status_lists
from badges.issuing.models import StatusList
from badges.kernel import metrics, urls
from badges.kernel.db import db
from badges.verification.facts import Facts


@lru_cache(maxsize=1024)
def _public_key(multibase: str) -> Any:
    return keys.public_key_from_multibase(multibase)


class LocalKeyResolver:
    """Keys of issuers on this service: confirmed, and compromised ones flagged."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def resolve(self, verification_method: str) -> ResolvedKey | None:
        if not urls.is_local(verification_method) or "#" not in verification_method:
            return None
        controller, kid = verification_method.split("#", 1)
        prefix = urls.issuer_id("")
        if not controller.startswith(prefix):
            return None
        found = self.facts.key(controller[len(prefix):], kid)
        if found is None:
            return None
        return ResolvedKey(public_key=_public_key(found.public_multibase), controller=controller,
                           confirmed=True, compromised=found.compromised, source="skillspas")


# status list uuid → (version, signed document): re-read only when bits change.
_list_cache: dict[str, tuple[int, dict]] = {}


class LocalStatusResolver:
    """Our own status lists straight from the database; others only if fetching is on."""

    def __init__(self, facts: Facts, fallback: Any = None) -> None:
        self.facts = facts
        self.fallback = fallback

    def prepare(self, credential: dict) -> None:
        """Read every fact this credential will need, in one go (see verify_facts)."""
        self.facts.prepare(credential)

    def fetch(self, status_list_credential_url: str) -> dict | None:
        prefix = urls.status_list_url("")
        if status_list_credential_url.startswith(prefix):
            # Only the version is read per verification; the signed document
            # (tens of kB) comes from the per-process cache while it is current.
            uuid = status_list_credential_url[len(prefix):]
            version = self.facts.list_version(uuid)
            if version is not None:
                cached = _list_cache.get(uuid)
                if cached is not None and cached[0] == version:
                    return cached[1]
                row = db.session.scalar(db.select(StatusList).filter_by(uuid=uuid))
                document = status_lists.current_document(row)
                if len(_list_cache) > 200:
                    _list_cache.clear()
                _list_cache[uuid] = (row.version, document)
                return document
        return self.fallback.fetch(status_list_credential_url) if self.fallback else None

    def extra_entries(self, credential_id: str) -> list[dict]:
        prefix = urls.credential_url("")
        if not credential_id.startswith(prefix):
            return []
        found = self.facts.suspension(credential_id[len(prefix):])
        if found is None:
            return []
        return [status_list.status_entry(urls.status_list_url(found.list_uuid), found.index,
                                         found.purpose)]


def fetcher() -> SafeFetcher | None:
    if not current_app.config["BADGES"]["REMOTE_FETCH"]:
        return None
    return SafeFetcher(enabled=True)


@dataclass
class Verification:
    """A report with the facts it was made from (for the cache and issuer trust)."""

    report: Report
    facts: Facts
    fetched_remotely: bool

    @property
    def cacheable(self) -> bool:
        """Made only from facts the stamp covers, and from nothing fetched elsewhere."""
        return self.facts.complete and not self.fetched_remotely \
            and self.report.checked_at is not None


def verify_with_facts(data: bytes | str | dict, *, recipient_email: str | None = None,
                      facts: Facts | None = None, profile: str = "ob3") -> Verification:
    """Verify anything (JSON, JWT, PNG, SVG, dict) against this service's facts."""
    facts = facts or Facts()
    remote = fetcher()
    report = verify_input(
        data,
        key_resolver=ChainResolver(LocalKeyResolver(facts), default_key_resolver()),
        status_resolver=LocalStatusResolver(facts,
                                            FetchingStatusResolver(remote) if remote else None),
        recipient_email=recipient_email,
        fetcher=remote,
        profile=profile,
    )
    metrics.verified(report.verdict)
    return Verification(report, facts, remote is not None and remote.used)


def verify_upload(data: bytes | str | dict, *, recipient_email: str | None = None) -> dict:
    """Verify anything (JSON, JWT, PNG, SVG, dict) and return the report as a dict."""
    return verify_with_facts(data, recipient_email=recipient_email).report.to_dict()

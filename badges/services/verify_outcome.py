"""One verification as the verify page, the API and the receipts see it.

The engine's report decides the verdict; this module adds what only this
service knows (is the issuer an organisation here, did the platform verify
it) and names the *kind* of answer a person needs: "tampered" and "not
signed" are both verdict ``invalid`` but call for different advice, and an
``indeterminate`` result must never be shown as valid. Nothing about the
verifier is stored: the input is hashed for the receipt and then dropped.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from badges.extensions import db
from badges.models import Credential, Organisation
from badges.services import urls
from badges.services.verification import verify_upload

# The kinds of answer, each with its own headline and advice in the UI.
KINDS = ("valid", "revoked", "suspended", "expired", "not_yet_valid", "tampered", "not_signed",
         "wrong_issuer", "compromised_key", "unreadable", "invalid", "key_unconfirmed",
         "not_checked", "indeterminate")


@dataclass
class Outcome:
    report: dict
    kind: str
    trust: dict
    sha256: str
    size: int
    source: str
    local_uuid: str | None = None
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def verdict(self) -> str:
        return self.report["status"]

    def as_api(self) -> dict:
        """The report dict plus what this service adds (extends, never renames)."""
        return {**self.report, "outcome": self.kind, "issuer_trust": self.trust,
                "input": {"sha256": self.sha256, "bytes": self.size}}


def _check(report: dict, check_id: str) -> dict | None:
    return next((c for c in report.get("checks", []) if c.get("id") == check_id), None)


#: Proof failures that say nothing about whether the credential was altered.
UNPROCESSABLE = {"canonicalization_failed", "check_crashed"}


def classify(report: dict) -> str:
    """The kind of answer for a report (see KINDS)."""
    verdict = report.get("status")
    if verdict in ("valid", "revoked", "suspended", "expired", "not_yet_valid"):
        return verdict
    failed = {c["id"]: c for c in report.get("checks", []) if c.get("status") == "fail"}
    warned = {c["id"]: c for c in report.get("checks", []) if c.get("status") == "warning"}
    if verdict == "invalid":
        if "input" in failed or ("type" in failed and report.get("format") is None):
            return "unreadable"
        if "proof" in failed:
            code = failed["proof"].get("code")
            if code == "missing_proof":
                return "not_signed"
            if code in UNPROCESSABLE:
                return "invalid"  # refused as too complex or broken, not proven altered
            return "tampered"
        if "key_binding" in failed:
            return "compromised_key"
        if "issuer_match" in failed:
            return "wrong_issuer"
        return "invalid"
    proof_ok = (_check(report, "proof") or {}).get("status") == "pass"
    if proof_ok and warned.keys() & {"key_binding", "issuer_match"}:
        return "key_unconfirmed"
    if warned.keys() & {"ob2_fetch", "proof", "key_binding", "status"}:
        return "not_checked"
    return "indeterminate"


def _org_for_issuer(issuer_id: str | None) -> Organisation | None:
    prefix = urls.issuer_id("")
    if not issuer_id or not issuer_id.startswith(prefix):
        return None
    slug = issuer_id[len(prefix):]
    if not slug or "/" in slug or "#" in slug:
        return None
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


def issuer_trust(report: dict) -> dict:
    """Is the issuer an organisation on this service, and is that confirmed by its key?

    ``state``: ``verified`` (ours, signature by its key, checked by the platform),
    ``known`` (ours and its key, not checked by the platform), ``claimed`` (names
    one of our issuers, but its key did not sign it) or ``unknown`` (elsewhere).
    """
    issuer = (report.get("credential") or {}).get("issuer") or {}
    org = _org_for_issuer(issuer.get("id"))
    if org is None:
        return {"state": "unknown", "id": issuer.get("id"), "name": issuer.get("name")}
    key_ok = all((_check(report, c) or {}).get("status") == "pass"
                 for c in ("proof", "key_binding", "issuer_match"))
    state = ("verified" if org.verified else "known") if key_ok else "claimed"
    return {"state": state, "id": urls.issuer_id(org.slug), "name": org.name,
            "slug": org.slug, "platform_verified": org.verified, "brin": org.brin,
            "kvk": org.kvk, "city": org.city}


def _local_uuid(report: dict) -> str | None:
    """Our credential's uuid when the report is about one that exists here."""
    cred_id = (report.get("credential") or {}).get("id")
    prefix = urls.credential_url("")
    if not isinstance(cred_id, str) or not cred_id.startswith(prefix):
        return None
    uuid = cred_id[len(prefix):]
    if not uuid or "/" in uuid or len(uuid) > 36:
        return None
    found = db.session.scalar(db.select(Credential.uuid).filter_by(uuid=uuid, imported=False))
    return found


def input_digest(data: bytes | dict) -> tuple[str, int]:
    """sha256 and size of what was checked (a dict is hashed as compact sorted JSON)."""
    raw = data if isinstance(data, bytes) else json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(raw).hexdigest(), len(raw)


def verify(data: bytes | str | dict, *, email: str | None = None, source: str = "file",
           local_uuid: str | None = None, with_local: bool = True) -> Outcome:
    """Verify ``data`` and add this service's view of the issuer."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    report = verify_upload(data, recipient_email=(email or "").strip() or None)
    digest, size = input_digest(data)
    if with_local and local_uuid is None:
        local_uuid = _local_uuid(report)
    return Outcome(report, classify(report), issuer_trust(report), digest, size, source,
                   local_uuid)

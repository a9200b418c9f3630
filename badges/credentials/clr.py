"""Comprehensive Learner Record 2.0: a ``ClrCredential`` that embeds signed OB 3.0 credentials.

A CLR is itself a Verifiable Credential. Its ``credentialSubject`` is a
``ClrSubject`` that carries:

- ``identifier``: who the learner is (a salted e-mail hash, as in OB 3.0);
- ``verifiableCredential``: the embedded credentials, each *still carrying its
  own proof*, so every one can be checked against its own issuer's key;
- ``achievement`` (optional): achievements the record refers to that are not
  (yet) backed by a credential, e.g. the target of a trajectory;
- ``association``: how achievements relate (``isChildOf``, ``isParentOf``,
  ``precedes``, ...), by achievement ``id`` (``sourceId`` → ``targetId``).

Contexts are VC 2.0, the pinned CLR 2.0.1 context (which defines only
``ClrCredential``, ``ClrSubject`` and ``Association``) and OB 3.0.3 (which
defines ``Profile``, ``Achievement``, ``IdentityObject`` and the ``xsd``
prefix the CLR context relies on) — the order 1EdTech's examples use.

Invariant: the outer signature covers the embedded credentials byte for
byte (their proofs become named graphs in the canonical form), and a
verifier must *also* check each embedded proof: an issuer of a CLR vouches
for the record, not for credentials that someone else signed. See
``badges.credentials.verify.clr_checks``.

Plain Python: no Flask, no database.
"""

from __future__ import annotations

import copy
import itertools
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .data_integrity import format_datetime
from .documents import AchievementData as AchievementData  # re-export for callers
from .documents import IssuerData, achievement, hash_email, profile
from .loader import OB_V3P0, VC_V2

CLR_V2P0 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CONTEXTS = [VC_V2, CLR_V2P0, OB_V3P0]

#: 1EdTech CLR 2.0 AssociationType values.
ASSOCIATION_TYPES = frozenset({
    "exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf", "isRelatedTo",
    "precedes", "replacedBy",
})


class ClrError(ValueError):
    """A CLR that cannot be built (bad association, nothing to embed, ...)."""


@dataclass
class Association:
    association_type: str
    source_id: str  # an achievement id
    target_id: str  # an achievement id

    def __post_init__(self) -> None:
        if self.association_type not in ASSOCIATION_TYPES:
            raise ClrError(f"unknown associationType {self.association_type!r}")


@dataclass
class ClrData:
    credential_id: str
    issuer: IssuerData
    name: str
    valid_from: datetime
    recipient_email: str
    credentials: list[dict[str, Any]]  # signed OB 3.0 credentials, embedded as they are
    description: str | None = None
    achievements: list[AchievementData] = field(default_factory=list)
    associations: list[Association] = field(default_factory=list)
    partial: bool | None = None  # True when the learner chose a selection
    salt: str | None = None
    subject_id: str | None = None


def achievement_id_of(credential: dict[str, Any]) -> str | None:
    """The ``achievement.id`` of an OB 3.0 credential (the key associations use)."""
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    found = subject.get("achievement") if isinstance(subject, dict) else None
    found = found.get("id") if isinstance(found, dict) else None
    return found if isinstance(found, str) else None


def chain_associations(achievement_ids: list[str], kind: str = "precedes") -> list[Association]:
    """Consecutive steps of an ordered trajectory: step n ``precedes`` step n+1."""
    return [Association(kind, a, b) for a, b in itertools.pairwise(achievement_ids)]


def part_of(parent_id: str, child_ids: list[str]) -> list[Association]:
    """Each child achievement ``isChildOf`` the parent (e.g. keuzedelen of a trajectory)."""
    return [Association("isChildOf", child, parent_id) for child in child_ids]


def build_clr(data: ClrData) -> dict[str, Any]:
    """An unsigned ``ClrCredential``; sign it with ``data_integrity.sign``."""
    if not data.credentials:
        raise ClrError("a CLR needs at least one embedded credential")
    for item in data.credentials:
        if not isinstance(item, dict) or "proof" not in item:
            raise ClrError("embedded credentials must be signed JSON-LD credentials")
    known = {achievement_id_of(c) for c in data.credentials} | {a.id for a in data.achievements}
    for assoc in data.associations:
        missing = {assoc.source_id, assoc.target_id} - known
        if missing:
            raise ClrError(f"association refers to unknown achievement(s): {sorted(missing)}")
    salt = data.salt or secrets.token_hex(16)
    subject: dict[str, Any] = {
        "type": ["ClrSubject"],
        "identifier": [{"type": "IdentityObject",
                        "identityHash": hash_email(data.recipient_email, salt),
                        "identityType": "emailAddress", "hashed": True, "salt": salt}],
        "verifiableCredential": [copy.deepcopy(c) for c in data.credentials],
    }
    if data.subject_id:
        subject = {"id": data.subject_id, **subject}
    if data.achievements:
        subject["achievement"] = [achievement(a) for a in data.achievements]
    if data.associations:
        subject["association"] = [
            {"type": "Association", "associationType": a.association_type,
             "sourceId": a.source_id, "targetId": a.target_id}
            for a in data.associations
        ]
    doc: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": data.credential_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": profile(data.issuer),
        "name": data.name,
        "validFrom": format_datetime(data.valid_from),
        "credentialSubject": subject,
    }
    if data.description:
        doc["description"] = data.description
    if data.partial is not None:
        doc["partial"] = data.partial
    return doc


def is_clr(doc: Any) -> bool:
    types = doc.get("type") if isinstance(doc, dict) else None
    types = types if isinstance(types, list) else [types]
    return "ClrCredential" in types


def embedded_credentials(doc: dict[str, Any]) -> list[Any]:
    """The ``verifiableCredential`` entries of a CLR's subject (unverified, as found)."""
    subject = doc.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, dict):
        return []
    found = subject.get("verifiableCredential")
    if found is None:
        return []
    return found if isinstance(found, list) else [found]

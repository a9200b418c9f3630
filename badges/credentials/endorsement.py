"""Open Badges 3.0 ``EndorsementCredential``: one organisation vouching for an achievement.

An endorsement is its own Verifiable Credential, signed by the endorser (not
by the achievement's issuer), so a verifier can check it independently. The
official OB 3.0 JSON Schema covers only ``AchievementCredential``; the shape
of an endorsement (OB 3.0 §B.1.4) is checked here with a small schema of its
own so a malformed endorsement is never signed and a verifier can tell it
from a broken badge.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker

from .data_integrity import format_datetime
from .documents import IssuerData, profile
from .loader import OB_V3P0, VC_V2

ENDORSEMENT_TYPES = ["VerifiableCredential", "EndorsementCredential"]

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "type", "id", "issuer", "validFrom", "credentialSubject", "name"],
    "properties": {
        "@context": {"type": "array", "minItems": 2,
                     "items": [{"const": VC_V2}],
                     "contains": {"const": OB_V3P0}},
        "type": {"type": "array", "allOf": [{"contains": {"const": "VerifiableCredential"}},
                                            {"contains": {"const": "EndorsementCredential"}}]},
        "id": {"type": "string", "format": "uri"},
        "name": {"type": "string", "minLength": 1},
        "issuer": {"type": "object", "required": ["id", "type", "name"],
                   "properties": {"id": {"type": "string", "format": "uri"},
                                  "type": {"type": "array", "contains": {"const": "Profile"}}}},
        "validFrom": {"type": "string", "format": "date-time"},
        "validUntil": {"type": "string", "format": "date-time"},
        "credentialSubject": {
            "type": "object", "required": ["id", "type"],
            "properties": {"id": {"type": "string", "format": "uri"},
                           "type": {"type": "array",
                                    "contains": {"const": "EndorsementSubject"}},
                           "endorsementComment": {"type": "string"}}},
        "proof": {"type": "array", "items": {"type": "object"}},
    },
}


class EndorsementSchemaError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("endorsement does not match the OB 3.0 shape: " + "; ".join(errors))
        self.errors = errors


@lru_cache(maxsize=1)
def _validator() -> Draft201909Validator:
    return Draft201909Validator(_SCHEMA, format_checker=FormatChecker())


def validate_endorsement(doc: dict[str, Any]) -> list[str]:
    """Messages for every violation of the EndorsementCredential shape (empty when valid)."""
    candidate = dict(doc)
    if isinstance(candidate.get("proof"), dict):
        candidate["proof"] = [candidate["proof"]]
    errors = sorted(_validator().iter_errors(candidate), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
            for e in errors]


def is_endorsement(doc: dict[str, Any]) -> bool:
    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    return "EndorsementCredential" in types and "OpenBadgeCredential" not in types \
        and "AchievementCredential" not in types


def build_endorsement(
    *,
    credential_id: str,
    endorser: IssuerData,
    achievement_id: str,
    achievement_name: str,
    comment: str,
    valid_from: datetime,
) -> dict[str, Any]:
    """An unsigned ``EndorsementCredential`` for an achievement; raises on a bad shape."""
    subject: dict[str, Any] = {"id": achievement_id, "type": ["EndorsementSubject"]}
    if comment:
        subject["endorsementComment"] = comment
    doc = {
        "@context": [VC_V2, OB_V3P0],
        "id": credential_id,
        "type": list(ENDORSEMENT_TYPES),
        "issuer": profile(endorser),
        "validFrom": format_datetime(valid_from),
        "name": f"{endorser.name} onderschrijft {achievement_name}",
        "credentialSubject": subject,
    }
    errors = validate_endorsement(doc)
    if errors:
        raise EndorsementSchemaError(errors)
    return doc

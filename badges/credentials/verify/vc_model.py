"""VC Data Model 2.0 rules a verifier enforces on any credential (the VC-API profile).

The JSON-LD contexts say what terms mean, not which shapes are allowed: these rules are
the data model's MUSTs a signature cannot guarantee (an ``id`` that is one URL, dates as
``xsd:dateTimeStamp``, typed status, schema, evidence, terms of use and refresh objects,
related resources with a unique id and a digest). Each problem is one sentence in Dutch and English.
"""

from __future__ import annotations

import re
from typing import Any

#: xsd:dateTimeStamp: a dateTime with a mandatory time zone.
DATE_TIME_STAMP = re.compile(
    r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))")
TYPED = ("credentialStatus", "credentialSchema", "termsOfUse", "evidence", "refreshService")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def problems(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """The data model rules ``doc`` breaks, as (Dutch, English) sentences."""
    found: list[tuple[str, str]] = []
    if "id" in doc and not (isinstance(doc["id"], str) and ":" in doc["id"]):
        found.append(("'id' moet één URL zijn.", "'id' must be a single URL."))
    for name in ("validFrom", "validUntil"):
        value = doc.get(name)
        if value is not None and not (isinstance(value, str) and DATE_TIME_STAMP.fullmatch(value)):
            found.append((f"'{name}' is geen geldige datum met tijd en tijdzone.",
                          f"'{name}' is not a valid date-time with a time zone."))
    for name in TYPED:
        for item in _as_list(doc.get(name)):
            if not isinstance(item, dict) or not item.get("type"):
                found.append((f"Elk '{name}'-object moet een 'type' hebben.",
                              f"Every '{name}' object must have a 'type'."))
                break
    for schema in _as_list(doc.get("credentialSchema")):
        if isinstance(schema, dict) and not (isinstance(schema.get("id"), str)
                                             and ":" in schema["id"]):
            found.append(("Elk 'credentialSchema' moet een URL als 'id' hebben.",
                          "Every 'credentialSchema' must have a URL as 'id'."))
            break
    found += _related_resource_problems(doc.get("relatedResource"))
    return found


def _related_resource_problems(value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    ids: list[Any] = []
    for item in _as_list(value):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            return [("Elke 'relatedResource' moet een object met een 'id' zijn.",
                     "Every 'relatedResource' must be an object with an 'id'.")]
        if not (item.get("digestSRI") or item.get("digestMultibase")):
            return [("Elke 'relatedResource' moet 'digestSRI' of 'digestMultibase' hebben.",
                     "Every 'relatedResource' must have 'digestSRI' or 'digestMultibase'.")]
        ids.append(item["id"])
    if len(set(ids)) != len(ids):
        return [("Elke 'relatedResource' moet een eigen 'id' hebben.",
                 "Every 'relatedResource' must have its own 'id'.")]
    return []

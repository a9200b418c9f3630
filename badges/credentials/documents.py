"""Building Open Badges 3.0 ``OpenBadgeCredential`` documents from plain data.

Why dataclasses in, JSON out: the web layer should not know JSON-LD. It fills
in :class:`AchievementData`, :class:`IssuerData`, … and gets back a document
that uses only standard OB 3.0 fields (Dutch vocational detail goes into
``achievementType`` with ``ext:`` values, ``alignment``, ``creditsAvailable``,
``humanCode`` …, never new top-level properties), which any OB 3.0 verifier
understands. Every built document is validated against the official OB 3.0
JSON Schema before it is returned, so a schema-invalid credential is never
signed.

The learner is identified by a salted SHA-256 hash of their e-mail address
(``IdentityObject``), not the address itself: the credential can be shown to
anyone without disclosing it, and :func:`email_matches` still lets a verifier
who knows the address confirm the match.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from .data_integrity import format_datetime
from .language import FALLBACK, first_text, tagged
from .loader import OB_V3P0, VC_V2

SCHEMA_PATH = (Path(__file__).resolve().parent / "schema"
               / "ob_v3p0_achievementcredential_schema.json")

#: Our achievement kinds → OB 3.0 AchievementType. Standard values where one
#: fits (MicroCredential, Course, Certificate), ``ext:`` extensions otherwise.
ACHIEVEMENT_TYPES: dict[str, str] = {
    "keuzedeel": "ext:Keuzedeel",
    "mbo_certificaat": "ext:MboCertificaat",
    "praktijkverklaring": "ext:Praktijkverklaring",
    "llo_traject": "ext:LLOTraject",
    "deelcertificaat": "ext:Deelcertificaat",
    "microcredential": "MicroCredential",
    "module": "Course",
    "badge": "Badge",
    "certificate": "Certificate",
}

#: Terms for facts OB 3.0 has no property for (the EU micro-credential elements, the
#: study load in hours, the unit of ``creditsAvailable``, the workplace), as an
#: *embedded* context on the Achievement node: any JSON-LD processor reads their
#: meaning from the credential itself, with a loader that knows only the standard
#: contexts, and it travels with the Achievement wherever it is copied (its own
#: document, a CLR). The IRIs are those of the frozen MICROCREDENTIAL_V1 context
#: (which older credentials name by URL and which stays bundled), so both forms
#: mean the same triples. Never change an existing term's IRI or type: signatures
#: cover the triples.
_MC = "https://skillspas.nl/ns/mc#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
EXTENSION_CONTEXT: dict[str, Any] = {
    "@version": 1.1,
    "@protected": True,
    "awardingCountry": {"@id": _MC + "awardingCountry"},
    "studyLoadHours": {"@id": _MC + "studyLoadHours", "@type": _XSD + "integer"},
    "assessmentType": {"@id": _MC + "assessmentType"},
    "participationForm": {"@id": _MC + "participationForm"},
    "qualityAssurance": {"@id": _MC + "qualityAssurance"},
    "levelGuaranteedBy": {"@id": _MC + "levelGuaranteedBy"},
    "assessmentSupervision": {"@id": _MC + "assessmentSupervision"},
    "identityVerified": {"@id": _MC + "identityVerified", "@type": _XSD + "boolean"},
    "prerequisites": {"@id": _MC + "prerequisites"},
    "stackability": {"@id": _MC + "stackability"},
    "furtherInformation": {"@id": _MC + "furtherInformation"},
    # Newer than MICROCREDENTIAL_V1: only ever in the embedded form.
    "creditsUnit": {"@id": _MC + "creditsUnit"},
    "workplace": {"@id": "https://schema.org/workLocation"},
}

TARGET_TYPE_QUALIFICATION = "ext:Kwalificatiedossier"
TARGET_TYPE_KEUZEDEEL = "ext:Keuzedeel"
TARGET_TYPE_SKILL = "ceasn:Competency"


class CredentialSchemaError(ValueError):
    """The built document does not validate against the OB 3.0 schema."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("credential does not match the OB 3.0 schema: " + "; ".join(errors))
        self.errors = errors


@dataclass
class IssuerData:
    """An issuer (or ``source``) Profile. ``brin``/``kvk`` become ``otherIdentifier``."""

    id: str
    name: str
    url: str | None = None
    email: str | None = None
    description: str | None = None
    image: str | None = None
    brin: str | None = None
    kvk: str | None = None


@dataclass
class AlignmentData:
    target_name: str | list[dict[str, str]]  # text, or language values (language.py)
    target_url: str
    target_code: str | None = None
    target_framework: str | None = None
    target_type: str | None = None
    target_description: str | None = None


@dataclass
class SkillData:
    """A skill in ESCO or CompetentNL; becomes an ``Alignment`` (ceasn:Competency)."""

    name: str
    url: str
    code: str | None = None
    framework: str = "ESCO"
    description: str | None = None
    #: The name in other languages ({"en": ...}), signed beside ``name`` (language.py)
    translations: dict[str, str] = field(default_factory=dict)


@dataclass
class AchievementData:
    id: str
    name: str
    description: str
    criteria_narrative: str
    kind: str | None = None  # key of ACHIEVEMENT_TYPES, or an OB value / "ext:…" directly
    criteria_id: str | None = None
    image_url: str | None = None
    image_caption: str | None = None
    crebo: str | None = None  # kwalificatiedossier code
    crebo_name: str | None = None
    crebo_url: str | None = None
    keuzedeel_code: str | None = None
    keuzedeel_url: str | None = None
    skills: list[SkillData] = field(default_factory=list)
    alignments: list[AlignmentData] = field(default_factory=list)
    credits_available: float | None = None
    human_code: str | None = None
    field_of_study: str | None = None
    in_language: str | None = "nl"
    version: str | None = None
    result_descriptions: list[dict[str, Any]] = field(default_factory=list)
    #: Facts OB 3.0 has no term for (terms of EXTENSION_CONTEXT, e.g. "assessmentType",
    #: "studyLoadHours"); non-empty embeds that context in the Achievement.
    extensions: dict[str, Any] = field(default_factory=dict)
    #: Signed EndorsementCredentials of this achievement (OB 3.0 ``endorsement``), as is.
    endorsements: list[dict[str, Any]] = field(default_factory=list)
    #: Other languages: {"en": {"name": ..., "description": ..., "criteria": ...}};
    #: signed beside ``in_language``'s text as language-tagged values (see language.py).
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def tagged(self, key: str) -> str | list[dict[str, str]]:
        """``name``, ``description`` or ``criteria`` with its translations."""
        text = self.criteria_narrative if key == "criteria" else getattr(self, key)
        return tagged(text, self.in_language or FALLBACK,
                      {lang: t.get(key, "") for lang, t in self.translations.items()})


@dataclass
class RecipientData:
    email: str
    salt: str | None = None  # generated when absent
    subject_id: str | None = None  # e.g. the learner's DID, when they gave one


@dataclass
class ResultData:
    value: str | None = None
    status: str | None = None  # OB ResultStatusType, e.g. "Completed"
    achieved_level: str | None = None
    result_description: str | None = None
    alignments: list[AlignmentData] = field(default_factory=list)


@dataclass
class EvidenceData:
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    id: str | None = None
    genre: str | None = None
    audience: str | None = None


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_email(email: str, salt: str) -> str:
    """``sha256$`` + hex(sha256(email + salt)); the address is trimmed and lower-cased."""
    digest = hashlib.sha256((_normalise_email(email) + salt).encode("utf-8")).hexdigest()
    return "sha256$" + digest


def email_matches(identity_object: dict[str, Any], email: str) -> bool:
    """True when ``identity_object`` (hashed or plain) identifies ``email``."""
    if identity_object.get("identityType") != "emailAddress":
        return False
    value = identity_object.get("identityHash")
    if not isinstance(value, str):
        return False
    if not identity_object.get("hashed"):
        return _normalise_email(value) == _normalise_email(email)
    salt = identity_object.get("salt") or ""
    expected = hash_email(email, salt)
    # OB 2.0-era hashes used plain case; accept either spelling of the hex digest.
    return hmac.compare_digest(value.lower(), expected.lower())


def _prune(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v != []}


def _alignment(a: AlignmentData) -> dict[str, Any]:
    return _prune({
        "type": ["Alignment"], "targetName": a.target_name, "targetUrl": a.target_url,
        "targetCode": a.target_code, "targetFramework": a.target_framework,
        "targetType": a.target_type, "targetDescription": a.target_description,
    })


def profile(data: IssuerData) -> dict[str, Any]:
    """An OB 3.0 ``Profile`` with BRIN/KvK as ``IdentifierEntry`` (``ext:`` types)."""
    identifiers = []
    if data.brin:
        identifiers.append({"type": "IdentifierEntry", "identifier": data.brin,
                            "identifierType": "ext:BRIN"})
    if data.kvk:
        identifiers.append({"type": "IdentifierEntry", "identifier": data.kvk,
                            "identifierType": "ext:KvK"})
    return _prune({
        "id": data.id, "type": ["Profile"], "name": data.name, "url": data.url,
        "email": data.email, "description": data.description,
        "image": {"id": data.image, "type": "Image"} if data.image else None,
        "otherIdentifier": identifiers,
    })


def _embeddable(endorsement: dict[str, Any]) -> dict[str, Any]:
    """A copy whose ``proof`` is a list, as the OB 3.0 schema wants of an embedded
    EndorsementCredential (one proof or a list of one: the same signed data)."""
    doc = copy.deepcopy(endorsement)
    if isinstance(doc.get("proof"), dict):
        doc["proof"] = [doc["proof"]]
    return doc


def achievement(data: AchievementData) -> dict[str, Any]:
    """An OB 3.0 ``Achievement`` with crebo, keuzedeel and skills as alignments."""
    alignments: list[AlignmentData] = []
    if data.crebo:
        alignments.append(AlignmentData(
            target_name=data.crebo_name or f"Kwalificatiedossier {data.crebo}",
            target_url=data.crebo_url or f"https://www.s-bb.nl/kwalificatiedossier/{data.crebo}",
            target_code=data.crebo, target_framework="Kwalificatiestructuur mbo (crebo)",
            target_type=TARGET_TYPE_QUALIFICATION))
    if data.keuzedeel_code:
        alignments.append(AlignmentData(
            target_name=data.name,
            target_url=data.keuzedeel_url
            or f"https://www.s-bb.nl/keuzedeel/{data.keuzedeel_code}",
            target_code=data.keuzedeel_code, target_framework="Keuzedelen mbo",
            target_type=TARGET_TYPE_KEUZEDEEL))
    alignments += [AlignmentData(target_name=tagged(s.name, data.in_language or FALLBACK,
                                                    s.translations),
                                 target_url=s.url, target_code=s.code,
                                 target_framework=s.framework, target_type=TARGET_TYPE_SKILL,
                                 target_description=s.description) for s in data.skills]
    alignments += data.alignments
    kind = ACHIEVEMENT_TYPES.get(data.kind, data.kind) if data.kind else None
    unknown = set(data.extensions) - set(EXTENSION_CONTEXT)
    if unknown:  # an undefined term would be dropped from what the signature covers
        raise ValueError(f"no context term for {sorted(unknown)}")
    return _prune({
        "@context": copy.deepcopy(EXTENSION_CONTEXT) if data.extensions else None,
        **copy.deepcopy(data.extensions),
        "id": data.id, "type": ["Achievement"], "name": data.tagged("name"),
        "description": data.tagged("description"),
        "criteria": _prune({"id": data.criteria_id, "narrative": data.tagged("criteria")}),
        "image": _prune({"id": data.image_url, "type": "Image", "caption": data.image_caption})
        if data.image_url else None,
        "achievementType": kind,
        "alignment": [_alignment(a) for a in alignments],
        "creditsAvailable": data.credits_available,
        "humanCode": data.human_code,
        "fieldOfStudy": data.field_of_study,
        "inLanguage": data.in_language,
        "version": data.version,
        "resultDescription": [copy.deepcopy(r) for r in data.result_descriptions],
        "endorsement": [_embeddable(e) for e in data.endorsements],
    })


def build_credential(
    *,
    credential_id: str,
    issuer: IssuerData,
    achievement_data: AchievementData,
    recipient: RecipientData,
    valid_from: datetime,
    valid_until: datetime | None = None,
    name: str | None = None,
    description: str | None = None,
    results: list[ResultData] | None = None,
    evidence: list[EvidenceData] | None = None,
    source: IssuerData | None = None,
    credits_earned: float | None = None,
    activity_start: datetime | None = None,
    activity_end: datetime | None = None,
    credential_status: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An unsigned ``OpenBadgeCredential``; raises :class:`CredentialSchemaError`."""
    salt = recipient.salt or secrets.token_hex(16)
    subject = _prune({
        "id": recipient.subject_id,
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityHash": hash_email(recipient.email, salt),
                        "identityType": "emailAddress", "hashed": True, "salt": salt}],
        "achievement": achievement(achievement_data),
        "result": [_prune({
            "type": ["Result"], "value": r.value, "status": r.status,
            "achievedLevel": r.achieved_level, "resultDescription": r.result_description,
            "alignment": [_alignment(a) for a in r.alignments],
        }) for r in results or []],
        "source": profile(source) if source else None,
        "creditsEarned": credits_earned,
        "activityStartDate": format_datetime(activity_start) if activity_start else None,
        "activityEndDate": format_datetime(activity_end) if activity_end else None,
    })
    status = [copy.deepcopy(s) for s in credential_status or []]
    doc = _prune({
        "@context": [VC_V2, OB_V3P0],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile(issuer),
        "validFrom": format_datetime(valid_from),
        "validUntil": format_datetime(valid_until) if valid_until else None,
        "name": name or achievement_data.tagged("name"),
        "description": description,
        "credentialSubject": subject,
        "evidence": [_prune({
            "id": e.id, "type": ["Evidence"], "narrative": e.narrative, "name": e.name,
            "description": e.description, "genre": e.genre, "audience": e.audience,
        }) for e in evidence or []],
        "credentialStatus": status[0] if len(status) == 1 else status,
    })
    errors = validate_schema(doc)
    if errors:
        raise CredentialSchemaError(errors)
    return doc


def _refuse_remote(uri: str) -> Any:
    raise ValueError(f"remote schema reference refused: {uri}")


@lru_cache(maxsize=1)
def _validator() -> jsonschema_rs.Draft201909Validator:
    """The compiled OB 3.0 validator (jsonschema-rs: ~50x faster than pure Python,
    which matters when a bulk run validates 10,000 documents). Nothing is
    retrievable: a remote $ref fails loudly instead of reaching the network."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema_rs.Draft201909Validator(
        schema, retriever=_refuse_remote, validate_formats=True
    )


def validate_schema(doc: dict[str, Any]) -> list[str]:
    """Messages for every OB 3.0 schema violation (empty when valid)."""
    # Text in several languages (VC 2.0 §11.1) is a list of value objects where the
    # OB 3.0 schema, older, names a string: each is checked as its first text.
    candidate = first_text(dict(doc))
    if isinstance(candidate.get("proof"), dict):
        candidate["proof"] = [candidate["proof"]]
    # VC Data Model 2.0 allows several status entries (revocation and suspension);
    # the OB 3.0 schema, older, names one object. Each entry is checked in its place.
    statuses = candidate.get("credentialStatus")
    extra: list[tuple[int, Any]] = []
    if isinstance(statuses, list) and statuses:
        candidate["credentialStatus"] = statuses[0]
        extra = list(enumerate(statuses))[1:]
    errors = [(list(e.instance_path), e.message) for e in _validator().iter_errors(candidate)]
    for n, entry in extra:
        candidate["credentialStatus"] = entry
        errors += [(["credentialStatus", n, *e.instance_path[1:]], e.message)
                   for e in _validator().iter_errors(candidate)
                   if e.instance_path[:1] == ["credentialStatus"]]
    return [f"{'/'.join(str(p) for p in path) or '(root)'}: {message}"
            for path, message in sorted(errors, key=lambda e: [str(p) for p in e[0]])]

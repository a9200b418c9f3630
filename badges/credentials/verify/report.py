"""The verification report: verdict, checks, a display summary and one plain sentence.

The report is what an employer reads, so the sentence must never overstate:
"valid" only when every link from signature to issuer is confirmed, and an
honest "could not be confirmed" otherwise. Summaries read hostile documents,
so every accessor tolerates any JSON shape and never raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from badges.credentials.language import FALLBACK, in_language, is_language_values
from badges.credentials.verify.checks import CheckResult, as_list, parse_date

VERDICT_ORDER = ("invalid", "revoked", "suspended", "expired", "not_yet_valid",
                 "indeterminate", "valid")
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


@dataclass
class Report:
    verdict: str
    format: str | None
    checks: list[CheckResult]
    credential: dict[str, Any] = field(default_factory=dict)
    summary_nl: str = ""
    summary_en: str = ""
    container: str | None = None  # "png" | "svg" when the credential was baked
    checked_at: datetime | None = None  # the ``now`` the checks compared dates with
    time_edges: tuple[datetime, ...] = ()  # see VerifyContext.time_edges
    # One entry per Data Integrity proof: who signed (a co-issued credential has two)
    signers: list[dict[str, Any]] = field(default_factory=list)

    def same_answer_at(self, moment: datetime) -> bool:
        """Would every date comparison come out the same at ``moment`` as it did?"""
        if self.checked_at is None:
            return False
        return all((edge <= moment) == (edge <= self.checked_at) for edge in self.time_edges)

    @property
    def verified(self) -> bool:
        """True only for an unqualified "valid": confirmed key, in date, not revoked."""
        return self.verdict == "valid"

    def check(self, check_id: str) -> CheckResult | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {"verified": self.verified, "status": self.verdict, "verdict": self.verdict,
                "format": self.format, "container": self.container,
                "checks": [c.to_dict() for c in self.checks],
                "credential": self.credential, "signers": self.signers,
                "summary": {"nl": self.summary_nl, "en": self.summary_en}}


def combine(checks: list[CheckResult]) -> str:
    """The verdict with the highest precedence among the checks' hints; valid if none."""
    hints = {c.verdict for c in checks if c.verdict}
    hints |= {"invalid" for c in checks if c.status == "fail" and not c.verdict}
    return next((v for v in VERDICT_ORDER if v in hints), "valid")


def _text(value: Any, language: str = FALLBACK) -> str | None:
    """Text to show (in ``language``, else Dutch): strings, value objects, language maps."""
    text = in_language(value, language)
    return text[:500] if text is not None else None


def _translations(achievement: dict[str, Any], criteria: dict[str, Any]) -> dict[str, Any]:
    """English wording where the credential has it (the summary's own is Dutch first)."""
    found = {key: _text(value, "en") for key, value in (
        ("name", achievement.get("name")), ("description", achievement.get("description")),
        ("criteria", criteria.get("narrative")))
        if is_language_values(value) or isinstance(value, dict)}
    return {"en": found} if found else {}


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _skills(alignments: Any) -> list[dict[str, Any]]:
    return [{"name": _text(a.get("targetName")),
             "name_en": _text(a.get("targetName"), "en")
             if is_language_values(a.get("targetName")) else None,
             "framework": _text(a.get("targetFramework")),
             "code": _text(a.get("targetCode")), "url": _text(a.get("targetUrl"))}
            for a in as_list(alignments)[:50] if isinstance(a, dict)]


def _evidence(items: Any) -> list[dict[str, Any]]:
    return [{"id": _text(e.get("id")), "name": _text(e.get("name")),
             "description": _text(e.get("description")), "narrative": _text(e.get("narrative")),
             "genre": _text(e.get("genre"))}
            for e in as_list(items)[:50] if isinstance(e, dict)]


def _recipient(subject: dict[str, Any]) -> dict[str, Any]:
    identities = [{"type": _text(i.get("identityType")), "hashed": i.get("hashed") is True,
                   "value": None if i.get("hashed") is True else _text(i.get("identityHash"))}
                  for i in as_list(subject.get("identifier"))[:20] if isinstance(i, dict)]
    name = _text(subject.get("name")) or next(
        (i["value"] for i in identities if i["type"] == "name" and i["value"]), None)
    plain = next((i["value"] for i in identities if i["value"]), None)
    return {"id": _text(subject.get("id")), "name": name, "identities": identities,
            "hashed": bool(identities) and all(i["hashed"] for i in identities),
            "display": name or plain}


def summarize_ob3(doc: dict[str, Any]) -> dict[str, Any]:
    """What a person needs to see about an OB 3.0 credential."""
    subject = _obj(as_list(doc.get("credentialSubject"))[0] if as_list(
        doc.get("credentialSubject")) else None)
    achievement = _obj(subject.get("achievement"))
    issuer = doc.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    criteria = _obj(achievement.get("criteria"))
    endorsements = [{"issuer": _text(_obj(e.get("issuer")).get("name")) or _text(e.get("issuer")),
                     "comment": _text(_obj(e.get("credentialSubject")).get("endorsementComment"))}
                    for e in as_list(doc.get("endorsement"))[:20] if isinstance(e, dict)]
    return {
        "id": _text(doc.get("id")), "name": _text(doc.get("name")),
        "type": [t for t in as_list(doc.get("type")) if isinstance(t, str)][:10],
        "issuer": {"id": _text(issuer.get("id")), "name": _text(issuer.get("name"))},
        "achievement": {
            "id": _text(achievement.get("id")), "name": _text(achievement.get("name")),
            "type": _text(achievement.get("achievementType")),
            "description": _text(achievement.get("description")),
            "criteria": _text(criteria.get("narrative")) or _text(criteria.get("id")),
            "humanCode": _text(achievement.get("humanCode")),
            "fieldOfStudy": _text(achievement.get("fieldOfStudy")),
            "creditsAvailable": achievement.get("creditsAvailable")
            if isinstance(achievement.get("creditsAvailable"), int | float) else None,
            "creditsUnit": _text(achievement.get("creditsUnit")),
            "studyLoadHours": achievement.get("studyLoadHours")
            if isinstance(achievement.get("studyLoadHours"), int)
            and not isinstance(achievement.get("studyLoadHours"), bool) else None,
            "workplace": _text(achievement.get("workplace")),
            "translations": _translations(achievement, criteria),
        },
        "recipient": _recipient(subject),
        # who assessed on the issuer's behalf (e.g. the employer of a work placement)
        "source": {"id": _text(_obj(subject.get("source")).get("id")),
                   "name": _text(_obj(subject.get("source")).get("name"))},
        "validFrom": _text(doc.get("validFrom") or doc.get("issuanceDate")),
        "validUntil": _text(doc.get("validUntil") or doc.get("expirationDate")),
        "awardedDate": _text(doc.get("awardedDate")),
        "skills": _skills(achievement.get("alignment")),
        "evidence": _evidence(doc.get("evidence")),
        "results": [{"value": _text(r.get("value")), "status": _text(r.get("status"))}
                    for r in as_list(subject.get("result"))[:50] if isinstance(r, dict)],
        "endorsements": endorsements,
    }


def summarize_ob2(assertion: dict[str, Any], badge: dict[str, Any] | None,
                  issuer: dict[str, Any] | None) -> dict[str, Any]:
    """The same summary shape for an OB 2.0 assertion (badge/issuer may be unknown)."""
    badge, issuer = _obj(badge), _obj(issuer)
    recipient = _obj(assertion.get("recipient"))
    hashed = recipient.get("hashed") is True
    identity = None if hashed else _text(recipient.get("identity"))
    criteria = badge.get("criteria")
    return {
        "id": _text(assertion.get("id")), "name": _text(badge.get("name")), "type": ["Assertion"],
        "issuer": {"id": _text(issuer.get("id")) or _text(badge.get("issuer")),
                   "name": _text(issuer.get("name"))},
        "achievement": {"id": _text(badge.get("id")), "name": _text(badge.get("name")),
                        "type": "BadgeClass", "description": _text(badge.get("description")),
                        "criteria": _text(_obj(criteria).get("narrative")) or _text(criteria)},
        "recipient": {"id": None, "name": None, "hashed": hashed, "display": identity,
                      "identities": [{"type": _text(recipient.get("type")), "hashed": hashed,
                                      "value": identity}]},
        "validFrom": _text(assertion.get("issuedOn")) if not isinstance(
            assertion.get("issuedOn"), int) else str(assertion.get("issuedOn")),
        "validUntil": _text(assertion.get("expires")), "awardedDate": None,
        "skills": _skills(badge.get("alignment")), "evidence": _evidence(assertion.get("evidence")),
        "results": [], "endorsements": [],
    }


def _date(value: str | None, months: tuple[str, ...]) -> str | None:
    parsed: datetime | None = parse_date(value)
    return f"{parsed.day} {months[parsed.month - 1]} {parsed.year}" if parsed else None


def _lower(message: str) -> str:
    return message[:1].lower() + message[1:]


def status_unchecked(checks: list[CheckResult]) -> bool:
    """True when nothing told us whether the credential was revoked: it has no status
    information, or the status list could not be read or trusted."""
    status = next((c for c in checks if c.id == "status"), None)
    return status is None or status.status in ("skipped", "warning")


#: Said instead of "not revoked" when :func:`status_unchecked`.
STATUS_UNCHECKED = ("De status (ingetrokken of niet) kon niet worden gecontroleerd.",
                    "Its status (revoked or not) could not be checked.")


def sentences(verdict: str, summary: dict[str, Any], checks: list[CheckResult],
              proof_verified: bool) -> tuple[str, str]:
    """The one-sentence verdict in Dutch and English."""
    issuer = summary.get("issuer", {}).get("name") or summary.get("issuer", {}).get("id")
    recipient = summary.get("recipient", {})
    # A hashed e-mail address names no one: the sentence then says nothing about the holder
    # (the checks say the address is hashed; the page offers to compare an address).
    who_nl = who_en = recipient.get("display")
    by_nl = f" door {issuer}" if issuer else ""
    by_en = f" by {issuer}" if issuer else ""
    to_nl, to_en = (f" aan {who_nl}" if who_nl else ""), (f" to {who_en}" if who_en else "")
    d_nl, d_en = _date(summary.get("validFrom"), MONTHS_NL), _date(summary.get("validFrom"),
                                                                   MONTHS_EN)
    on_nl, on_en = (f" op {d_nl}" if d_nl else ""), (f" on {d_en}" if d_en else "")
    first = next((c for c in checks if c.verdict == verdict or (
        verdict == "invalid" and c.status == "fail" and c.verdict in (None, "invalid"))), None)
    why_nl, why_en = (first.message_nl, first.message_en) if first else ("", "")
    if verdict == "valid":
        nl, en = f"Geldig: uitgegeven{by_nl}{to_nl}{on_nl}.", f"Valid: issued{by_en}{to_en}{on_en}."
        if status_unchecked(checks):  # never let "valid" read as "not revoked"
            return f"{nl} {STATUS_UNCHECKED[0]}", f"{en} {STATUS_UNCHECKED[1]}"
        return nl, en
    if verdict == "revoked":
        return (f"Ingetrokken: dit bewijs is{by_nl} ingetrokken.",
                f"Revoked: this credential has been revoked{by_en}.")
    if verdict == "suspended":
        return (f"Geschorst: dit bewijs is{by_nl} geschorst.",
                f"Suspended: this credential has been suspended{by_en}.")
    if verdict == "expired":
        until_nl, until_en = _date(summary.get("validUntil"), MONTHS_NL), _date(
            summary.get("validUntil"), MONTHS_EN)
        return (f"Verlopen: uitgegeven{by_nl}{on_nl}, geldig tot {until_nl or 'onbekend'}.",
                f"Expired: issued{by_en}{on_en}, valid until {until_en or 'unknown'}.")
    if verdict == "not_yet_valid":
        return (f"Nog niet geldig: uitgegeven{by_nl}, geldig vanaf {d_nl or 'onbekend'}.",
                f"Not yet valid: issued{by_en}, valid from {d_en or 'unknown'}.")
    if verdict == "indeterminate" and proof_verified:
        # Say what could not be confirmed: the key, or something else (the status list).
        unsure = next((c for c in checks if c.verdict == "indeterminate"), None)
        if unsure is not None and unsure.id not in ("key_binding", "issuer_match"):
            return (f"Niet bevestigd: de handtekening klopt, maar {_lower(unsure.message_nl)}",
                    f"Unconfirmed: the signature is correct, but {_lower(unsure.message_en)}")
        return (f"Niet bevestigd: de handtekening klopt, maar de sleutel van de uitgever"
                f"{' (' + issuer + ')' if issuer else ''} kon niet worden bevestigd.",
                f"Unconfirmed: the signature is correct, but the issuer's key"
                f"{' (' + issuer + ')' if issuer else ''} could not be confirmed.")
    if verdict == "indeterminate":
        return (f"Niet te controleren: {why_nl}", f"Could not be checked: {why_en}")
    return (f"Ongeldig: {why_nl}", f"Invalid: {why_en}")

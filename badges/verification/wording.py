"""The verification answer in plain words, in the reader's language (#22 item 13).

The engine (``badges.credentials.verify``) knows no Flask: its report carries a
bilingual sentence and a technical message per check, for programs and for the
"Technische details" a person may open. What a learner or an employer reads first
is said here, through Flask-Babel, from the report's structured parts (verdict,
kind, check ids and codes, issuer, dates): B1 Dutch with "je" and "bewijs", and
plain English. Old reports stored with an imported badge read the same way.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from badges.credentials.documents import ACHIEVEMENT_TYPES
from badges.credentials.verify.checks import parse_date
from badges.kernel.i18n import LOCAL_ZONE, current_language

# Our own kinds (the ``ext:`` values and standard types we issue) and the common
# Open Badges types other issuers use, as a reader names them.
_KIND_WORDS = {
    "keuzedeel": _l("Keuzedeel"),
    "mbo_certificaat": _l("Mbo-certificaat"),
    "praktijkverklaring": _l("Praktijkverklaring"),
    "llo_traject": _l("LLO-traject"),
    "deelcertificaat": _l("Deelcertificaat"),
    "microcredential": _l("Microcredential"),
    "module": _l("Module"),
    "badge": _l("Badge"),
    "certificate": _l("Certificaat"),
}
TYPE_WORDS = {ACHIEVEMENT_TYPES[key]: word for key, word in _KIND_WORDS.items()} | {
    "BadgeClass": _l("Badge"),  # an Open Badges 2.0 badge
    "Achievement": _l("Badge"),
    "Assessment": _l("Toets"),
    "Assignment": _l("Opdracht"),
    "Award": _l("Prijs"),
    "Certification": _l("Certificaat"),
    "CommunityService": _l("Vrijwilligerswerk"),
    "Competency": _l("Vaardigheid"),
    "CoCurricular": _l("Activiteit naast de opleiding"),
    "Degree": _l("Diploma"),
    "Diploma": _l("Diploma"),
    "Fieldwork": _l("Veldwerk"),
    "License": _l("Vergunning"),
    "Membership": _l("Lidmaatschap"),
    "ApprenticeshipCertificate": _l("Leerwerkcertificaat"),
    "LearningProgram": _l("Leertraject"),
    "Course": _l("Module"),
}

# A result's ``status`` (OB 3.0 ResultStatusType) in words.
RESULT_WORDS = {
    "Completed": _l("afgerond"),
    "Enrolled": _l("ingeschreven"),
    "Failed": _l("niet gehaald"),
    "InProgress": _l("bezig"),
    "OnHold": _l("gepauzeerd"),
    "Provisional": _l("voorlopig"),
    "Withdrew": _l("gestopt"),
}


def achievement_type(value: Any) -> str:
    """``ext:LLOTraject`` → "LLO-traject", ``BadgeClass`` → "Badge"; unknown ``ext:Foo`` → "Foo"."""
    if not isinstance(value, str) or not value:
        return ""
    word = TYPE_WORDS.get(value)
    return str(word) if word is not None else value.removeprefix("ext:")


def result_status(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    word = RESULT_WORDS.get(value)
    return str(word) if word is not None else value


def long_date(value: Any) -> str:
    """A date in words in the reader's language ("4 december 2026", "December 4, 2026"):
    a moment (ISO text, or a datetime stored in UTC) on its Dutch calendar day."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, "long", locale=current_language())
    moment = value if isinstance(value, datetime) else parse_date(value)
    if moment is None:
        return ""
    if moment.tzinfo is None:  # stored times are UTC
        moment = moment.replace(tzinfo=UTC)
    return format_date(moment.astimezone(LOCAL_ZONE).date(), "long", locale=current_language())


_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b(?![T:\d])")


def dates_in_words(text: Any) -> str:
    """A check's message with its days in words ("Verlopen op 2026-03-01." → "Verlopen op
    1 maart 2026."), so a page says dates one way, its technical details too."""
    return _ISO_DAY.sub(lambda day: long_date(date.fromisoformat(day.group(0))) or day.group(0),
                        str(text or ""))


def _checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in report.get("checks") or [] if isinstance(c, dict)]


def _status_unchecked(report: dict[str, Any]) -> bool:
    status = next((c for c in _checks(report) if c.get("id") == "status"), None)
    return status is None or status.get("status") in ("skipped", "warning")


def _why(check: dict[str, Any]) -> str:
    """What one failed or doubtful check means, as a clause after "maar" / "because"."""
    check_id, status, code = check.get("id"), check.get("status"), check.get("code")
    failed = status == "fail"
    if check_id == "input":
        return _("we konden er geen bewijs in lezen")
    if check_id == "type":
        return _("dit is geen Open Badge of ander digitaal bewijs")
    if check_id == "schema":
        return _("het bestand is niet opgebouwd zoals een Open Badge hoort")
    if check_id == "proof":
        if code == "missing_proof":
            return _("het bestand is niet ondertekend")
        if failed and code in ("canonicalization_failed", "check_crashed"):
            return _("we konden de handtekening niet controleren, omdat het bestand te "
                     "ingewikkeld of beschadigd is")
        if failed:
            return _("de handtekening klopt niet bij de inhoud")
        return _("we konden de handtekening niet controleren")
    if check_id == "key_binding":
        if failed:
            return _("de sleutel waarmee het is ondertekend, is als gestolen of gelekt gemeld")
        return _("we konden niet bevestigen dat de sleutel echt van de uitgever is")
    if check_id == "issuer_match":
        if failed:
            return _("het is ondertekend door een ander dan de uitgever die erin staat")
        return _("we konden niet bevestigen dat de sleutel echt van de uitgever is")
    if check_id == "status":
        if failed:
            return _("de uitgever heeft het ingetrokken")
        return _("we konden niet nagaan of de uitgever het heeft ingetrokken")
    if check_id == "validity":
        return _("de datums in het bewijs kloppen niet")
    if check_id == "recipient":
        return _("het is niet uitgegeven aan het e-mailadres dat je invulde")
    if check_id == "ob2_fetch":
        return _("we konden de badge niet ophalen bij de uitgever")
    if check_id == "embedded":
        return _("niet elk bewijs in deze verzameling klopt")
    return _("het voldoet niet aan de eisen (zie de technische details)")


def reason(report: dict[str, Any]) -> str:
    """The first thing that went wrong, or else could not be confirmed, as a sentence."""
    for status in ("fail", "warning"):
        for check in _checks(report):
            if check.get("status") == status and not (
                    check.get("id") == "status" and status == "warning"
                    and report.get("verdict") == "valid"):
                return _capital(_why(check)) + "."
    return sentence(report)


def sentence(report: dict[str, Any], kind: str | None = None,
             trust: dict[str, Any] | None = None) -> str:
    """The one plain sentence for a report (``kind``/``trust`` from verification.outcome)."""
    return _with_co_signers(report, _sentence(report, kind, trust or {}))


def detail(report: dict[str, Any], kind: str | None = None,
           trust: dict[str, Any] | None = None) -> str:
    """The sentence under a headline that already gives the verdict (the verify page, the
    receipt): what it adds, without saying "Geldig" or "Ingetrokken" again."""
    return _with_co_signers(report, _detail(report, kind, trust or {}))


def _with_co_signers(report: dict[str, Any], text: str) -> str:
    names = [s["name"] for s in report.get("signers") or [] if isinstance(s, dict)
             and s.get("role") == "co-signer" and s.get("level") == "known" and s.get("name")]
    if names:
        text = (text + " " if text else "") + _("Mede-ondertekend door %(names)s.",
                                                 names=", ".join(names))
    return text


def _detail(report: dict[str, Any], kind: str | None, trust: dict[str, Any]) -> str:
    verdict = report.get("verdict") or report.get("status") or "indeterminate"
    credential = report.get("credential") or {}
    issuer_part = credential.get("issuer") or {}
    issuer = issuer_part.get("name") or issuer_part.get("id") or ""
    recipient = (credential.get("recipient") or {}).get("display")
    issued = long_date(credential.get("validFrom"))
    unchecked = _("Of het is ingetrokken, konden we niet controleren.") \
        if _status_unchecked(report) else ""
    if kind == "impersonation":
        real = (trust.get("namesake") or {}).get("name") or trust.get("name") or "?"
        return _("Dit bewijs gebruikt de naam van %(real)s, een organisatie op Skillspas. "
                 "Maar %(real)s heeft het niet ondertekend.", real=real)
    if kind == "signed_unconfirmed":
        claimed = trust.get("name")
        said = (_("Dit bewijs noemt ‘%(name)s’ als uitgever, maar de sleutel hoort bij geen "
                  "organisatie op Skillspas.", name=claimed) if claimed else
                _("Dit bewijs noemt geen uitgever, en de sleutel hoort bij geen organisatie op "
                  "Skillspas."))
        return f"{said} {unchecked}".strip()
    if verdict == "valid":
        parts = {"issuer": issuer, "recipient": recipient, "date": issued}
        if issuer and recipient and issued:
            text = _("Uitgegeven door %(issuer)s aan %(recipient)s op %(date)s.", **parts)
        elif issuer and issued:
            text = _("Uitgegeven door %(issuer)s op %(date)s.", **parts)
        elif issuer:
            text = _("Uitgegeven door %(issuer)s.", **parts)
        else:
            text = ""
        return f"{text} {unchecked}".strip()
    if verdict == "revoked":
        return (_("%(issuer)s heeft dit bewijs ingetrokken.", issuer=issuer)
                if issuer else _("De uitgever heeft dit bewijs ingetrokken."))
    if verdict == "suspended":
        return (_("%(issuer)s heeft dit bewijs tijdelijk geschorst.", issuer=issuer)
                if issuer else _("De uitgever heeft dit bewijs tijdelijk geschorst."))
    if verdict == "expired":
        until = long_date(credential.get("validUntil")) or _("onbekend")
        return _("Dit bewijs was geldig tot %(date)s.", date=until)
    if verdict == "not_yet_valid":
        return _("Dit bewijs geldt pas vanaf %(date)s.", date=issued or _("onbekend"))
    first = next((c for c in _checks(report) if c.get("status") == "fail"), None)
    if verdict == "invalid":
        return _capital(_why(first) if first else _why({})) + "."
    unsure = _unsure(report)
    if _proof_ok(report):
        why = _why(unsure) if unsure else _why({"id": "key_binding"})
        return _("De handtekening klopt, maar %(why)s.", why=why)
    return _capital(_why(unsure) if unsure else _why({})) + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _proof_ok(report: dict[str, Any]) -> bool:
    return any(c.get("id") == "proof" and c.get("status") == "pass" for c in _checks(report))


def _unsure(report: dict[str, Any]) -> dict[str, Any] | None:
    """The check that kept an undecided answer from being valid."""
    return next((c for c in _checks(report) if c.get("status") == "warning"
                 and c.get("id") in ("proof", "key_binding", "issuer_match", "status",
                                     "ob2_fetch", "embedded")), None)


def _sentence(report: dict[str, Any], kind: str | None, trust: dict[str, Any]) -> str:
    verdict = report.get("verdict") or report.get("status") or "indeterminate"
    credential = report.get("credential") or {}
    issuer_part = credential.get("issuer") or {}
    issuer = issuer_part.get("name") or issuer_part.get("id") or ""
    recipient = (credential.get("recipient") or {}).get("display")
    issued = long_date(credential.get("validFrom"))
    unchecked = " " + _("Of het is ingetrokken, konden we niet controleren.") \
        if _status_unchecked(report) else ""
    if kind == "impersonation":
        real = (trust.get("namesake") or {}).get("name") or trust.get("name") or "?"
        return _("Pas op: nagemaakte uitgever. Dit bewijs gebruikt de naam van %(real)s, een "
                 "organisatie op Skillspas. Maar %(real)s heeft het niet ondertekend.", real=real)
    if kind == "signed_unconfirmed":
        claimed = trust.get("name")
        said = (_("Dit bewijs noemt ‘%(name)s’ als uitgever, maar de sleutel hoort bij geen "
                  "organisatie op Skillspas.", name=claimed) if claimed else
                _("Dit bewijs noemt geen uitgever, en de sleutel hoort bij geen organisatie op "
                  "Skillspas."))
        return _("Ondertekend, maar de uitgever is niet bevestigd.") + " " + said + unchecked
    if verdict == "valid":
        parts = {"issuer": issuer, "recipient": recipient, "date": issued}
        if issuer and recipient and issued:
            text = _("Geldig: uitgegeven door %(issuer)s aan %(recipient)s op %(date)s.", **parts)
        elif issuer and issued:
            text = _("Geldig: uitgegeven door %(issuer)s op %(date)s.", **parts)
        elif issuer:
            text = _("Geldig: uitgegeven door %(issuer)s.", **parts)
        else:
            text = _("Geldig.")
        return text + unchecked
    if verdict == "revoked":
        return (_("Ingetrokken: %(issuer)s heeft dit bewijs ingetrokken.", issuer=issuer)
                if issuer else _("Ingetrokken: de uitgever heeft dit bewijs ingetrokken."))
    if verdict == "suspended":
        return (_("Geschorst: %(issuer)s heeft dit bewijs tijdelijk geschorst.", issuer=issuer)
                if issuer else _("Geschorst: de uitgever heeft dit bewijs tijdelijk geschorst."))
    if verdict == "expired":
        until = long_date(credential.get("validUntil")) or _("onbekend")
        return _("Verlopen: dit bewijs was geldig tot %(date)s.", date=until)
    if verdict == "not_yet_valid":
        start = issued or _("onbekend")
        return _("Nog niet geldig: dit bewijs geldt pas vanaf %(date)s.", date=start)
    first = next((c for c in _checks(report) if c.get("status") == "fail"), None)
    if verdict == "invalid":
        return _("Ongeldig: %(why)s.", why=_why(first) if first else _why({}))
    unsure = _unsure(report)
    if _proof_ok(report):
        why = _why(unsure) if unsure else _why({"id": "key_binding"})
        return _("Niet bevestigd: de handtekening klopt, maar %(why)s.", why=why)
    return _("Niet te controleren: %(why)s.", why=_why(unsure) if unsure else _why({}))

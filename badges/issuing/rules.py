"""What may be issued: one rule set for the issue form, the API and the CSV upload.

Each rule is a small pure function: a value in, ``None`` when it is fine or a
:class:`Message` (Dutch and English) saying what is wrong. The doors adapt the
message to their own shape: a form error (the page's language), a
marshmallow error (English, like the rest of the API) or a CSV problem
(``Regel 4, kolom naam: ...``). A door may ask less (the API's name is
optional) but never something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import has_request_context
from flask_babel import get_locale

from badges.accounts.services import normalise_email as normalise_email
from badges.catalogue.models import AchievementState
from badges.kernel import emails
from badges.kernel.i18n import end_of_local_day

EMAIL_MAX = 254  # RFC 5321; the credential's column
NAME_MAX = 200
EVIDENCE_URL_MAX = 500
NARRATIVE_MAX = 2000
RESULT_MAX = 200
ASSESSOR_MAX = 200
PERIOD_MAX = 40
RESULT_STATUSES = ("Completed", "Provisional", "Exempt", "Enrolled", "Failed", "InProgress",
                   "OnHold", "Withdrew")  # Open Badges 3.0 ResultStatusType

# Fast enough for 20,000 rows; strict where mail delivery would fail anyway.
EMAIL_RE = re.compile(r"^(?!.*\.\.)[^@\s;,<>]+@[^@\s;,<>]+\.[^\W\d_]{2,}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Message:
    """What is wrong, in Dutch and English; ``str()`` gives the page's language."""

    nl: str
    en: str
    code: str = "invalid"  # for programs (problem+json ``code``)

    def __str__(self) -> str:
        if not has_request_context():  # a job, the CLI: Dutch, the service's language
            return self.nl
        locale = get_locale()
        return self.en if locale is not None and locale.language == "en" else self.nl


def too_long(value: str | None, limit: int) -> Message | None:
    if value is not None and len(value) > limit:
        return Message(f"Te lang (hoogstens {limit} tekens).",
                       f"Too long (at most {limit} characters).")
    return None


def email_problem(value: str | None) -> Message | None:
    """The recipient's address, checked as it will be stored (:func:`normalise_email`)."""
    email = normalise_email(value or "")
    if not email:
        return Message("Het e-mailadres ontbreekt.", "The email address is missing.")
    if len(email) > EMAIL_MAX or not EMAIL_RE.match(email):
        shown = email if len(email) <= 60 else email[:57] + "..."
        return Message(f"'{shown}' is geen geldig e-mailadres.",
                       f"'{shown}' is not a valid email address.")
    lookalike = emails.problem(value or "")
    if lookalike is not None:
        return Message(*lookalike, code="lookalike")
    return None


def name_problem(value: str | None, *, required: bool = True) -> Message | None:
    if not (value or "").strip():
        return Message("De naam ontbreekt.", "The name is missing.") if required else None
    return too_long(value, NAME_MAX)


def evidence_url_problem(value: str | None) -> Message | None:
    """A link to evidence: http or https only (no javascript:, no file:), at most 500."""
    if not value:
        return None
    if len(value) > EVIDENCE_URL_MAX:
        return too_long(value, EVIDENCE_URL_MAX)
    if not URL_RE.match(value):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return Message(f"'{shown}' is geen webadres (begin met https://).",
                       f"'{shown}' is not a web address (start with https://).")
    return None


def narrative_problem(value: str | None) -> Message | None:
    return too_long(value, NARRATIVE_MAX)


def assessor_problem(value: str | None) -> Message | None:
    return too_long(value, ASSESSOR_MAX)


def period_problem(value: str | None) -> Message | None:
    return too_long(value, PERIOD_MAX)


def result_value_problem(value: str | None) -> Message | None:
    return too_long(value, RESULT_MAX)


def result_status_problem(value: str | None) -> Message | None:
    if value and value not in RESULT_STATUSES:
        return Message(f"Kies een van: {', '.join(RESULT_STATUSES)}.",
                       f"Must be one of: {', '.join(RESULT_STATUSES)}.")
    return None


def end_of_day(day: date) -> datetime:
    """A date someone writes as "valid until" means through that day, in Dutch time."""
    return end_of_local_day(day)


def valid_until_problem(moment: datetime, now: datetime) -> Message | None:
    if moment <= now:
        return Message("Deze datum ligt in het verleden; kies vandaag of later.",
                       "This date is in the past; pick today or later.")
    return None


def achievement_problem(achievement: Any, organisation_id: int) -> Message | None:
    """Issuable: an achievement of this organisation, published (not draft, not archived).

    ``None`` (not found) reads as another organisation's: the answer never says which.
    """
    if achievement is None or achievement.organisation_id != organisation_id:
        return Message("Deze prestatie hoort niet bij deze organisatie.",
                       "Unknown achievement for this issuer.", code="unknown_achievement")
    if achievement.state != AchievementState.PUBLISHED:
        return Message("Deze prestatie is niet gepubliceerd.", "This achievement is not published.",
                       code="not_published")
    if getattr(achievement.organisation, "archived_at", None) is not None:
        return Message("Deze eenheid is gearchiveerd en geeft niets nieuws meer uit.",
                       "This unit is archived and issues nothing new.", code="archived_issuer")
    return None

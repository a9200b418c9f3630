"""An organisation's profile: name, short name, BRIN/KvK, contact, colour, description, website,
and its award limits per issuer account (four-eyes above them)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import InvalidInput
from badges.organisations.models import Organisation

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def update_profile(org: Organisation, *, colour: str, description: str, website: str,
                   actor_id: int | None, details: dict[str, Any] | None = None,
                   logo: tuple[bytes, str] | bool | None = None) -> None:
    """Let an organisation's admins set its profile; ``details`` holds the optional fields
    (name, short_name, brin, kvk, email, city, award_limit_hour, award_limit_day).

    A changed BRIN or KvK number ends the platform's verification: it checked the old one.
    ``logo``: ``(data, mime)`` already checked (PNG or sanitised SVG), False to remove it.
    """
    from badges.organisations.setup import check_numbers

    details = dict(details or {})
    errors: dict[str, str] = {}
    if "brin" in details or "kvk" in details:
        details["brin"] = (details.get("brin") or "").strip().upper()
        details["kvk"] = (details.get("kvk") or "").strip()
        errors |= check_numbers(details["brin"], details["kvk"])
    if "name" in details and not (details["name"] or "").strip():
        errors["name"] = _("Vul de naam in.")
    for limit in ("award_limit_hour", "award_limit_day"):
        if details.get(limit) is not None and details[limit] < 1:
            errors[limit] = _("Vul een getal van 1 of meer in, of laat het leeg.")
    colour = colour.strip()
    website = website.strip()
    if not COLOUR_RE.match(colour):
        errors["colour"] = _("Een kleur is # met 6 tekens (0-9, a-f), bijv. #1f5f8b.")
    if website and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", website):
        errors["website"] = _("Een website begint met https://.")
    if errors:
        raise InvalidInput(errors)
    org.colour, org.description, org.website = colour.lower(), description.strip(), website or None
    if (("brin" in details and (details["brin"] or None) != org.brin)
            or ("kvk" in details and (details["kvk"] or None) != org.kvk)):
        org.verified, org.verified_at, org.verification_note = False, None, ""
    if isinstance(logo, tuple):
        org.logo, org.logo_mime = logo
    elif logo is False:
        org.logo, org.logo_mime = None, None
    for key, value in details.items():
        if isinstance(value, str):  # an empty optional field is stored as none
            value = value.strip() if key == "name" else (value.strip() or None)
        setattr(org, key, value)
    audit.record("organisation.update", actor_id=actor_id, organisation_id=org.id,
                 subject_type="organisation", subject_id=org.id,
                 changed=sorted(details))
    db.session.commit()


MAIL_INTRO_MAX = 600


def update_mail_intro(org: Organisation, *, dutch: str, english: str, actor_id: int) -> None:
    """The organisation's own opening words in its credential mail (plain text, both languages)."""
    org.mail_intro_nl = (dutch or "").strip()[:MAIL_INTRO_MAX]
    org.mail_intro_en = (english or "").strip()[:MAIL_INTRO_MAX]
    audit.record("organisation.mail_intro", actor_id=actor_id, organisation_id=org.id)
    db.session.commit()

"""An organisation's public profile: colour (of its generated badge images), description, website."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import InvalidInput
from badges.organisations.models import Organisation

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def update_profile(org: Organisation, *, colour: str, description: str, website: str,
                   actor_id: int | None) -> None:
    """Let an organisation's admins set its colour, description and website."""
    errors: dict[str, str] = {}
    colour = colour.strip()
    website = website.strip()
    if not COLOUR_RE.match(colour):
        errors["colour"] = _("Een kleur is # met 6 tekens (0-9, a-f), bijv. #1f5f8b.")
    if website and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", website):
        errors["website"] = _("Een website begint met https://.")
    if errors:
        raise InvalidInput(errors)
    org.colour, org.description, org.website = colour.lower(), description.strip(), website or None
    audit.record("organisation.update", actor_id=actor_id, organisation_id=org.id,
                 subject_type="organisation", subject_id=org.id)
    db.session.commit()

"""The demo's live claim code: the sports club's team training (``/c/TEAMS-2026A``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from badges.catalogue.models import Achievement
from badges.claimcodes.models import ClaimCode, EvidenceMode
from badges.kernel.db import db
from badges.kernel.models import utcnow

DEMO_CODE = "TEAMS2026A"  # shown as TEAMS-2026A; a fixed code so the README can name it


def seed_claim_codes(context: dict[str, Any]) -> None:
    if db.session.scalar(db.select(ClaimCode).filter_by(code=DEMO_CODE)) is not None:
        return
    club = context["orgs"]["sv-osc-28"]
    badge = db.session.scalar(db.select(Achievement).filter_by(organisation_id=club.id,
                                                               name="Samenwerken in het team"))
    now = utcnow()
    db.session.add(ClaimCode(organisation_id=club.id, achievement_id=badge.id, code=DEMO_CODE,
                             title="Teamtraining jeugd, woensdag", starts_at=now - timedelta(days=1),
                             ends_at=now + timedelta(days=365), max_claims=40,
                             evidence=EvidenceMode.TEXT_OR_PHOTO))

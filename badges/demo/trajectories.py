"""Demo step: Vanessa's "Van kassa naar zorg" as a real LLO trajectory (idempotent).

The pathway itself is seeded by ``demo.seed_pathways``; this step adds what
makes it a trajectory: its award mode and partner organisation (Zorggroep De
Linde, the leerbedrijf that signs the praktijkverklaring), taken from
``demo_world.PATHWAYS``. Then every persona is evaluated, which awards nothing
for Vanessa yet (2 of 3 components) but would after her praktijkverklaring.
"""

from __future__ import annotations

from typing import Any

from badges.accounts.models import User
from badges.demo import world as demo_world
from badges.kernel.db import db
from badges.trajectories import services as trajectories
from badges.trajectories.models import PathwayPartner


def seed_trajectories(context: dict[str, Any]) -> None:
    orgs, found = context["orgs"], context["pathways"]
    for spec in demo_world.PATHWAYS:
        pathway = found.get(spec["name"])
        if pathway is None or "award_mode" not in spec:
            continue
        pathway.award_mode = spec["award_mode"]
        have = {p.organisation_id for p in pathway.partners}
        for slug, role in spec.get("partners", {}).items():
            if orgs[slug].id not in have:
                pathway.partners.append(PathwayPartner(organisation_id=orgs[slug].id, role=role))
    db.session.commit()
    ids = [p.id for p in found.values() if p.award_mode != "off"]
    users = [u.id for u in db.session.scalars(db.select(User))]
    if ids:
        trajectories.evaluate(users, ids)

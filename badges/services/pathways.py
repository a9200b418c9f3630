"""Progress toward larger achievements (pathways), for one learner.

``progress`` is a pure function: given pathways and the achievement lineages a
learner holds (active, not expired), it says which steps are done and which
are missing. A step counts when the learner holds any version of that
achievement's lineage, so a new version of a module never undoes progress.
Trajectory rules (order, time limits) can be added here later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import joinedload, selectinload

from badges.extensions import db
from badges.models import (
    Achievement,
    Credential,
    CredentialState,
    Pathway,
    PathwayStep,
    utcnow,
)


@dataclass
class PathwayProgress:
    pathway: Pathway
    done: list[Achievement]
    missing: list[Achievement]
    required: int  # how many steps complete the pathway

    @property
    def count(self) -> int:
        return min(len(self.done), self.required)

    @property
    def complete(self) -> bool:
        return len(self.done) >= self.required

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.required) if self.required else 100


def progress(pathways: Iterable[Pathway], held_lineages: set[str]) -> list[PathwayProgress]:
    """Progress on each pathway where at least one step is held (pure)."""
    result = []
    for pathway in pathways:
        steps = [s.achievement for s in pathway.steps]
        done = [a for a in steps if a.lineage in held_lineages]
        if not done:
            continue
        missing = [a for a in steps if a.lineage not in held_lineages]
        required = pathway.min_required or len(steps)
        result.append(PathwayProgress(pathway, done, missing, min(required, len(steps))))
    return result


def held_lineages(user_id: int) -> set[str]:
    """Lineages of the learner's active, non-expired credentials (one query)."""
    now = utcnow()
    rows = db.session.execute(
        db.select(Achievement.lineage, Credential.valid_from, Credential.valid_until)
        .join(Credential, Credential.achievement_id == Achievement.id)
        .where(Credential.recipient_user_id == user_id,
               Credential.state == CredentialState.ACTIVE)
    )
    return {lineage for lineage, start, until in rows
            if start <= now and (until is None or until >= now)}


def for_user(user_id: int) -> list[PathwayProgress]:
    """Progress for the pathways this learner has started, most complete first."""
    lineages = held_lineages(user_id)
    if not lineages:
        return []
    pathways = db.session.scalars(
        db.select(Pathway).join(PathwayStep).join(Achievement)
        .where(Achievement.lineage.in_(lineages))
        .options(joinedload(Pathway.organisation), joinedload(Pathway.target),
                 selectinload(Pathway.steps).joinedload(PathwayStep.achievement)
                 .joinedload(Achievement.organisation))
        .order_by(Pathway.name)
    ).unique()
    found = progress(pathways, lineages)
    found.sort(key=lambda p: (p.complete, -p.percent))
    return found

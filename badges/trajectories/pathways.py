"""Progress toward larger achievements (pathways), for one learner.

``progress`` is a pure function: given pathways and the achievement lineages a
learner holds (active, not expired), it says which steps are done and which
are missing. A step counts when the learner holds any version of that
achievement's lineage, so a new version of a module never undoes progress.
Trajectory rules (any N of M, order, time limit) are applied here too, so
the passport and the automatic award (``trajectories``) agree on "complete".
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import joinedload, selectinload

from badges.catalogue.models import Achievement, Pathway, PathwayStep
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.kernel.models import utcnow


@dataclass
class PathwayProgress:
    pathway: Pathway
    done: list[Achievement]
    missing: list[Achievement]
    required: int  # how many steps complete the pathway
    out_of_order: list[Achievement] = field(default_factory=list)  # held, but too early
    started: datetime | None = None  # validFrom of the first counted component
    completed_at: datetime | None = None  # validFrom of the component that completed it
    deadline: datetime | None = None  # started + max_months
    expired: bool = False  # the time limit passed before completion

    @property
    def count(self) -> int:
        return min(len(self.done), self.required)

    @property
    def complete(self) -> bool:
        return len(self.done) >= self.required and not self.expired

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.required) if self.required else 100


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months (the day clipped to the month's length)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _one(pathway: Any, held: Mapping[str, datetime | None], now: datetime
         ) -> PathwayProgress | None:
    steps = [s.achievement for s in pathway.steps]
    if not any(a.lineage in held for a in steps):
        return None
    done: list[Achievement] = []
    late: list[Achievement] = []
    last: datetime | None = None
    for a in steps:
        if a.lineage not in held:
            continue
        when = held[a.lineage]
        # In order: a component may not be earned before the previous one.
        if getattr(pathway, "ordered", False) and when and last and when < last:
            late.append(a)
            continue
        done.append(a)
        last = when or last
    missing = [a for a in steps if a not in done]
    required = min(getattr(pathway, "min_required", None) or len(steps), len(steps))
    found = PathwayProgress(pathway, done, missing, required, late)
    times = sorted(t for a in done if (t := held[a.lineage]) is not None)
    if times:
        found.started = times[0]
        if len(done) >= required:
            found.completed_at = times[required - 1]
    months = getattr(pathway, "max_months", None)
    if months and found.started:
        found.deadline = add_months(found.started, months)
        finished = found.completed_at or now
        found.expired = finished > found.deadline
    return found


def progress(pathways: Iterable[Any], held: set[str] | Mapping[str, datetime | None],
             now: datetime | None = None) -> list[PathwayProgress]:
    """Progress on each pathway where at least one step is held (pure).

    ``held`` maps lineage → validFrom of the learner's earliest active credential
    of it (a plain set means "held, time unknown": order and time limits are then
    not checked). Rules: all steps or any N (``min_required``); ``ordered``:
    each component's validFrom not before the previous one's; ``max_months``
    from the first component to the one that completes it.
    """
    times: Mapping[str, datetime | None] = held if isinstance(held, Mapping) \
        else dict.fromkeys(held)
    now = now or utcnow()
    return [p for pathway in pathways if (p := _one(pathway, times, now)) is not None]


def held_times(user_id: int) -> dict[str, datetime]:
    """Lineage → earliest validFrom of the learner's active, non-expired credentials."""
    now = utcnow()
    rows = db.session.execute(
        db.select(Achievement.lineage, Credential.valid_from, Credential.valid_until)
        .join(Credential, Credential.achievement_id == Achievement.id)
        .where(Credential.recipient_user_id == user_id,
               Credential.state == CredentialState.ACTIVE)
    )
    found: dict[str, datetime] = {}
    for lineage, start, until in rows:
        if start <= now and (until is None or until >= now):
            found[lineage] = min(start, found.get(lineage, start))
    return found


def held_lineages(user_id: int) -> set[str]:
    """Lineages of the learner's active, non-expired credentials (one query)."""
    return set(held_times(user_id))


def pathways_with(lineages: Iterable[str]) -> list[Pathway]:
    """Pathways that have a step of one of these achievement lineages (one query)."""
    return list(db.session.scalars(
        db.select(Pathway).join(PathwayStep).join(Achievement)
        .where(Achievement.lineage.in_(list(lineages)))
        .options(joinedload(Pathway.organisation), joinedload(Pathway.target),
                 selectinload(Pathway.steps).joinedload(PathwayStep.achievement)
                 .joinedload(Achievement.organisation))
        .order_by(Pathway.name)
    ).unique())


def for_user(user_id: int) -> list[PathwayProgress]:
    """Progress for the pathways this learner has started, most complete first."""
    lineages = held_times(user_id)
    if not lineages:
        return []
    found = progress(pathways_with(lineages), lineages)
    found.sort(key=lambda p: (p.complete, -p.percent))
    return found

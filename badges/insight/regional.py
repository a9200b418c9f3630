"""Regional statistics for ``/statistieken``: credentials and learners per quarter, protected.

Counted are credentials that were not revoked, by the quarter they were earned (``validFrom``),
for the last ``QUARTERS`` quarters; learners are told apart by their account, or by their
address when they have none (only counted, never returned). Every table goes through
``disclosure.build`` before anything leaves this module.

These are counted from the credential rows of those quarters (learners per cell are distinct
people, which additive rollups cannot give), then kept for INSIGHT_REGIONAL_CACHE_SECONDS.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from badges.catalogue.labels import kind_label
from badges.catalogue.models import Achievement, PathwayStep, Skill, achievement_skill
from badges.insight import disclosure
from badges.insight.disclosure import Table
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.listings.models import Listing
from badges.listings.services import SECTORS
from badges.organisations.models import Organisation
from badges.trajectories.models import AwardState, TrajectoryAward

QUARTERS = 8
UNKNOWN = "onbekend"

DIMENSIONS: dict[str, object] = {
    "type": _l("Soort bewijs"),
    "sector": _l("Sector"),
    "level": _l("Niveau (mbo of NLQF)"),
    "issuer_kind": _l("Soort uitgever"),
    "skill": _l("Vaardigheid (de 15 meest voorkomende)"),
    "llo": _l("LLO-trajecten"),
}
# Tables whose rows overlap (a credential has several skills; a learner starts, then
# completes): their column totals would count people twice, so they are not published.
NO_COLUMN_TOTALS = {"skill", "llo"}
TOP_SKILLS = 15


def quarter_of(moment: datetime) -> str:
    return f"{moment.year}-K{(moment.month - 1) // 3 + 1}"


def last_quarters(now: datetime, count: int = QUARTERS) -> list[str]:
    year, quarter = now.year, (now.month - 1) // 3 + 1
    out = []
    for _ in range(count):
        out.append(f"{year}-K{quarter}")
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out[::-1]


@dataclass(frozen=True)
class Earned:
    quarter: str
    learner: str
    kind: str
    sector: str
    level: str
    issuer_kind: str
    skills: tuple[str, ...]


def _learner_key(user_id: int | None, email: str | None) -> str:
    return f"u{user_id}" if user_id is not None else f"e{(email or '').strip().lower()}"


def quarter_start(quarter: str) -> datetime:
    year, number = quarter.split("-K")
    return datetime(int(year), 3 * (int(number) - 1) + 1, 1, tzinfo=UTC)


def _earned(quarters: set[str]) -> list[Earned]:
    sector_of = dict(db.session.execute(
        select(Listing.achievement_lineage, Listing.sector).where(Listing.achievement_lineage.is_not(None))
    ).all())
    skills_of: dict[int, list[str]] = defaultdict(list)
    for achievement_id, label in db.session.execute(
            select(achievement_skill.c.achievement_id, Skill.label)
            .join(Skill, Skill.id == achievement_skill.c.skill_id)):
        skills_of[achievement_id].append(label)
    rows = db.session.execute(
        select(Credential.valid_from, Credential.recipient_user_id, Credential.recipient_email,
               Achievement.id, Achievement.kind, Achievement.lineage, Achievement.mbo_level,
               Achievement.nlqf_level, Organisation.kind)
        .join(Achievement, Achievement.id == Credential.achievement_id)
        .join(Organisation, Organisation.id == Credential.organisation_id)
        .where(Credential.state != CredentialState.REVOKED,
               # Older credentials are never counted: leave them in the database.
               Credential.valid_from >= quarter_start(min(quarters))))
    out = []
    for valid_from, user_id, email, achievement_id, kind, lineage, mbo, nlqf, org_kind in rows:
        quarter = quarter_of(valid_from)
        if quarter not in quarters:
            continue
        level = f"mbo {mbo}" if mbo else f"NLQF {nlqf}" if nlqf else UNKNOWN
        out.append(Earned(quarter, _learner_key(user_id, email), str(kind),
                          sector_of.get(lineage) or UNKNOWN, level, str(org_kind),
                          tuple(skills_of.get(achievement_id, ()))))
    return out


def _table(items: Iterable[Earned], quarters: list[str], key: Callable[[Earned], Iterable[str]],
           order: list[str] | None = None) -> Table:
    counts: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for item in items:
        for row in key(item):
            count, learners = counts.get((row, item.quarter), (0, set()))
            learners.add(item.learner)
            counts[(row, item.quarter)] = (count + 1, learners)
    rows = order or sorted({row for row, _ in counts})
    return disclosure.build(rows, quarters, counts)


@dataclass
class Statistics:
    quarters: list[str]
    tables: dict[str, Table]
    labels: dict[str, dict[str, str]]  # dimension → row key → label


def _label(dimension: str, key: str) -> str:
    if dimension == "llo":
        return str(LLO_LABELS[key])
    if key == UNKNOWN:
        return str(_l("Onbekend"))
    if dimension in ("type", "issuer_kind"):
        return kind_label(key)
    if dimension == "sector":
        return str(SECTORS.get(key, key))
    return key


# Counted tables per window, kept for INSIGHT_REGIONAL_CACHE_SECONDS: the page is public, and
# counting a million credentials takes seconds; quarterly figures need not be fresher.
_cache: dict[str, tuple[float, dict[str, Table]]] = {}


def regional(now: datetime | None = None) -> Statistics:
    quarters = last_quarters(now or datetime.now(UTC))
    ttl = current_app.config["BADGES"]["INSIGHT_REGIONAL_CACHE_SECONDS"]
    key = quarters[-1]
    cached = _cache.get(key)
    if ttl and cached and cached[0] > time.monotonic():
        tables = cached[1]
    else:
        tables = _tables(quarters)
        if ttl:
            _cache.clear()
            _cache[key] = (time.monotonic() + ttl, tables)
    labels = {dim: {row: _label(dim, row) for row in table.rows} for dim, table in tables.items()}
    return Statistics(quarters, tables, labels)


def _tables(quarters: list[str]) -> dict[str, Table]:
    earned = _earned(set(quarters))
    skill_totals: dict[str, int] = defaultdict(int)
    for item in earned:
        for skill in item.skills:
            skill_totals[skill] += 1
    top_skills = sorted(skill_totals, key=lambda s: (-skill_totals[s], s))[:TOP_SKILLS]
    return {
        "type": _table(earned, quarters, lambda e: [e.kind]),
        "sector": _table(earned, quarters, lambda e: [e.sector]),
        "level": _table(earned, quarters, lambda e: [e.level]),
        "issuer_kind": _table(earned, quarters, lambda e: [e.issuer_kind]),
        "skill": _table(earned, quarters, lambda e: [s for s in e.skills if s in top_skills],
                        order=top_skills),
        "llo": _llo(quarters),
    }


def _llo(quarters: list[str]) -> Table:
    """LLO trajectories: learners who started one (earned a first step) and who completed one."""
    wanted = set(quarters)
    firsts: dict[tuple[int, str], datetime] = {}
    for pathway_id, valid_from, user_id, email in db.session.execute(
            select(PathwayStep.pathway_id, Credential.valid_from, Credential.recipient_user_id,
                   Credential.recipient_email)
            .join(Achievement, Achievement.id == PathwayStep.achievement_id)
            .join(Credential, Credential.achievement_id == Achievement.id)
            .where(Credential.state != CredentialState.REVOKED)):
        key = (pathway_id, _learner_key(user_id, email))
        if key not in firsts or valid_from < firsts[key]:
            firsts[key] = valid_from
    counts: dict[tuple[str, str], tuple[int, set[str]]] = {}

    def add(row: str, quarter: str, learner: str) -> None:
        if quarter in wanted:
            count, learners = counts.get((row, quarter), (0, set()))
            learners.add(learner)
            counts[(row, quarter)] = (count + 1, learners)

    for (_, learner), first in firsts.items():
        add("started", quarter_of(first), learner)
    for user_id, decided_at, created_at in db.session.execute(
            select(TrajectoryAward.user_id, TrajectoryAward.decided_at, TrajectoryAward.created_at)
            .where(TrajectoryAward.state == AwardState.ISSUED)):
        add("completed", quarter_of(decided_at or created_at), f"u{user_id}")
    return disclosure.build(["started", "completed"], quarters, counts)


LLO_LABELS = {"started": _l("LLO-trajecten begonnen"), "completed": _l("LLO-trajecten afgerond")}

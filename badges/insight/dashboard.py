"""An organisation's figures (with its sub-units rolled up), read from the rollups only.

``figures(org, period)`` answers the dashboard, its exports and ``GET /api/v1/stats``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from badges.catalogue.models import Achievement, AchievementKind
from badges.insight.models import DailyCount
from badges.issuing.models import BulkJob
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation

SHOWN = ("issued", "claimed", "shared", "viewed", "verified", "revoked", "suspended", "expired")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    granularity: str = "month"  # or "week"

    @classmethod
    def parse(cls, start: str | None, end: str | None, granularity: str | None) -> Period:
        """From query parameters (ISO dates); the last twelve months by default."""
        today = utcnow().date()
        try:
            last = date.fromisoformat(end) if end else today
            first = date.fromisoformat(start) if start else (last - timedelta(days=365))
        except ValueError as exc:
            raise ValueError("dates are YYYY-MM-DD") from exc
        if first > last:
            raise ValueError("the start lies after the end")
        if (last - first).days > 366 * 5:
            raise ValueError("at most five years at once")
        return cls(first, last, "week" if granularity == "week" else "month")

    def first_day_of(self, day: date) -> date:
        """The first day of the week (Monday) or month that ``day`` lies in."""
        if self.granularity == "week":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    def first_day(self) -> date:
        return self.first_day_of(self.start)

    def bucket(self, day: date) -> str:
        if self.granularity == "week":
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{day.year}-{day.month:02d}"

    def buckets(self) -> list[str]:
        out: list[str] = []
        day = self.first_day()
        while day <= self.end:
            label = self.bucket(day)
            if not out or out[-1] != label:
                out.append(label)
            day += timedelta(days=1 if self.granularity == "week" else 28)
        last = self.bucket(self.end)
        if out[-1] != last:
            out.append(last)
        return out


@dataclass
class Row:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    claim_seconds: int = 0

    def get(self, metric: str) -> int:
        return self.counts.get(metric, 0)

    @property
    def claim_rate(self) -> float | None:
        issued = self.get("issued")
        return round(100 * self.get("claimed") / issued, 1) if issued else None

    @property
    def days_to_claim(self) -> float | None:
        claimed = self.get("claimed")
        return round(self.claim_seconds / claimed / 86400, 1) if claimed else None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, **{m: self.get(m) for m in SHOWN},
                "claim_rate_percent": self.claim_rate, "mean_days_to_claim": self.days_to_claim}


@dataclass
class Figures:
    organisation: Organisation
    units: list[Organisation]
    period: Period
    total: Row
    achievements: list[Row]
    series: list[Row]
    bulk_jobs: list[BulkJob]


def units_of(org: Organisation) -> list[Organisation]:
    """The organisation and every sub-unit below it, at any depth."""
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    for unit in db.session.scalars(select(Organisation)):
        children[unit.parent_id].append(unit)
    found, todo = [], [org]
    while todo:
        unit = todo.pop()
        found.append(unit)
        todo.extend(children.get(unit.id, []))
    return found


def _add(row: Row, metric: str, count: int) -> None:
    if metric == "claim_seconds":
        row.claim_seconds += count
    elif metric == "expiring":
        row.counts["expired"] = row.get("expired") + count
    else:
        row.counts[metric] = row.get(metric) + count


def figures(org: Organisation, period: Period, *, achievement_uuid: str | None = None,
            kind: str | None = None) -> Figures:
    """Read the week or month rollups of the period (whole periods: from its first day).

    Two grouped queries of at most a few thousand rows each, whatever the volume: per
    achievement × metric, and per period × metric. "Expired" counts the validity ends up to
    today: the days still to come in the current week or month are taken off again.
    """
    units = units_of(org)
    unit_ids = [u.id for u in units]
    grain = "w" if period.granularity == "week" else "m"
    first = period.first_day()
    today = utcnow().date()
    count = func.sum(DailyCount.count)

    def scoped(query: Any, *, grain: str = grain, since: date = first) -> Any:
        query = query.where(DailyCount.organisation_id.in_(unit_ids), DailyCount.grain == grain,
                            DailyCount.day >= since, DailyCount.day <= period.end)
        if achievement_uuid or kind:
            query = query.join(Achievement, Achievement.id == DailyCount.achievement_id)
            if achievement_uuid:
                query = query.where(Achievement.uuid == achievement_uuid)
            if kind:
                query = query.where(Achievement.kind == AchievementKind(kind))
        return query

    not_future = ~((DailyCount.metric == "expiring") & (DailyCount.day > today))
    per_achievement_rows = db.session.execute(scoped(
        select(DailyCount.achievement_id, DailyCount.metric, count).where(not_future))
        .group_by(DailyCount.achievement_id, DailyCount.metric)).all()
    per_period_rows = db.session.execute(scoped(
        select(DailyCount.day, DailyCount.metric, count).where(not_future))
        .group_by(DailyCount.day, DailyCount.metric)).all()
    # Validity ends later in the current week or month: counted in its row, not expired yet.
    current_start = period.first_day_of(today)
    to_come = db.session.execute(scoped(
        select(DailyCount.achievement_id, count).where(
            DailyCount.metric == "expiring", DailyCount.day > today),
        grain="d", since=max(first, current_start))
        .group_by(DailyCount.achievement_id)).all() if current_start <= period.end else []

    total = Row("total", "")
    per_achievement: dict[int, Row] = {}
    for achievement_id, metric, n in per_achievement_rows:
        row = per_achievement.setdefault(achievement_id, Row(str(achievement_id), ""))
        _add(row, metric, int(n or 0))
        _add(total, metric, int(n or 0))
    for achievement_id, n in to_come:
        row = per_achievement.setdefault(achievement_id, Row(str(achievement_id), ""))
        row.counts["expired"] = row.get("expired") - int(n or 0)
        total.counts["expired"] = total.get("expired") - int(n or 0)
    series = {label: Row(label, label) for label in period.buckets()}
    for day, metric, n in per_period_rows:
        label = period.bucket(day)
        _add(series.setdefault(label, Row(label, label)), metric, int(n or 0))
    if to_come and period.bucket(today) in series:
        current = series[period.bucket(today)]
        current.counts["expired"] = current.get("expired") - sum(int(n or 0) for _, n in to_come)
    named = {id_: (uuid, name) for id_, uuid, name in db.session.execute(
        select(Achievement.id, Achievement.uuid, Achievement.name)
        .where(Achievement.id.in_(list(per_achievement) or [0])))}
    achievements = sorted(per_achievement.values(), key=lambda r: (-r.get("issued"), r.key))
    for row in achievements:
        row.key, row.label = named.get(int(row.key), (row.key, ""))
    bulk_jobs = list(db.session.scalars(
        select(BulkJob).where(BulkJob.organisation_id.in_(unit_ids)).order_by(BulkJob.id.desc()).limit(10)))
    return Figures(org, units, period, total, achievements,
                   [series[k] for k in sorted(series)], bulk_jobs)

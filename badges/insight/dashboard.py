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

    def bucket(self, day: date) -> str:
        if self.granularity == "week":
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{day.year}-{day.month:02d}"

    def buckets(self) -> list[str]:
        out: list[str] = []
        day = self.start
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


def _add(row: Row, metric: str, count: int, *, expired_until: date, day: date) -> None:
    if metric == "claim_seconds":
        row.claim_seconds += count
    elif metric == "expiring":
        if day <= expired_until:
            row.counts["expired"] = row.get("expired") + count
    else:
        row.counts[metric] = row.get(metric) + count


def figures(org: Organisation, period: Period, *, achievement_uuid: str | None = None,
            kind: str | None = None) -> Figures:
    units = units_of(org)
    unit_ids = [u.id for u in units]
    achievement_filter = []
    if achievement_uuid:
        achievement_filter.append(Achievement.uuid == achievement_uuid)
    if kind:
        achievement_filter.append(Achievement.kind == AchievementKind(kind))
    base = (select(DailyCount.achievement_id, DailyCount.day, DailyCount.metric,
                   func.sum(DailyCount.count))
            .where(DailyCount.organisation_id.in_(unit_ids),
                   DailyCount.day >= period.start, DailyCount.day <= period.end))
    if achievement_filter:
        base = base.join(Achievement, Achievement.id == DailyCount.achievement_id).where(*achievement_filter)
    rows = db.session.execute(base.group_by(DailyCount.achievement_id, DailyCount.day,
                                            DailyCount.metric)).all()
    expired_until = min(period.end, utcnow().date())
    total = Row("total", "")
    per_achievement: dict[int, Row] = {}
    series = {label: Row(label, label) for label in period.buckets()}
    for achievement_id, day, metric, count in rows:
        count = int(count or 0)
        _add(total, metric, count, expired_until=expired_until, day=day)
        row = per_achievement.setdefault(achievement_id, Row(str(achievement_id), ""))
        _add(row, metric, count, expired_until=expired_until, day=day)
        bucket = series.setdefault(period.bucket(day), Row(period.bucket(day), period.bucket(day)))
        _add(bucket, metric, count, expired_until=expired_until, day=day)
    names = dict(db.session.execute(select(Achievement.id, Achievement.name)
                                    .where(Achievement.id.in_(list(per_achievement) or [0]))).all())
    uuids = dict(db.session.execute(select(Achievement.id, Achievement.uuid)
                                    .where(Achievement.id.in_(list(per_achievement) or [0]))).all())
    achievements = sorted(per_achievement.values(), key=lambda r: (-r.get("issued"), r.key))
    for row in achievements:
        row.label = names.get(int(row.key), "")
        row.key = uuids.get(int(row.key), row.key)
    bulk_jobs = list(db.session.scalars(
        select(BulkJob).where(BulkJob.organisation_id.in_(unit_ids)).order_by(BulkJob.id.desc()).limit(10)))
    return Figures(org, units, period, total, achievements,
                   [series[k] for k in sorted(series)], bulk_jobs)

"""Rollups: one row per organisation × achievement × period × metric, bumped as things happen.

Every count is kept three times, by day, by ISO week and by month (``grain`` "d", "w", "m";
``day`` is the first day of the period), so a dashboard reads a few thousand rows whatever the
volume: the dashboards never read the credentials themselves, and answer as fast with a
million credentials as with ten (``bench/insight_dashboard.py`` measures it).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from badges.kernel.models import Base

# What is counted. "claim_seconds" sums the time from issue to claim (divided by "claimed"
# it is the mean); "expiring" is counted on the day a credential's validity ends, so the
# expired in a period are the "expiring" on its days up to today.
METRICS = ("issued", "claimed", "claim_seconds", "shared", "viewed", "verified", "revoked",
           "suspended", "reinstated", "expiring")


class DailyCount(Base):
    __tablename__ = "daily_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id", ondelete="CASCADE"))
    grain: Mapped[str] = mapped_column(String(1))  # "d", "w" or "m"
    day: Mapped[date] = mapped_column(Date)  # the period's first day
    metric: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (
        UniqueConstraint("organisation_id", "achievement_id", "grain", "day", "metric",
                         name="uq_daily_count_key"),
        Index("ix_daily_count_org_grain_day", "organisation_id", "grain", "day"),
    )

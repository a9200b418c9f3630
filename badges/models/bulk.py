"""Bulk issuing jobs: one uploaded CSV, its rows and how far issuing got.

A row's ``state`` is the resume point: a job that is run again only touches
rows that are still ``pending``, and a chunk's credentials and its rows'
new states commit in one transaction, so a killed run never issues twice.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.base import Base, CreatedAt, new_uuid, value_enum
from badges.models.organisation import Organisation


class BulkJobState(enum.StrEnum):
    PREVIEW = "preview"  # parsed and validated, waiting for the issuer's go
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class BulkRowState(enum.StrEnum):
    PENDING = "pending"
    ISSUED = "issued"
    SKIPPED = "skipped"  # already issued earlier (same person × achievement × period)
    INVALID = "invalid"


class BulkJob(CreatedAt, Base):
    __tablename__ = "bulk_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(10), default="web")  # "web" | "api"
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str] = mapped_column(String(20), default="utf-8")
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[BulkJobState] = mapped_column(
        value_enum(BulkJobState), default=BulkJobState.PREVIEW
    )
    total: Mapped[int] = mapped_column(default=0)
    valid: Mapped[int] = mapped_column(default=0)
    invalid: Mapped[int] = mapped_column(default=0)
    issued: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship()

    @property
    def counts(self) -> dict[str, int]:
        return {"total": self.total, "valid": self.valid, "invalid": self.invalid,
                "issued": self.issued, "skipped": self.skipped,
                "pending": max(self.valid - self.issued - self.skipped, 0)}

    __table_args__ = (Index("ix_bulk_job_organisation_id", "organisation_id"),)


class BulkRow(Base):
    __tablename__ = "bulk_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("bulk_job.id", ondelete="CASCADE"))
    line: Mapped[int]  # line number in the file, header is line 1
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # normalised cells
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # {field, message}
    state: Mapped[BulkRowState] = mapped_column(
        value_enum(BulkRowState), default=BulkRowState.PENDING
    )
    achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievement.id", ondelete="SET NULL")
    )
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("job_id", "line"),
        Index("ix_bulk_row_job_id_state", "job_id", "state"),
    )

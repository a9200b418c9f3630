"""Recording audit events inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from flask import g, has_app_context
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from badges.kernel.bulk_rows import insert_rows
from badges.kernel.db import db
from badges.kernel.models import Base, CreatedAt, utcnow


def acting_as(label: str) -> None:
    """Name a non-person actor (an API token, an OAuth client) for this request's audit rows."""
    g.audit_actor = label[:160]


def _actor_label() -> str | None:
    return g.get("audit_actor") if has_app_context() else None


def current_actor_label() -> str | None:
    """The label set by ``acting_as`` in this context, to hand on to a background job."""
    return _actor_label()


def record(
    action: str,
    *,
    actor_id: int | None = None,
    organisation_id: int | None = None,
    subject_type: str = "",
    subject_id: str | int = "",
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_user_id=actor_id,
        organisation_id=organisation_id,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details,
        actor_label=_actor_label(),
    )
    db.session.add(event)
    return event


def record_many(action: str, subject_ids: list[str], *, actor_id: int | None = None,
                organisation_id: int | None = None, subject_type: str = "",
                details: list[dict[str, Any]] | None = None) -> None:
    """One event per subject, written together (COPY on PostgreSQL): bulk issuing writes
    thousands."""
    if not subject_ids:
        return
    now = utcnow()
    label = _actor_label()
    rows = [{"action": action, "actor_user_id": actor_id, "actor_label": label,
             "organisation_id": organisation_id, "subject_type": subject_type,
             "subject_id": str(subject_id), "details": details[i] if details else {},
             "created_at": now}
            for i, subject_id in enumerate(subject_ids)]
    insert_rows(db.session, AuditEvent.__table__, rows)


class AuditEvent(CreatedAt, Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    # Who acted when it was no person: "API: <token label> (<prefix>…)"; see acting_as.
    actor_label: Mapped[str | None] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(60))  # "credential.issue", ...
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_audit_event_organisation_id_created_at", "organisation_id", "created_at"),
    )

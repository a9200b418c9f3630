"""Recording audit events inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from badges.bulk_rows import insert_rows
from badges.extensions import db
from badges.models import AuditEvent, utcnow


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
    rows = [{"action": action, "actor_user_id": actor_id,
             "organisation_id": organisation_id, "subject_type": subject_type,
             "subject_id": str(subject_id), "details": details[i] if details else {},
             "created_at": now}
            for i, subject_id in enumerate(subject_ids)]
    insert_rows(db.session, AuditEvent.__table__, rows)

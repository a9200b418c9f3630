"""Recording audit events inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from badges.extensions import db
from badges.models import AuditEvent


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

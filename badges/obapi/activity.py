"""What apps did with a learner's passport: recorded in the caller's transaction, shown to the learner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.obapi.models import ObActivity

COALESCED = {"credentials_read", "profile_read"}  # an app may poll: one row per day and kind
SHOWN = 10


def note(user_id: int, client_id: int, action: str, detail: str = "") -> None:
    now = utcnow()
    if action in COALESCED:
        last = db.session.scalar(db.select(ObActivity).filter_by(user_id=user_id, client_id=client_id)
                                 .order_by(ObActivity.at.desc(), ObActivity.id.desc()).limit(1))
        if last is not None and last.action == action and last.detail == detail \
                and last.at.date() == now.date():
            last.times += 1
            last.at = now
            return
    db.session.add(ObActivity(user_id=user_id, client_id=client_id, action=action, detail=detail[:200],
                              at=now))


@dataclass(frozen=True)
class Line:
    at: datetime
    text: str


def recent(user_id: int, client_id: int) -> list[Line]:
    """The latest things this app did, newest first, in the learner's language."""
    rows = db.session.scalars(db.select(ObActivity).filter_by(user_id=user_id, client_id=client_id)
                              .order_by(ObActivity.at.desc(), ObActivity.id.desc()).limit(SHOWN))
    return [Line(row.at, _text(row)) for row in rows]


def _text(row: ObActivity) -> str:
    times = _(" (%(n)d keer)", n=row.times) if row.times > 1 else ""
    if row.action == "consent":
        return _("Je gaf toegang")
    if row.action == "credentials_read":
        count = int(row.detail) if row.detail.isdigit() else 0
        return ngettext("Haalde %(num)d bewijs op", "Haalde %(num)d bewijzen op", count) + times
    if row.action == "credential_added":
        return _("Zette ‘%(name)s’ in je pas", name=row.detail)
    if row.action == "credential_replaced":
        return _("Verving ‘%(name)s’ in je pas", name=row.detail)
    if row.action == "profile_read":
        return _("Bekeek je naam en e-mailadres") + times
    if row.action == "profile_updated":
        return _("Wijzigde je naam")
    return row.action

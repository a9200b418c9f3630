"""Claim links: how long an emailed link works, and a new one from the issuer.

A claim link is a bearer token for a credential (the grade included) until
the recipient puts it in a passport. Mailboxes get forwarded, shared and
breached, so a link stops working after ``CLAIM_LINK_DAYS`` (default 90). The
issuer can then send a new link, or make one to pass on another way; either
way the old link stops at once (one token per credential).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from badges.issuing import notifications
from badges.issuing.models import Credential, CredentialState
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret


def valid_for() -> timedelta:
    return timedelta(days=current_app.config["BADGES"]["CLAIM_LINK_DAYS"])


def sent_at(cred: Credential) -> datetime:
    """When the current link was made (credentials from before the column: issued)."""
    when = cred.claim_link_sent_at or cred.issued_at
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def is_expired(cred: Credential, now: datetime | None = None) -> bool:
    return (now or utcnow()) > sent_at(cred) + valid_for()


def can_renew(cred: Credential) -> bool:
    """Only a credential that nobody claimed yet and that still counts gets a new link."""
    return cred.recipient_user_id is None and cred.state != CredentialState.REVOKED


def new_token(cred: Credential) -> str:
    """A new claim token for ``cred`` (the old one stops working; the validity restarts).

    In the caller's transaction: renewing here and the reminders both use it.
    """
    token = secrets.token_urlsafe(24)
    cred.claim_token_hash = hash_secret(token)
    cred.claim_link_sent_at = utcnow()
    return token


def renew(cred: Credential, *, actor_id: int | None, send: bool) -> str:
    """Make a new claim link (the old one stops); mail it when ``send``. Returns the link."""
    if not can_renew(cred):
        raise ServiceError(_("Dit bewijs staat al in een pas of is ingetrokken: er is geen "
                             "claimlink meer nodig."), code="not_claimable")
    token = new_token(cred)
    audit.record("credential.claim_link", actor_id=actor_id,
                 organisation_id=cred.organisation_id, subject_type="credential",
                 subject_id=cred.uuid, sent=send)
    db.session.commit()
    if send:
        notifications.send_issued_email(cred.id, token)
    return notifications.claim_url(token)

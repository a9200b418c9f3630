"""Reissuing: a fresh credential with the same data, e.g. after a correction.

The old credential is revoked (reason recorded) or kept, as the issuer
chooses; the new one gets a new id, status entries and claim link. The
dedup key is not copied (it would forbid the very reissue we want).
"""

from __future__ import annotations

from flask_babel import gettext as _

from badges.catalogue.achievements import latest_version
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState
from badges.kernel import urls
from badges.kernel.db import db
from badges.kernel.errors import Conflict, ServiceError
from badges.organisations.models import Organisation


def reissue(old: Credential, *, revoke_old: bool, reason: str, actor_id: int | None,
            achievement: Achievement | None = None, recipient_name: str | None = None,
            recipient_email: str | None = None) -> issuing.Issued:
    """Issue a new credential like ``old`` (optionally with corrections)."""
    if not reason.strip():
        raise ServiceError(_("Geef een reden op."), field="reason")
    target = achievement or old.achievement
    if target.state != AchievementState.PUBLISHED:
        newest = latest_version(target)
        if newest.state != AchievementState.PUBLISHED:
            raise ServiceError(_("Deze prestatie wordt niet meer uitgegeven."),
                               code="not_published")
        target = newest
    request = issuing.IssueRequest(
        achievement=target,
        recipient_email=recipient_email or old.recipient_email or "",
        recipient_name=recipient_name or old.recipient_name,
        evidence=list(old.evidence or []), result=dict(old.result or {}),
        assessor=old.assessor, source=_source_of(old), valid_until=old.valid_until,
    )
    done = issuing.add(old.organisation, [request], actor_id=actor_id)
    if not done:
        db.session.rollback()
        raise Conflict("Deze persoon heeft dit al gekregen.", code="duplicate")
    if revoke_old and old.state != CredentialState.REVOKED:
        issuing.set_state(old, CredentialState.REVOKED,
                          _("Vervangen door een nieuw bewijs: %(r)s", r=reason.strip()),
                          actor_id=actor_id)
    issuing.commit()  # the new credential and the old one's revocation, or neither
    return done[0]


def _source_of(old: Credential) -> Organisation | None:
    """The source organisation named in the old document, if it is one of ours."""
    subject = old.document.get("credentialSubject", {}) if old.document else {}
    source_id = (subject.get("source") or {}).get("id", "")
    prefix = urls.issuer_id("")
    if not source_id.startswith(prefix):
        return None
    return db.session.scalar(db.select(Organisation).filter_by(slug=source_id[len(prefix):]))


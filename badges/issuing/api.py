"""``/api/v1/credentials``: issue one credential, read it, change its status.

Idempotency (documented in the OpenAPI document):
- With an ``Idempotency-Key`` header, the key (per organisation) is the
  credential's dedup key: repeating the call returns the credential made by
  the first call with **200** and ``Idempotent-Replayed: true``; the same
  key with a different achievement or recipient is a 409.
- Without it, one credential per recipient × achievement × ``period``: an
  identical second call also answers **200** with the existing credential.
- **201** means a credential was issued by this call; the body is the
  signed credential and ``Location`` points at ``GET /api/v1/credentials/<id>``.
Another organisation's credential does not exist for this token (404).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from marshmallow import ValidationError

from badges.accounts.services import normalise_email
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import services as issuing
from badges.issuing import vc_jwt
from badges.issuing.models import Credential, CredentialState
from badges.issuing.schemas import (
    IssueCredentialSchema,
    StateChangeSchema,
    credential_schema,
    validation_problem,
)
from badges.issuing.web.negotiation import wants_jwt
from badges.kernel.errors import Conflict, NotFound, ServiceError
from badges.kernel.extensions import csrf, db, limiter
from badges.organisations.api_auth import RATE_LIMIT, organisation, rate_key, token_required

bp = Blueprint("api_credentials", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit(RATE_LIMIT, key_func=rate_key)(bp)


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError({"_body": ["Send a JSON object (Content-Type: application/json)."]})
    return body


def _achievement(ref: str) -> Achievement:
    uuid = ref.rstrip("/").rsplit("/", 1)[-1]
    found = db.session.scalar(db.select(Achievement).filter_by(
        uuid=uuid, organisation_id=organisation().id))
    if found is None:
        raise ValidationError({"achievement": ["Unknown achievement for this issuer."]})
    if found.state != AchievementState.PUBLISHED:
        raise ValidationError({"achievement": ["This achievement is not published."]})
    return found


def _own(credential_id: str) -> Credential:
    cred = db.session.scalar(db.select(Credential).filter_by(
        uuid=credential_id, organisation_id=organisation().id))
    if cred is None:
        raise NotFound("No such credential.")
    return cred


def _location(cred: Credential) -> str:
    return url_for("api_credentials.get_credential", credential_id=cred.uuid)


def _existing(dedup: str) -> Credential | None:
    return db.session.scalar(db.select(Credential).filter_by(
        organisation_id=organisation().id, dedup_key=dedup))


@bp.post("/credentials")
@token_required
def issue_credential():
    """Issue one credential (201), or return the one issued before (200)."""
    data = IssueCredentialSchema().load(json_body())
    achievement = _achievement(data["achievement"])
    email = data["recipient"]["email"]
    idem = request.headers.get("Idempotency-Key", "").strip()
    if idem:
        if len(idem) > 200:
            raise ValidationError({"Idempotency-Key": ["At most 200 characters."]})
        dedup = hashlib.sha256(f"api-idempotency|{idem}".encode()).hexdigest()
    else:
        dedup = issuing.dedup_key(email, achievement, data["period"])
    replay = _existing(dedup)
    if replay is None:
        req = issuing.IssueRequest(
            achievement=achievement, recipient_email=email,
            recipient_name=data["recipient"]["name"],
            evidence=[{k: v for k, v in e.items() if v} for e in data["evidence"]],
            result={k: v for k, v in data["result"].items() if v},
            assessor=data["assessor"], valid_until=data["validUntil"], dedup_key=dedup,
        )
        try:
            done = issuing.issue_many(organisation(), [req])
        except Conflict:  # a concurrent identical call won the race
            done = []
        if done:
            response = jsonify(done[0].credential.document)
            response.status_code = 201
            response.headers["Location"] = _location(done[0].credential)
            return response
        replay = _existing(dedup)
    if replay is None:  # pragma: no cover - only if the row vanished in between
        raise Conflict("Already issued; try again.")
    if idem and (replay.achievement.lineage != achievement.lineage
                 or replay.recipient_email != normalise_email(email)):
        raise Conflict("This Idempotency-Key was used for a different request.",
                       code="idempotency_key_reused")
    response = jsonify(replay.document)
    response.headers["Location"] = _location(replay)
    response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/credentials/<credential_id>")
@token_required
def get_credential(credential_id: str):
    """One of your credentials with its current status; ``?format=jwt`` (or ``Accept:
    application/vc+jwt``) gives the credential as a VC-JWT signed by your current key."""
    fmt = request.args.get("format", "json")
    if fmt not in {"json", "jwt"}:
        raise ValidationError({"format": ["Use json or jwt."]})
    cred = _own(credential_id)
    if fmt == "jwt" or wants_jwt():
        return Response(vc_jwt.credential_jwt(cred), mimetype=vc_jwt.MEDIA_TYPE)
    return jsonify(credential_schema("full").dump(cred))


STATES = {"revoke": CredentialState.REVOKED, "suspend": CredentialState.SUSPENDED,
          "reinstate": CredentialState.ACTIVE}


@bp.post("/credentials/<credential_id>/<any(revoke, suspend, reinstate):action>")
@token_required
def change_state(credential_id: str, action: str):
    """Revoke, suspend or reinstate; the status list changes at once."""
    cred = _own(credential_id)
    data = StateChangeSchema().load(request.get_json(silent=True) or {})
    if action == "revoke" and not data["reason"].strip():
        raise ValidationError({"reason": ["Give a reason: the recipient sees it."]})
    try:
        issuing.change_state(cred, STATES[action], data["reason"].strip(), actor_id=None)
    except ServiceError as exc:
        raise Conflict(exc.message, code=exc.code) from exc
    return jsonify(credential_schema("summary").dump(cred))

bp.register_error_handler(ValidationError, validation_problem)

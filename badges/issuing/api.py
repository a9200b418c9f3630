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
from typing import Any, cast

from flask import Blueprint, Response, g, jsonify, request, url_for
from marshmallow import ValidationError

from badges.accounts.services import normalise_email
from badges.catalogue import achievements
from badges.catalogue.models import Achievement
from badges.issuing import approvals, co_issuing, records, rules, vc_jwt
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState, PendingAward
from badges.issuing.schemas import (
    IssueCredentialSchema,
    StateChangeSchema,
    credential_schema,
    validation_problem,
)
from badges.issuing.web.negotiation import wants_jwt
from badges.kernel.errors import Conflict, NotFound, ServiceError
from badges.kernel.extensions import csrf, limiter
from badges.organisations import assessors
from badges.organisations import services as organisations
from badges.organisations.api_auth import RATE_LIMIT, organisation, rate_key, token_required
from badges.organisations.models import Organisation

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
    found = achievements.by_uuid(uuid, organisation())
    problem = rules.achievement_problem(found, organisation().id)
    if problem is not None:
        raise ValidationError({"achievement": [problem.en]})
    return cast(Achievement, found)


def _source(slug: str | None) -> Organisation | None:
    """The assessing organisation named by slug; it must have agreed to be named by you."""
    if not slug:
        return None
    found = organisations.by_slug(slug)
    if found is None:
        raise ValidationError({"source": ["Unknown organisation."]})
    if not assessors.may_name(organisation(), found):
        raise ValidationError({"source": [
            "This organisation has not agreed to be named by you as assessing organisation."]})
    return found


def _own(credential_id: str) -> Credential:
    cred = records.find_in_org(organisation(), credential_id)
    if cred is None:
        raise NotFound("No such credential.")
    return cred


def _location(cred: Credential) -> str:
    return url_for("api_credentials.get_credential", id=cred.uuid)


def _existing(dedup: str) -> Credential | None:
    return records.by_dedup_key(organisation(), dedup)


@bp.post("/credentials")
@token_required("issue")
def issue_credential():
    """Issue one credential (201), or return the one issued before (200).
    ---
    post:
      summary: Issue one credential
      description: >-
        201: issued now; body is the signed OpenBadgeCredential, `Location` its API URL.
        202: held for a second person of your organisation (four-eyes: an mbo-certificaat,
        praktijkverklaring, microcredential or deelcertificaat by default); body
        `{"status": "waiting", "id": ..., "reason": "four_eyes"}`; it is signed once approved.
        200: already issued (same `Idempotency-Key`, or same recipient × achievement ×
        period); body is the existing credential, header `Idempotent-Replayed: true`.
        409: the `Idempotency-Key` was used for a different request.
      security: [{bearer: []}]
      parameters:
        - {name: Idempotency-Key, in: header, required: false,
           schema: {type: string, maxLength: 200}}
      requestBody:
        required: true
        content:
          application/json: {schema: IssueCredentialSchema}
      responses:
        '201':
          description: The signed credential
          content: {application/json: {schema: {type: object, additionalProperties: true}}}
        '202':
          description: Waiting for approval by a second person
          content: {application/json: {schema: {type: object, additionalProperties: true}}}
        '200':
          description: The credential issued before
          content: {application/json: {schema: {type: object, additionalProperties: true}}}
        '202':
          description: >-
            With `partner`: the co-issue request, waiting for the partner
            (`{"coIssueRequest": {"id", "state": "pending", "partner"}}`)
          content: {application/json: {schema: {type: object, additionalProperties: true}}}
        '409':
          description: Idempotency-Key reused for another request
          content: {application/problem+json: {schema: ProblemSchema}}
        '422': Invalid
        '401': Unauthorized
        '403': InsufficientScope
        '429': RateLimited
    """
    data = IssueCredentialSchema().load(json_body())
    achievement = _achievement(data["achievement"])
    email = data["recipient"]["email"]
    if data["partner"]:
        return _ask_partner(data, achievement)
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
            assessor=data["assessor"], source=_source(data["source"]),
            valid_until=data["validUntil"], dedup_key=dedup,
        )
        try:
            outcome = approvals.issue_or_hold(organisation(), req, actor_id=None, via="api",
                                              token_id=g.api_token.id)
            done = [outcome] if isinstance(outcome, issuing.Issued) else []
        except Conflict:  # issued before, or a concurrent identical call won the race
            done, outcome = [], None
        if isinstance(outcome, PendingAward):  # waits for a second person (four-eyes)
            response = jsonify({"status": "waiting", "id": outcome.uuid,
                                "reason": outcome.reason.value,
                                "detail": "This award waits for approval by a second person "
                                          "of your organisation; it is signed after that."})
            response.status_code = 202
            return response
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


def _ask_partner(data: dict, achievement: Achievement):
    """Co-issuing: hold the credential for the partner's consent (202); see co_issuing."""
    partner = organisations.by_slug(data["partner"])
    if partner is None or partner.id == organisation().id:
        raise ValidationError({"partner": ["Unknown organisation, or your own."]})
    if data["source"]:
        raise ValidationError({"source": ["With a partner, the partner is the source."]})
    row = co_issuing.request(organisation(), partner, issuing.IssueRequest(
        achievement=achievement, recipient_email=data["recipient"]["email"],
        recipient_name=data["recipient"]["name"],
        evidence=[{k: v for k, v in e.items() if v} for e in data["evidence"]],
        result={k: v for k, v in data["result"].items() if v}, assessor=data["assessor"],
        valid_until=data["validUntil"]), actor_id=None)
    response = jsonify({"coIssueRequest": {"id": row.uuid, "state": row.state.value,
                                           "partner": partner.slug}})
    response.status_code = 202
    return response


@bp.get("/credentials/<id>")
@token_required("read")
def get_credential(id: str):
    """One of your credentials with its current status, or as a VC-JWT.
    ---
    get:
      summary: A credential of your organisation with its status
      description: "`?format=jwt` or `Accept: application/vc+jwt`: the credential as a compact
        VC-JWT, signed now by your current key (its `kid` is in `/issuers/<slug>/jwks.json`)."
      security: [{bearer: []}]
      parameters:
        - id
        - {name: format, in: query, required: false, schema: {type: string, enum: [json, jwt]}}
      responses:
        '200':
          description: The credential (JSON), or the VC-JWT (application/vc+jwt)
          content:
            application/json: {schema: Credential}
            application/vc+jwt: {schema: {type: string}}
        '404': NotYours
        '409': NoSigningKey
        '422': Invalid
        '401': Unauthorized
        '403': InsufficientScope
        '429': RateLimited
    """
    fmt = request.args.get("format", "json")
    if fmt not in {"json", "jwt"}:
        raise ValidationError({"format": ["Use json or jwt."]})
    cred = _own(id)
    if fmt == "jwt" or wants_jwt():
        return Response(vc_jwt.credential_jwt(cred), mimetype=vc_jwt.MEDIA_TYPE)
    return jsonify(credential_schema("full").dump(cred))


def _change_state(credential_id: str, state: CredentialState, *, reason_required: bool):
    cred = _own(credential_id)
    data = StateChangeSchema().load(request.get_json(silent=True) or {})
    if reason_required and not data["reason"].strip():
        raise ValidationError({"reason": ["Give a reason: the recipient sees it."]})
    try:
        issuing.change_state(cred, state, data["reason"].strip(), actor_id=None)
    except ServiceError as exc:
        raise Conflict(exc.message, code=exc.code) from exc
    return jsonify(credential_schema("summary").dump(cred))


@bp.post("/credentials/<id>/revoke")
@token_required("revoke")
def revoke(id: str):
    """Revoke for good; the recipient sees the reason.
    ---
    post:
      summary: Revoke a credential of your organisation
      security: [{bearer: []}]
      parameters: [id]
      requestBody: {required: true, content: {application/json: {schema: StateChangeSchema}}}
      responses: {'200': StateChanged, '404': NotYours, '409': RevokedStays, '422': Invalid,
                  '401': Unauthorized,
                  '403': InsufficientScope, '429': RateLimited}
    """
    return _change_state(id, CredentialState.REVOKED, reason_required=True)


@bp.post("/credentials/<id>/suspend")
@token_required("revoke")
def suspend(id: str):
    """Suspend until reinstated.
    ---
    post:
      summary: Suspend a credential of your organisation
      security: [{bearer: []}]
      parameters: [id]
      requestBody: {content: {application/json: {schema: StateChangeSchema}}}
      responses: {'200': StateChanged, '404': NotYours, '409': RevokedStays, '422': Invalid,
                  '401': Unauthorized,
                  '403': InsufficientScope, '429': RateLimited}
    """
    return _change_state(id, CredentialState.SUSPENDED, reason_required=False)


@bp.post("/credentials/<id>/reinstate")
@token_required("revoke")
def reinstate(id: str):
    """Make a suspended credential valid again.
    ---
    post:
      summary: Reinstate a suspended credential of your organisation
      security: [{bearer: []}]
      parameters: [id]
      requestBody: {content: {application/json: {schema: StateChangeSchema}}}
      responses: {'200': StateChanged, '404': NotYours, '409': RevokedStays, '422': Invalid,
                  '401': Unauthorized,
                  '403': InsufficientScope, '429': RateLimited}
    """
    return _change_state(id, CredentialState.ACTIVE, reason_required=False)


bp.register_error_handler(ValidationError, validation_problem)

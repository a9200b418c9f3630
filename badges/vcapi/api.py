"""The W3C VC-API: ``/vc-api/issuers/<slug>/credentials/issue``, ``/vc-api/credentials/verify``
and ``/vc-api/presentations/verify``.

Issuing needs an API token of the organisation named by ``<slug>`` (another
organisation's token: 403). Verifying is public and answers 200 when verified,
400 when not, as VC-API says. Bad input is problem+json with a plain reason in
Dutch (``detail_nl``) and English; bodies over ``schemas.MAX_BODY`` are 413.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from badges.credentials.verify.inputs import InputError, parse_json
from badges.kernel.database import read_only
from badges.kernel.errors import problem
from badges.kernel.extensions import csrf, limiter
from badges.organisations.api_auth import RATE_LIMIT, organisation, rate_key, token_required
from badges.vcapi import services
from badges.vcapi.schemas import MAX_BODY, BadRequest, member, status_update

bp = Blueprint("vc_api", __name__, url_prefix="/vc-api")
csrf.exempt(bp)
VERIFY_LIMIT = "60 per minute"


def _body() -> Any:
    length = request.content_length
    if length is not None and length > MAX_BODY:
        raise BadRequest("too_large", f"De aanvraag is groter dan {MAX_BODY // 1024} kB.",
                         f"The request is larger than {MAX_BODY // 1024} kB.", status=413)
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        raise BadRequest("too_large", f"De aanvraag is groter dan {MAX_BODY // 1024} kB.",
                         f"The request is larger than {MAX_BODY // 1024} kB.", status=413)
    try:
        return parse_json(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadRequest("not_text", "De aanvraag is geen UTF-8-tekst.",
                         "The request is not UTF-8 text.") from exc
    except InputError as exc:
        raise BadRequest(exc.code, exc.message_nl, exc.message_en) from exc


@bp.errorhandler(BadRequest)
def refused(exc: BadRequest):
    return problem(exc.status, "Unusable input", exc.message_en, code=exc.code,
                   detail_nl=exc.message_nl)


def _own_slug(slug: str):
    """A 403 when the token is another organisation's, else None."""
    if organisation().slug == slug:
        return None
    return problem(403, "Forbidden", "This token belongs to another organisation.",
                   code="wrong_organisation",
                   detail_nl="Dit token hoort bij een andere organisatie.")


def _verified(answer: dict[str, Any]):
    response = jsonify(answer)
    response.status_code = 200 if answer["verified"] else 400
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/issuers/<slug>/credentials/issue")
@limiter.limit(RATE_LIMIT, key_func=rate_key)
@token_required("issue")
def issue(slug: str):
    """Sign a credential as this organisation (201 with ``verifiableCredential``)."""
    refused_slug = _own_slug(slug)
    if refused_slug is not None:
        return refused_slug
    credential, options = member(_body(), "credential")
    signed = services.issue(organisation(), credential, options)
    response = jsonify({"verifiableCredential": signed})
    response.status_code = 201
    return response


@bp.post("/credentials/verify")
@limiter.limit(VERIFY_LIMIT)
@read_only
def verify_credential():
    """Verify a credential: 200 when verified, 400 when not."""
    credential, _options = member(_body(), "verifiableCredential")
    return _verified(services.verify_credential(credential))


@bp.post("/presentations/verify")
@limiter.limit(VERIFY_LIMIT)
@read_only
def verify_presentation():
    """Verify a presentation and every credential in it: 200 when verified, 400 when not."""
    presentation, options = member(_body(), "verifiablePresentation")
    return _verified(services.verify_presentation(presentation, options))


@bp.post("/issuers/<slug>/credentials/status")
@limiter.limit(RATE_LIMIT, key_func=rate_key)
@token_required("revoke")
def update_status(slug: str):
    """Revoke or suspend a credential signed here (200; lists change at once)."""
    refused_slug = _own_slug(slug)
    if refused_slug is not None:
        return refused_slug
    credential_id, purpose, value = status_update(_body())
    services.update_status(organisation(), credential_id, purpose, value)
    return jsonify({"credentialId": credential_id, "statusPurpose": purpose, "status": value})


#: Outside /vc-api: the suite publishes a list at ``<statusListCredential>/publish``.
status_bp = Blueprint("vc_api_status", __name__)
csrf.exempt(status_bp)


@status_bp.post("/status/<list_uuid>/publish")
@limiter.limit(VERIFY_LIMIT)
def publish(list_uuid: str):
    """Sign and store the list's current bits now (204). Ours are current at once anyway;
    this only saves the next reader the signature."""
    services.publish_list(list_uuid)
    return "", 204

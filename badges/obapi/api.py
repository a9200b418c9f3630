"""The Open Badges 3.0 API (host role) under ``/ims/ob/v3p0``: discovery, OAuth 2.0 endpoints
for apps (registration, token, revocation) and the resource endpoints.

Apps authenticate with client credentials or a Bearer token, never the session cookie,
so the blueprint is exempt from CSRF. OAuth endpoints answer with RFC 6749 JSON errors;
the resource endpoints with the spec's ``Imsx_StatusInfo``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request

from badges.kernel.extensions import csrf, limiter
from badges.obapi import discovery, oauth
from badges.obapi import services as obapi
from badges.obapi.oauth import ApiRefusal

BASE = "/ims/ob/v3p0"
bp = Blueprint("ob_api", __name__, url_prefix=BASE)
csrf.exempt(bp)


def status_info(status: int, minor: str, description: str) -> Response:
    response = jsonify({
        "imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": description,
        "imsx_codeMinor": {"imsx_codeMinorField": [
            {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": minor}]},
    })
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="Open Badges API"'
    elif status == 403:
        response.headers["WWW-Authenticate"] = 'Bearer error="insufficient_scope"'
    return response


@bp.errorhandler(ApiRefusal)
def _refused(exc: ApiRefusal) -> Response:
    return status_info(exc.status, exc.minor, exc.description)


MINOR = {400: "invalid_data", 401: "unauthorizedrequest", 403: "forbidden", 404: "not_found",
         405: "not_allowed", 406: "not_acceptable", 413: "invalid_data", 415: "invalid_data",
         429: "server_busy", 500: "internal_server_error"}


def http_error(status: int, description: str) -> Response | None:
    """HTTP errors under the API's base path (unknown paths and methods too) as Imsx_StatusInfo;
    the consent page is a page for people and keeps the friendly error page."""
    if request.path.startswith(BASE + "/authorize"):
        return None
    return status_info(status, MINOR.get(status, "unknown"), description)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/discovery")
def service_description() -> Response:
    """The ServiceDescriptionDocument (OpenAPI 3.0 with the OAuth 2.0 security scheme)."""
    response = jsonify(discovery.document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.post("/register")
@limiter.limit("10 per hour")
def register() -> Response:
    """Dynamic client registration (RFC 7591): open to any app; its secret is shown once."""
    if not request.is_json:
        return _no_store(Response('{"error": "invalid_client_metadata", "error_description": '
                                  '"send the client metadata as JSON"}', 400, mimetype="application/json"))
    return oauth.register_response()


@bp.post("/token")
@limiter.limit("60 per minute")
def token() -> Response:
    """Authorization code (with the PKCE verifier) or refresh token for tokens."""
    return oauth.token_response()


@bp.post("/revoke")
@limiter.limit("60 per minute")
def revoke() -> Response:
    """Token revocation (RFC 7009) by the app itself."""
    return oauth.revocation_response()


def _link_header(total: int, limit: int, offset: int) -> str:
    def link(rel: str, at: int) -> str:
        query = {k: v for k, v in request.args.items() if k not in ("limit", "offset")}
        query.update(limit=str(limit), offset=str(at))
        return f'<{request.base_url}?{urlencode(query)}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = [link("first", 0)]
    if offset > 0:
        links.append(link("prev", max(0, offset - limit)))
    if offset + limit < total:
        links.append(link("next", offset + limit))
    links.append(link("last", last))
    return ", ".join(links)


@bp.get("/credentials")
@limiter.limit("120 per minute")
def get_credentials() -> Response:
    """getCredentials: the learner's credentials, paged with ``limit``/``offset``, ``since``."""
    token = oauth.authenticate(oauth.CREDENTIAL_READ)
    page = obapi.credentials_page(token, request.args.to_dict())
    body: dict[str, Any] = {}
    if page.credentials:
        body["credential"] = page.credentials
    if page.jws:
        body["compactJwsString"] = page.jws
    response = _no_store(jsonify(body))
    response.headers["X-Total-Count"] = str(page.total)
    response.headers["Link"] = _link_header(page.total, page.limit, page.offset)
    return response


@bp.post("/credentials")
@limiter.limit("60 per minute")
def upsert_credential() -> Response:
    """upsertCredential: verified like an import; 201 added, 200 replaced or already here."""
    token = oauth.authenticate(oauth.CREDENTIAL_UPSERT)
    if request.mimetype in ("application/json", "application/vc+ld+json", "application/ld+json"):
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ApiRefusal(400, "invalid_data", "send the credential as a JSON object")
        text = request.get_data(as_text=True)
    elif request.mimetype == "text/plain":
        text = request.get_data(as_text=True).strip()
        body = None
    else:
        raise ApiRefusal(415, "invalid_data",
                         "send application/json or application/vc+ld+json (a credential), "
                         "or text/plain (a compact JWS)")
    created = obapi.upsert(token, text)
    response = jsonify(body) if body is not None else Response(text, mimetype="text/plain")
    response.status_code = 201 if created else 200
    return _no_store(response)


@bp.get("/profile")
def get_profile() -> Response:
    """getProfile: the learner's name and email address."""
    token = oauth.authenticate(oauth.PROFILE_READ)
    return _no_store(jsonify(obapi.profile(token)))


@bp.put("/profile")
@limiter.limit("30 per minute")
def put_profile() -> Response:
    """putProfile: change the learner's name."""
    token = oauth.authenticate(oauth.PROFILE_UPDATE)
    body = request.get_json(silent=True) if request.is_json else None
    return _no_store(jsonify(obapi.update_profile(token, body)))

"""OpenID4VCI 1.0 endpoints: metadata, token, nonce, credential.

Wallets are public clients: no session, no CSRF (the blueprint is exempt), the
pre-authorized code and the access token are the keys. Every refusal answers
with the specification's JSON error object, never a page and never a 5xx.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from badges.kernel.extensions import csrf, limiter
from badges.wallets import services as wallets

bp = Blueprint("oid4vci", __name__)
csrf.exempt(bp)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(wallets.OAuthError)
def _refused(exc: wallets.OAuthError) -> Response:
    body: dict[str, Any] = {"error": exc.error, "error_description": exc.description}
    if exc.error == "invalid_nonce":
        body["c_nonce"] = wallets.fresh_nonce_for_error()
    response = _json(body, exc.status)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer error="{exc.error}"'
    return response


@bp.get("/.well-known/openid-credential-issuer")
def issuer_metadata() -> Response:
    """Credential issuer metadata: endpoints and the two credential configurations."""
    response = jsonify(wallets.issuer_metadata())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/.well-known/oauth-authorization-server")
def authorization_server_metadata() -> Response:
    """Authorization server metadata (RFC 8414): the token endpoint of the pre-authorized flow."""
    response = jsonify(wallets.authorization_server_metadata())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/oid4vci/offers/<token>")
@limiter.limit("30 per minute")
def offer(token: str) -> Response:
    """A credential offer by reference (the QR code holds only this URL); 404 once spent."""
    payload = wallets.offer_by_reference(token)
    if payload is None:
        return _json({"error": "not_found", "error_description": "no open offer here"}, 404)
    return _json(payload)


@bp.post("/oid4vci/token")
@limiter.limit("30 per minute")
def token() -> Response:
    """Exchange a pre-authorized code and its transaction code for an access token."""
    if request.mimetype != "application/x-www-form-urlencoded":
        raise wallets.OAuthError("invalid_request", "send the token request form-encoded")
    return _json(wallets.exchange_code(request.form.to_dict()))


@bp.post("/oid4vci/nonce")
@limiter.limit("60 per minute")
def nonce() -> Response:
    """A fresh c_nonce for the wallet's key proof."""
    return _json(wallets.new_nonce())


@bp.post("/oid4vci/credential")
@limiter.limit("30 per minute")
def credential() -> Response:
    """The learner's credential, bound to the wallet's key and signed now."""
    body = request.get_json(silent=True) if request.is_json else None  # None: refused after the token
    return _json(wallets.issue_to_wallet(request.headers.get("Authorization", ""), body))

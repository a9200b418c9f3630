"""Bearer tokens for the issuing API: a token stands for one organisation.

Only the token's hash is stored (``api_tokens.authenticate``); the rate limit
is keyed by a digest of the token too, never the token itself. A wrong,
revoked, expired or absent token gets 401 with ``WWW-Authenticate: Bearer``;
a token without the route's scope gets 403 naming the scope (RFC 6750
``insufficient_scope``). Audit rows written by the request name the token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_limiter.util import get_remote_address

from badges.kernel import audit
from badges.kernel.errors import problem
from badges.organisations.api_tokens import Expired, authenticate
from badges.organisations.models import SCOPES, Organisation

RATE_LIMIT = "300 per minute"


def _bearer() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def rate_key() -> str:
    """Per token (hashed); requests without a token share their address's bucket."""
    token = _bearer()
    if token:
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    return "addr:" + get_remote_address()


def unauthorised(detail: str, detail_nl: str, *, error: str = ""):
    response = problem(401, "Unauthorized", detail, code="unauthorized", detail_nl=detail_nl)
    challenge = 'Bearer realm="skillspas"'
    if error:
        challenge += f', error="{error}"'
    response.headers["WWW-Authenticate"] = challenge
    return response


def insufficient_scope(scope: str):
    response = problem(403, "Forbidden", f"This API token does not have the '{scope}' scope.",
                       code="insufficient_scope", scope=scope,
                       detail_nl=f"Deze API-sleutel mag dit niet: de rechten '{scope}' ontbreken.")
    response.headers["WWW-Authenticate"] = (
        f'Bearer realm="skillspas", error="insufficient_scope", scope="{scope}"')
    return response


def token_required(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Resolve the Bearer token to ``g.api_token`` / ``g.organisation`` (401 if none is live),
    and require ``scope`` of it (403)."""
    if scope not in SCOPES:  # a bare @token_required would register the decorator as the view
        raise TypeError(f"token_required needs a scope, one of {SCOPES}: @token_required('issue')")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            token = _bearer()
            if token is None:
                return unauthorised("Send an API token: 'Authorization: Bearer <token>'.",
                                    "Stuur een API-sleutel mee: 'Authorization: Bearer <sleutel>'.")
            try:
                found = authenticate(token)
            except Expired:
                return unauthorised("This API token has expired.",
                                    "Deze API-sleutel is verlopen.", error="invalid_token")
            if found is None:
                return unauthorised("This API token is unknown or revoked.",
                                    "Deze API-sleutel is onbekend of ingetrokken.",
                                    error="invalid_token")
            g.api_token, g.organisation = found
            if scope not in g.api_token.scope_list:
                return insufficient_scope(scope)
            audit.acting_as(g.api_token.actor_label)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def organisation() -> Organisation:
    return g.organisation

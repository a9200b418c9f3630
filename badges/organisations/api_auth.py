"""Bearer tokens for the issuing API: a token stands for one organisation.

Only the token's hash is stored (``api_tokens.authenticate``); the rate limit
is keyed by a digest of the token too, never the token itself. A wrong,
revoked or absent token gets 401 with ``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_limiter.util import get_remote_address

from badges.kernel.errors import problem
from badges.organisations.api_tokens import authenticate
from badges.organisations.models import Organisation

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


def unauthorised(detail: str):
    response = problem(401, "Unauthorized", detail, code="unauthorized")
    response.headers["WWW-Authenticate"] = 'Bearer realm="skillspas"'
    return response


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve the Bearer token to ``g.api_token`` / ``g.organisation`` or answer 401."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = _bearer()
        if token is None:
            return unauthorised("Send an API token: 'Authorization: Bearer <token>'.")
        found = authenticate(token)
        if found is None:
            return unauthorised("This API token is unknown or revoked.")
        g.api_token, g.organisation = found
        return view(*args, **kwargs)

    return wrapper


def organisation() -> Organisation:
    return g.organisation

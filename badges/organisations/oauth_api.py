"""``POST /oauth/token``: OAuth 2.0 client credentials → a short-lived bearer token.

The token works on the API and the VC-API like an API token with the client's scopes
(or those asked for, as far as the client has them) and expires after an hour.
"""

from __future__ import annotations

from flask import Blueprint, current_app

from badges.kernel.extensions import csrf, limiter
from badges.organisations import oauth_server

bp = Blueprint("oauth", __name__, url_prefix="/oauth")
csrf.exempt(bp)


@bp.post("/token")
@limiter.limit("30 per minute")
def token():
    return oauth_server.token_response(current_app._get_current_object())

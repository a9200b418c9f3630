"""The OAuth 2.0 token endpoint's server, built on Authlib (client credentials only).

Authlib does the protocol (client authentication by HTTP Basic or form, grant and scope
checks, the RFC 6749 error bodies, ``Cache-Control: no-store``); we give it our clients
and store the tokens it makes (``oauth_clients``).
"""

from __future__ import annotations

import secrets
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidScopeError, grants
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from flask import Flask, Response

from badges.organisations import oauth_clients
from badges.organisations.models import OAuthClient


class Client(ClientMixin):
    """Authlib's view of an ``OAuthClient`` row: confidential, client credentials only."""

    def __init__(self, row: OAuthClient):
        self.row = row

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        """The requested scopes this client has; all of its scopes when none are asked."""
        if not scope:
            return self.row.scopes
        return " ".join(s for s in scope_to_list(scope) if s in self.row.scope_list)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return oauth_clients.secret_matches(self.row, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in ClientCredentials.TOKEN_ENDPOINT_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class ClientCredentials(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]  # noqa: RUF012

    def validate_token_request(self) -> None:
        """Also refuse scopes the client was not given (``invalid_scope``), rather than
        quietly granting fewer."""
        super().validate_token_request()
        asked = set(scope_to_list(self.request.payload.scope) or [])
        if not asked <= set(self.request.client.row.scope_list):
            raise InvalidScopeError()


class Tokens(BearerTokenGenerator):
    @staticmethod
    def get_allowed_scope(client: Client, scope: str) -> str:
        return client.get_allowed_scope(scope)


def _query_client(client_id: str) -> Client | None:
    row = oauth_clients.live_client(client_id)
    return Client(row) if row is not None else None


def _save_token(token: dict[str, Any], request: Any) -> None:
    if not token.get("scope"):
        token["scope"] = request.client.row.scopes
    oauth_clients.save_access_token(request.client.row, token["access_token"], token["scope"],
                                    token["expires_in"])


def _server(app: Flask) -> AuthorizationServer:
    server = app.extensions.get("badges.oauth")
    if server is None:
        server = AuthorizationServer(app, _query_client, _save_token)
        server.register_grant(ClientCredentials)
        server.register_token_generator("default", Tokens(
            access_token_generator=lambda **_: "sp_" + secrets.token_urlsafe(32),
            expires_generator=int(oauth_clients.TOKEN_LIFETIME.total_seconds())))
        app.extensions["badges.oauth"] = server
    return server


def token_response(app: Flask) -> Response:
    return _server(app).create_token_response()

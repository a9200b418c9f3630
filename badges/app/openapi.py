"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document, generated.

Paths come from the routes under ``/api/v1`` and the YAML after ``---`` in each
view's docstring (apispec's FlaskPlugin); schemas come from the marshmallow
schemas the API validates and dumps with (MarshmallowPlugin). So a new route
appears by itself, and ``tests/api/test_openapi.py`` fails until its docstring
says what it answers. Only the parts every view shares are named here.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Blueprint, Flask, current_app, jsonify

from badges.issuing import schemas
from badges.kernel.errors import ProblemSchema
from badges.kernel.extensions import csrf
from badges.vcapi import openapi as vcapi_openapi
from badges.verification.schemas import VerifyReportSchema

bp = Blueprint("api_openapi", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PREFIX = "/api/v1/"
PROBLEM = "application/problem+json"

#: Answers many operations share; a view's YAML names them (``'401': Unauthorized``).
RESPONSES = {
    "Unauthorized": "Missing, unknown, revoked or expired token",
    "InsufficientScope": "The token lacks the route's scope (`scope` names it)",
    "RateLimited": "Rate limit reached",
    "Invalid": "Invalid fields (errors names each one)",
    "NotYours": "Not a credential of your organisation",
    "RevokedStays": "A revoked credential cannot change",
    "NoSigningKey": "Your organisation has no usable signing key for a VC-JWT",
}


def _components(spec: APISpec) -> None:
    spec.components.security_scheme("bearer", {
        "type": "http", "scheme": "bearer",
        "description": "An API token (the API page, or `badges token create --issuer SLUG`) or "
                       "an OAuth access token. Scopes: `issue` (issue, VC-API issue), `revoke` "
                       "(revoke/suspend/reinstate, VC-API status), `bulk` (bulk jobs), `read` "
                       "(read a credential); without the route's scope: 403 insufficient_scope."})
    spec.components.security_scheme("oauth2", {
        "type": "oauth2", "description": "OAuth 2.0 client credentials; the token is a bearer "
                                         "token that works for one hour.",
        "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {
            "issue": "Issue credentials", "revoke": "Revoke, suspend and reinstate",
            "bulk": "Bulk issuing with CSV", "read": "Read credentials"}}}})
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.schema("VerifyReport", schema=VerifyReportSchema)
    spec.components.schema("Credential", schema=schemas.credential_schema("full"))
    spec.components.schema("CredentialSummary", schema=schemas.credential_schema("summary"))
    for name, description in RESPONSES.items():
        spec.components.response(name, {"description": description, "content": {
            PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}})
    spec.components.response("StateChanged", {
        "description": "The new status (the status list changes at once)",
        "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/CredentialSummary"}}}})
    spec.components.parameter("id", "path", {"required": True, "schema": {"type": "string"},
                                             "description": "The id (uuid) in the answers."})


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="Skillspas API", version="1.0.0", openapi_version="3.1.0",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={"description": (
            "Issue Open Badges 3.0 credentials one at a time or in bulk, and verify any "
            "credential. Errors are application/problem+json; validation errors name "
            "each wrong field in `errors: {field: [messages]}` (422).")},
    )
    _components(spec)
    endpoints = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()
                 if rule.rule.startswith(PREFIX)}
    for endpoint in sorted(endpoints, key=endpoints.__getitem__):
        spec.path(view=app.view_functions[endpoint], app=app)
    document = spec.to_dict()
    # The VC-API (badges/vcapi) is described by hand: its bodies are W3C documents.
    document["paths"].update(vcapi_openapi.paths())
    return document


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API (made once per process).
    ---
    get:
      summary: This document
      responses:
        '200':
          description: The OpenAPI 3.1 document
          content:
            application/json:
              schema: {type: object}
    """
    app = current_app._get_current_object()
    document = app.extensions.get("openapi")
    if document is None:
        document = app.extensions["openapi"] = build_spec(app)
    return jsonify(document)

"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document, built from the schemas.

Components come from the marshmallow schemas (apispec), so the document
cannot drift from what the API validates; paths are listed here, next to
the status codes each returns. ``tests/api/test_openapi.py`` validates it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, jsonify

from badges.issuing import schemas
from badges.kernel.extensions import csrf

bp = Blueprint("api_openapi", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PROBLEM = "application/problem+json"


def _json(ref: str | dict, description: str, media: str = "application/json") -> dict:
    schema = {"$ref": f"#/components/schemas/{ref}"} if isinstance(ref, str) else ref
    return {"description": description, "content": {media: {"schema": schema}}}


def _problem(description: str) -> dict:
    return _json("Problem", description, PROBLEM)


ANY_OBJECT = {"type": "object", "additionalProperties": True}
AUTH_ERRORS = {"401": _problem("Missing, unknown or revoked token"),
               "429": _problem("Rate limit reached (per token)")}
ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _state_change(verb: str, reason_required: bool) -> dict[str, Any]:
    return {"post": {
        "summary": f"{verb.capitalize()} a credential of your organisation",
        "security": [{"bearer": []}],
        "parameters": [ID_PARAM],
        "requestBody": {"required": reason_required,
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/StateChange"}}}},
        "responses": {"200": _json("CredentialSummary", "New status"),
                      "404": _problem("Not a credential of your organisation"),
                      "409": _problem("Revoked credentials cannot change"),
                      "422": _problem("Invalid fields"), **AUTH_ERRORS},
    }}


def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="Skillspas API", version="1.0.0", openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": (
            "Issue Open Badges 3.0 credentials one at a time or in bulk, and verify any "
            "credential. Errors are application/problem+json; validation errors name "
            "each wrong field in `errors: {field: [messages]}` (422).")},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "description": "badges token create --issuer SLUG"})
    for name, schema in (("IssueCredential", schemas.IssueCredentialSchema),
                         ("StateChange", schemas.StateChangeSchema),
                         ("BulkJob", schemas.BulkJobSchema),
                         ("Problem", schemas.ProblemSchema)):
        spec.components.schema(name, schema=schema)
    spec.components.schema("Credential", schema=schemas.credential_schema("full"))
    spec.components.schema("CredentialSummary", schema=schemas.credential_schema("summary"))

    spec.path("/api/v1/credentials", operations={"post": {
        "summary": "Issue one credential",
        "description": (
            "201: issued now; body is the signed OpenBadgeCredential, `Location` its API URL. "
            "200: already issued (same `Idempotency-Key`, or same recipient × achievement × "
            "period); body is the existing credential, header `Idempotent-Replayed: true`. "
            "409: the `Idempotency-Key` was used for a different request."),
        "security": [{"bearer": []}],
        "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "maxLength": 200}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/IssueCredential"}}}},
        "responses": {"201": _json(ANY_OBJECT, "The signed credential"),
                      "200": _json(ANY_OBJECT, "The credential issued before"),
                      "409": _problem("Idempotency-Key reused for another request"),
                      "422": _problem("Invalid fields"), **AUTH_ERRORS},
    }})
    spec.path("/api/v1/credentials/{id}", operations={"get": {
        "summary": "A credential of your organisation with its status",
        "description": "`?format=jwt` or `Accept: application/vc+jwt`: the credential as a "
                       "compact VC-JWT, signed now by your current key (its `kid` is in "
                       "`/issuers/<slug>/jwks.json`).",
        "security": [{"bearer": []}],
        "parameters": [ID_PARAM, {"name": "format", "in": "query", "required": False,
                                  "schema": {"type": "string", "enum": ["json", "jwt"]}}],
        "responses": {"200": {"description": "The credential", "content": {
                          "application/json": {"schema": {"$ref": "#/components/schemas/Credential"}},
                          "application/vc+jwt": {"schema": {"type": "string"}}}},
                      "404": _problem("Not a credential of your organisation"),
                      "409": _problem("No key can sign for your organisation now"),
                      "422": _problem("Unknown format"), **AUTH_ERRORS},
    }})
    spec.path("/api/v1/credentials/{id}/revoke", operations=_state_change("revoke", True))
    spec.path("/api/v1/credentials/{id}/suspend", operations=_state_change("suspend", False))
    spec.path("/api/v1/credentials/{id}/reinstate", operations=_state_change("reinstate", False))
    spec.path("/api/v1/bulk", operations={"post": {
        "summary": "Issue every valid row of a CSV file",
        "description": "Columns as the upload page's example file (Dutch or English names).",
        "security": [{"bearer": []}],
        "requestBody": {"required": True, "content": {"text/csv": {"schema": {
            "type": "string"}}}},
        "responses": {"202": _json("BulkJob", "Job accepted (rows_url shows progress)"),
                      "400": _problem("Unreadable file"), "415": _problem("Not text/csv"),
                      "422": _problem("No valid rows"), **AUTH_ERRORS},
    }})
    spec.path("/api/v1/bulk/{id}", operations={"get": {
        "summary": "Progress of a bulk job and each row's result (paginated)",
        "security": [{"bearer": []}],
        "parameters": [ID_PARAM,
                       {"name": "page", "in": "query", "schema": {"type": "integer"}},
                       {"name": "per_page", "in": "query",
                        "schema": {"type": "integer", "maximum": 500}},
                       {"name": "state", "in": "query", "schema": {
                           "type": "string",
                           "enum": ["pending", "issued", "skipped", "invalid"]}}],
        "responses": {"200": _json("BulkJob", "The job"), "404": _problem("Unknown job"),
                      **AUTH_ERRORS},
    }})
    spec.path("/api/v1/verify", operations={"post": {
        "summary": "Verify a credential (no account needed)",
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": ANY_OBJECT},
            "application/ld+json": {"schema": ANY_OBJECT},
            "text/plain": {"schema": {"type": "string", "description": "compact VC-JWT"}},
            "image/png": {"schema": {"type": "string", "contentEncoding": "binary"}},
            "image/svg+xml": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "contentEncoding": "binary"},
                "email": {"type": "string"}}}},
        }},
        "responses": {"200": _json({"type": "object", "required": ["verified", "checks"],
                                    "properties": {"verified": {"type": "boolean"},
                                                   "status": {}, "checks": {"type": "array"}}},
                                   "The verification report"),
                      "400": _problem("Unreadable input"), "413": _problem("Too large"),
                      "415": _problem("Unsupported type"), "429": _problem("Rate limit")},
    }})
    return spec.to_dict()


@cache
def _cached() -> dict[str, Any]:
    return build_spec()


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(_cached())

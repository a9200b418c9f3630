"""The VC-API's part of the OpenAPI document (``/api/v1/openapi.json``), built by the app."""

from __future__ import annotations

from typing import Any

PROBLEM = {"$ref": "#/components/schemas/Problem"}
OBJECT = {"type": "object", "additionalProperties": True}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "The organisation (its slug); the token must be this organisation's."}
RESULT = {"type": "object", "required": ["verified", "checks", "warnings", "errors"],
          "properties": {"verified": {"type": "boolean"},
                         "checks": {"type": "array", "items": {"type": "string"}},
                         "warnings": {"type": "array", "items": OBJECT},
                         "errors": {"type": "array", "items": OBJECT}}}


def _json(schema: dict[str, Any], description: str, media: str = "application/json") -> dict:
    return {"description": description, "content": {media: {"schema": schema}}}


def _problem(description: str) -> dict[str, Any]:
    return _json(PROBLEM, description, "application/problem+json")


def _body(member: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": [member],
        "properties": {member: OBJECT, "options": OBJECT}}}}}


BAD_INPUT = {"400": _problem("Unusable input (a plain reason in `detail` and `detail_nl`)"),
             "413": _problem("Larger than 256 kB"), "429": _problem("Rate limit")}
AUTH = {"401": _problem("Missing, unknown, revoked or expired token"),
        "403": _problem("The token lacks the route's scope (`insufficient_scope`), is another"
                        " organisation's, or the credential names another issuer")}
ISSUE_OPTIONS = {"type": "object", "properties": {
    "format": {"enum": ["ldp_vc", "vc+jwt", "application/vc+jwt"], "default": "ldp_vc",
               "description": "`ldp_vc`: an embedded Data Integrity proof (eddsa-rdfc-2022). "
                              "`vc+jwt`: a VC-JWT (VC-JOSE-COSE, EdDSA, `kid` = the key's URL), "
                              "returned as an EnvelopedVerifiableCredential; VC 2.0 only."},
    "cryptosuite": {"const": "eddsa-rdfc-2022"},
    "proofPurpose": {"const": "assertionMethod"}}}
ENVELOPED = {"type": "object", "required": ["@context", "id", "type"], "properties": {
    "@context": {"const": "https://www.w3.org/ns/credentials/v2"},
    "id": {"type": "string", "pattern": "^data:application/vc\\+jwt,"},
    "type": {"const": "EnvelopedVerifiableCredential"}}}


def paths() -> dict[str, dict[str, Any]]:
    """Path → operations, for ``APISpec.path``."""
    verify_responses = {"200": _json(RESULT, "Verified"),
                        "400": _json(RESULT, "Not verified, or unusable input (problem+json)"),
                        "413": BAD_INPUT["413"], "429": BAD_INPUT["429"]}
    return {
        "/vc-api/issuers/{slug}/credentials/issue": {"post": {
            "summary": "Sign a VC 2.0 or 1.1 credential as this organisation (eddsa-rdfc-2022)",
            "description": (
                "The issuer is set to the organisation. Only bundled @context URLs (and "
                "embedded context objects) are accepted; the VC data model rules and, for "
                "Open Badges, the OB 3.0 schema apply. A VC 2.0 credential without "
                "credentialStatus gets status entries (revocation, and suspension except "
                "for Open Badges) and an id when it has none. Needs a token with the `issue` "
                "scope. `options.format: vc+jwt` returns a VC-JWT instead."),
            "security": [{"bearer": []}, {"oauth2": ["issue"]}], "parameters": [SLUG],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["credential"],
                "properties": {"credential": OBJECT, "options": ISSUE_OPTIONS}}}}},
            "responses": {"201": _json({"type": "object", "properties": {
                "verifiableCredential": {"oneOf": [OBJECT, ENVELOPED]}}},
                "The signed credential (an EnvelopedVerifiableCredential for `vc+jwt`)"),
                **BAD_INPUT, **AUTH},
        }},
        "/vc-api/issuers/{slug}/credentials/status": {"post": {
            "summary": "Revoke or suspend (or lift a suspension of) a credential signed here",
            "description": "Needs a token with the `revoke` scope.",
            "security": [{"bearer": []}, {"oauth2": ["revoke"]}], "parameters": [SLUG],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["credentialId", "credentialStatus"],
                "properties": {"credentialId": {"type": "string"},
                               "credentialStatus": {"type": "object", "properties": {
                                   "type": {"const": "BitstringStatusListEntry"},
                                   "statusPurpose": {"enum": ["revocation", "suspension"]},
                                   "status": {"type": "boolean", "default": True}}}}}}}},
            "responses": {"200": _json(OBJECT, "Status changed"),
                          "404": _problem("No credential with this id was signed here"),
                          "409": _problem("An Open Badge can only be revoked"),
                          **BAD_INPUT, **AUTH},
        }},
        "/vc-api/credentials/verify": {"post": {
            "summary": "Verify any Verifiable Credential (no account needed)",
            "description": "An EnvelopedVerifiableCredential with a `data:application/vc+jwt,` "
                           "id is verified as the VC-JWT inside it.",
            "requestBody": _body("verifiableCredential"), "responses": verify_responses,
        }},
        "/vc-api/presentations/verify": {"post": {
            "summary": "Verify a presentation: its proof when present, and every credential",
            "requestBody": _body("verifiablePresentation"), "responses": verify_responses,
        }},
    }

"""The Open Badges 3.0 API's ServiceDescriptionDocument: an OpenAPI 3.0 document whose
security scheme tells an app where to register, authorize and get tokens (OB 3.0 §6.3)."""

from __future__ import annotations

from typing import Any

from badges.kernel import urls
from badges.obapi.oauth import (
    CREDENTIAL_READ,
    CREDENTIAL_UPSERT,
    PROFILE_READ,
    PROFILE_UPDATE,
    discovery_urls,
)

_STATUS = {"$ref": "#/components/schemas/Imsx_StatusInfo"}


def _errors(*codes: str) -> dict[str, Any]:
    texts = {"400": "Bad request", "401": "No valid access token", "403": "The token lacks the scope",
             "404": "Not found", "405": "Method not allowed", "500": "Server error"}
    return {code: {"description": texts[code], "content": {"application/json": {"schema": _STATUS}}}
            for code in codes}


def _op(op_id: str, summary: str, scope: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "summary": summary, "tags": ["OpenBadgeCredentials"],
            "security": [{"OAuth2ACG": [scope]}], "responses": responses, **extra}


def document() -> dict[str, Any]:
    u = discovery_urls()
    json_object = {"application/json": {"schema": {"type": "object"}}}
    credential_body = {"application/json": {"schema": {"$ref": "#/components/schemas/AchievementCredential"}},
                       "text/plain": {"schema": {"type": "string", "description": "a compact JWS (VC-JWT)"}}}
    page_headers = {"X-Total-Count": {"schema": {"type": "integer"}, "description": "credentials in all"},
                    "Link": {"schema": {"type": "string"}, "description": "first, prev, next, last pages"}}
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "Skillspas Open Badges API",
            "description": "The 1EdTech Open Badges 3.0 API (host role) of a Skillspas installation.",
            "version": "3.0",
            "termsOfService": urls.base_url() + "/about",
            "x-imssf-privacyPolicyUrl": urls.base_url() + "/privacy",
        },
        "servers": [{"url": u["base"], "description": "Skillspas"}],
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": _op("getCredentials", "The learner's credentials, paged", CREDENTIAL_READ, {
                    "200": {"description": "A page of credentials", "headers": page_headers,
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/GetOpenBadgeCredentialsResponse"}}}},
                    **_errors("400", "401", "403", "500")},
                    parameters=[
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                    "maximum": 100}},
                        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                    ]),
                "post": _op("upsertCredential", "Add a credential to the passport (verified first)",
                            CREDENTIAL_UPSERT, {
                                "200": {"description": "Replaced (or already here)",
                                        "content": credential_body},
                                "201": {"description": "Added", "content": credential_body},
                                **_errors("400", "401", "403", "500")},
                            requestBody={"required": True, "content": credential_body}),
            },
            "/profile": {
                "get": _op("getProfile", "The learner's profile", PROFILE_READ, {
                    "200": {"description": "The profile", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Profile"}}}},
                    **_errors("401", "403", "500")}),
                "put": _op("putProfile", "Change the learner's name", PROFILE_UPDATE, {
                    "200": {"description": "The profile as it is now", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Profile"}}}},
                    **_errors("400", "401", "403", "500")},
                    requestBody={"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Profile"}}}}),
            },
            "/discovery": {"get": {"operationId": "getServiceDescription", "tags": ["Discovery"],
                                   "summary": "This document", "responses": {
                                       "200": {"description": "The ServiceDescriptionDocument",
                                               "content": json_object},
                                       **_errors("500")}}},
        },
        "components": {
            "securitySchemes": {"OAuth2ACG": {
                "type": "oauth2",
                "description": "OAuth 2.0 authorization code grant with PKCE (S256); register first "
                               "(RFC 7591) at x-imssf-registrationUrl.",
                "x-imssf-name": "Skillspas",
                "x-imssf-privacyPolicyUrl": urls.base_url() + "/privacy",
                "x-imssf-registrationUrl": u["register"],
                "x-imssf-termsOfServiceUrl": urls.base_url() + "/about",
                "flows": {"authorizationCode": {
                    "authorizationUrl": u["authorize"], "tokenUrl": u["token"], "refreshUrl": u["token"],
                    "scopes": {
                        CREDENTIAL_READ: "Permission to read the learner's credentials",
                        CREDENTIAL_UPSERT: "Permission to add credentials to the learner's passport",
                        PROFILE_READ: "Permission to read the learner's profile",
                        PROFILE_UPDATE: "Permission to change the learner's profile",
                    }}},
            }},
            "schemas": {
                "AchievementCredential": {"type": "object", "required": ["@context", "type", "issuer",
                                                                         "credentialSubject"]},
                "GetOpenBadgeCredentialsResponse": {"type": "object", "properties": {
                    "credential": {"type": "array", "items": {
                        "$ref": "#/components/schemas/AchievementCredential"}},
                    "compactJwsString": {"type": "array", "items": {"type": "string"}}}},
                "Profile": {"type": "object", "required": ["id", "type"], "properties": {
                    "id": {"type": "string"}, "type": {"type": "string"}, "name": {"type": "string"},
                    "email": {"type": "string"}}},
                "Imsx_StatusInfo": {
                    "type": "object",
                    "required": ["imsx_codeMajor", "imsx_severity"],
                    "properties": {
                        "imsx_codeMajor": {"type": "string", "enum": ["failure", "processing", "success",
                                                                      "unsupported"]},
                        "imsx_severity": {"type": "string", "enum": ["error", "status", "warning"]},
                        "imsx_description": {"type": "string"},
                        "imsx_codeMinor": {"type": "object"},
                    }},
            },
        },
    }

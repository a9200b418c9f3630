"""The OpenAPI document is valid OpenAPI 3.1, lists every API route, and tells the truth.

The document is generated from the views' docstrings and the marshmallow schemas;
these tests hold it to the routes that exist and to the answers the API really gives.
"""

from __future__ import annotations

import json
import re

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from tests._verify_support import SAMPLES

ANY = re.compile(r"<any\(([^)]*)\):([^>]+)>")
VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _spec(client) -> dict:
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return resp.get_json()


def _openapi_paths(rule: str) -> list[str]:
    """A Flask rule as OpenAPI path templates (an ``any(...)`` converter: one path each)."""
    match = ANY.search(rule)
    if match:
        options = [o.strip() for o in match.group(1).split(",")]
        return [p for o in options for p in _openapi_paths(rule.replace(match.group(0), o))]
    return [VARIABLE.sub(r"{\1}", rule)]


def _deref(spec: dict, node: dict) -> dict:
    """``node``, or what its ``$ref`` points at in the document."""
    if "$ref" not in node:
        return node
    for part in node["$ref"].removeprefix("#/").split("/"):
        spec = spec[part]
    return spec


def _conforms(spec: dict, schema: dict, body) -> list[str]:
    """Where ``body`` breaks ``schema`` (refs resolved against the whole document)."""
    validator = OAS31Validator({**schema, "components": spec["components"]})
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]


def test_openapi_document_is_valid_and_complete(client):
    spec = _spec(client)
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/credentials", "/api/v1/credentials/{id}/revoke", "/api/v1/bulk",
            "/api/v1/bulk/{id}", "/api/v1/verify"} <= set(spec["paths"])
    issue = spec["components"]["schemas"]["IssueCredential"]
    assert set(issue["required"]) == {"achievement", "recipient"}


def test_every_api_route_is_documented_with_its_responses(app, client):
    spec = _spec(client)
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        for path in _openapi_paths(rule.rule):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                operation = spec["paths"].get(path, {}).get(method.lower())
                if not operation or not operation.get("responses"):
                    missing.append(f"{method} {path}")
    assert missing == []


def test_every_documented_operation_exists(app, client):
    routes = {(p, m.lower()) for r in app.url_map.iter_rules()
              if r.rule.startswith(("/api/v1/", "/vc-api/"))
              for p in _openapi_paths(r.rule) for m in r.methods or ()}
    documented = {(p, m) for p, ops in _spec(client)["paths"].items() for m in ops
                  if m in {"get", "post", "put", "patch", "delete"}}
    assert documented <= routes


def test_verify_answer_matches_the_documented_report(client, ours):
    spec = _spec(client)
    operation = spec["paths"]["/api/v1/verify"]["post"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    report = spec["components"]["schemas"]["VerifyReport"]
    assert {"verified", "status", "verdict", "format", "checks", "credential",
            "summary"} <= set(report["properties"])
    assert report["properties"]["summary"]["$ref"].endswith("/Bilingual")
    for body in (ours.document, json.loads((SAMPLES / "simple.json").read_text())):
        answer = client.post("/api/v1/verify", json=body).get_json()
        assert _conforms(spec, schema, answer) == []
    broken = client.post("/api/v1/verify", json={"verified": True}).get_json()
    broken["surprise"] = 1  # a field the document does not describe is caught
    assert _conforms(spec, schema, broken) != []


def test_errors_match_the_documented_problem(client):
    spec = _spec(client)
    problem = {"$ref": "#/components/schemas/Problem"}
    assert "Problem" in spec["components"]["schemas"]
    unreadable = client.post("/api/v1/verify", data="not a jwt", content_type="text/plain")
    unauthorised = client.post("/api/v1/credentials", json={})
    for resp in (unreadable, unauthorised):
        assert resp.mimetype == "application/problem+json"
        assert _conforms(spec, problem, resp.get_json()) == []
    responses = spec["paths"]["/api/v1/credentials"]["post"]["responses"]
    unauthorised_doc = _deref(spec, responses["401"])
    assert unauthorised_doc["content"]["application/problem+json"]["schema"] == problem


def test_openapi_document_describes_the_vc_api(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/vc-api/issuers/{slug}/credentials/issue", "/vc-api/credentials/verify",
            "/vc-api/presentations/verify",
            "/vc-api/issuers/{slug}/credentials/status"} <= set(spec["paths"])
    verify = spec["paths"]["/vc-api/credentials/verify"]["post"]
    assert {"200", "400", "413"} <= set(verify["responses"])
    issue = spec["paths"]["/vc-api/issuers/{slug}/credentials/issue"]["post"]
    assert {"201", "400", "401", "403", "413"} <= set(issue["responses"])

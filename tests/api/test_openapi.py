"""The OpenAPI document is valid OpenAPI 3.1 and lists every public API path."""

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_complete(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    spec = resp.get_json()
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/credentials", "/api/v1/credentials/{id}/revoke", "/api/v1/bulk",
            "/api/v1/bulk/{id}", "/api/v1/verify"} <= set(spec["paths"])
    issue = spec["components"]["schemas"]["IssueCredential"]
    assert set(issue["required"]) == {"achievement", "recipient"}


def test_openapi_document_describes_the_vc_api(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/vc-api/issuers/{slug}/credentials/issue", "/vc-api/credentials/verify",
            "/vc-api/presentations/verify",
            "/vc-api/issuers/{slug}/credentials/status"} <= set(spec["paths"])
    verify = spec["paths"]["/vc-api/credentials/verify"]["post"]
    assert {"200", "400", "413"} <= set(verify["responses"])
    issue = spec["paths"]["/vc-api/issuers/{slug}/credentials/issue"]["post"]
    assert {"201", "400", "401", "403", "413"} <= set(issue["responses"])

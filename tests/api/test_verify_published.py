"""Our verifier on what this service itself publishes besides credentials.

A status list credential at ``/status/<uuid>`` is a signed W3C credential of
ours; a verifier that calls it "not a credential" tells a checker the issuer's
own lists cannot be trusted.
"""

from __future__ import annotations

import json

from tests._verify_support import revoke

URL = "/api/v1/verify"
JSONLD = {"Accept": "application/ld+json"}


def _verify(client, doc: dict) -> dict:
    response = client.post(URL, data=json.dumps(doc), content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def _checks(report: dict) -> dict[str, str]:
    return {c["id"]: c["status"] for c in report["checks"]}


def test_our_status_list_credential_verifies(client, ours):
    revoke(ours)  # a list with a bit set is still a valid list
    for entry in ours.document["credentialStatus"]:
        listed = client.get(entry["statusListCredential"], headers=JSONLD).get_json()
        report = _verify(client, listed)
        assert report["verified"] is True, report
        assert report["status"] == "valid", report
        assert _checks(report)["type"] == "pass", report
        assert _checks(report)["schema"] == "pass", report


def test_an_altered_status_list_credential_does_not_verify(client, ours):
    url = ours.document["credentialStatus"][0]["statusListCredential"]
    listed = client.get(url, headers=JSONLD).get_json()
    listed["credentialSubject"]["statusPurpose"] = "suspension"
    report = _verify(client, listed)
    assert report["verified"] is False, report

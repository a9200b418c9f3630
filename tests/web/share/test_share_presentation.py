"""#18: a learner's share link offers its selection as a Verifiable Presentation, which the
VC-API's presentation verifier accepts (and refuses once a credential in it is changed)."""

from __future__ import annotations

from tests.conftest import post_form
from tests.web.share.test_share import _create, _link

V2 = "https://www.w3.org/ns/credentials/v2"


def test_share_link_as_presentation_verifies(client, auth, vanessa):
    auth.login("vanessa@example.nl")
    _page, token = _create(client, vanessa[:2])
    auth.logout()
    response = client.get(f"/s/{token}/presentation")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.headers["Cache-Control"] == "no-store"
    vp = response.get_json()
    assert vp["@context"][0] == V2 and vp["type"] == ["VerifiablePresentation"]
    inner = vp["verifiableCredential"]
    assert sorted(c["id"].rsplit("/", 1)[-1] for c in inner) == sorted(vanessa[:2])
    # the same presentation by content negotiation on the share page itself
    negotiated = client.get(f"/s/{token}", headers={"Accept": "application/ld+json"})
    assert negotiated.mimetype == "application/ld+json" and negotiated.get_json() == vp
    verified = client.post("/vc-api/presentations/verify", json={"verifiablePresentation": vp})
    assert verified.status_code == 200, verified.get_json()
    body = verified.get_json()
    assert body["verified"] is True and len(body["credentialResults"]) == 2
    inner[0]["credentialSubject"]["achievement"]["name"] = "Iets anders"
    tampered = client.post("/vc-api/presentations/verify", json={"verifiablePresentation": vp})
    assert tampered.status_code == 400 and tampered.get_json()["verified"] is False


def test_a_revoked_link_has_no_presentation(app, client, auth, vanessa):
    auth.login("vanessa@example.nl")
    _page, token = _create(client, vanessa[:1])
    post_form(client, f"/passport/share/{_link(app, token).id}/revoke", {}, page="/passport/share")
    auth.logout()
    assert client.get(f"/s/{token}/presentation").status_code == 410
    assert client.get("/s/" + "A" * 32 + "/presentation").status_code == 404

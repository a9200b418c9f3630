"""Finding 2: a credential goes straight into a passport only for the proven owner of the address."""

from __future__ import annotations

import pytest

from badges.catalogue.models import Achievement, AchievementState
from badges.issuing.models import Credential
from badges.kernel.extensions import db
from badges.organisations import api_tokens
from badges.organisations.models import Organisation
from tests.conftest import AuthActions, post_form
from tests.web.ownership.conftest import COLLEGE, PASSWORD, link_in, register

TARGET = "lerende@roc.example"


@pytest.fixture
def api(app, demo):
    with app.app_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=org.id, state=AchievementState.PUBLISHED).limit(1))
        token = api_tokens.create_api_token(org, "test")
        db.session.commit()
        return {"token": token, "achievement": achievement.uuid, "name": achievement.name}


def issue_to(client, api, email: str) -> str:
    response = client.post("/api/v1/credentials", headers={"Authorization": f"Bearer {api['token']}"},
                           json={"achievement": api["achievement"],
                                 "recipient": {"email": email, "name": "Lerende"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"].rsplit("/", 1)[-1]


def holder(app, uuid: str) -> int | None:
    with app.app_context():
        return db.session.scalar(db.select(Credential.recipient_user_id).filter_by(uuid=uuid))


def test_credential_to_an_unconfirmed_account_waits_for_the_claim_link(app, api, mailbox):
    attacker, owner = app.test_client(), app.test_client()
    register(attacker, TARGET, password="aanvaller-wachtwoord")
    AuthActions(attacker).login(TARGET, "aanvaller-wachtwoord")
    uuid = issue_to(app.test_client(), api, TARGET)
    assert holder(app, uuid) is None
    assert api["name"] not in attacker.get("/passport").get_data(as_text=True)
    assert attacker.get(f"/passport/c/{uuid}").status_code == 404
    # the mailbox's owner claims it with the mailed link
    claim = link_in(mailbox, TARGET, "/claim/")
    register(owner, "echte.eigenaar@example.nl")
    AuthActions(owner).login("echte.eigenaar@example.nl", PASSWORD)
    post_form(owner, claim, {})
    assert api["name"] in owner.get("/passport").get_data(as_text=True)


def test_credential_to_a_confirmed_account_goes_straight_into_the_passport(app, client, auth,
                                                                          api, mailbox):
    register(client, TARGET)
    client.get(link_in(mailbox, TARGET, "/account/confirm/"))
    uuid = issue_to(app.test_client(), api, TARGET)
    assert holder(app, uuid) is not None
    auth.login(TARGET, PASSWORD)
    assert api["name"] in client.get("/passport").get_data(as_text=True)


def test_what_waited_moves_in_once_the_owner_confirms_the_address(app, client, auth, api,
                                                                   mailbox):
    register(client, TARGET)
    uuid = issue_to(app.test_client(), api, TARGET)
    assert holder(app, uuid) is None
    client.get(link_in(mailbox, TARGET, "/account/confirm/"))
    assert holder(app, uuid) is not None
    auth.login(TARGET, PASSWORD)
    assert api["name"] in client.get("/passport").get_data(as_text=True)


def test_unconfirmed_account_cannot_import_a_badge_issued_to_its_address(app, client, auth,
                                                                          demo, mailbox):
    """An imported badge is checked against the passport's addresses: only proven ones."""
    import json

    from badges.demo.credentials import library_credential
    from badges.passport.models import ImportedCredential

    register(client, TARGET)
    auth.login(TARGET, PASSWORD)
    badge = {"text": json.dumps(library_credential(TARGET))}
    response = post_form(client, "/passport/import", badge)
    assert response.status_code == 422 and "ander e-mailadres" in response.get_data(as_text=True)
    client.get(link_in(mailbox, TARGET, "/account/confirm/"))
    assert post_form(client, "/passport/import", badge).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ImportedCredential.id))) >= 1

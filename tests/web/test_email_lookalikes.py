"""One address, one account: NFKC, IDNA domains and a look-alike policy (#15 item 12).

Fullwidth, decomposed and upper-case spellings of an address used to make
separate accounts (and separate credential recipients); a Cyrillic ``а`` made
an address that looks like a colleague's.
"""

from __future__ import annotations

import pytest

from badges.accounts.models import User
from badges.issuing.models import Credential
from badges.kernel.db import db
from tests.api.test_credentials_api import api, bearer, body, mailer  # noqa: F401 - fixtures
from tests.conftest import post_form

PASSWORD = "een-goed-wachtwoord"
FULLWIDTH = "ｖａｎｅｓｓａ@ｅｘａｍｐｌｅ．ｎｌ"  # vanessa@example.nl, the demo learner
CYRILLIC = "v\u0430nessa@example.nl"  # а is U+0430
DECOMPOSED = "jan@exa\u0308mple.nl"  # ä as a + combining diaeresis


def register(client, email):
    return post_form(client, "/register", {"name": "Iemand", "email": email,
                                            "password": PASSWORD, "password2": PASSWORD})


def users_like(app, local: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(User.email).where(User.email.like(f"%{local}%"))))


def test_fullwidth_spelling_is_the_same_account(app, client, demo, mailbox):
    response = register(client, FULLWIDTH)
    assert response.status_code == 302
    assert users_like(app, "nessa@") == ["vanessa@example.nl"]  # no second account
    assert mailbox.sent[-1].to == "vanessa@example.nl"  # the owner is told, as for any repeat


def test_fullwidth_spelling_logs_in(client, demo):
    response = post_form(client, "/login", {"email": FULLWIDTH, "password": "skillspas-demo"})
    assert response.status_code == 302


def test_decomposed_and_composed_domain_are_one_address(app, client, mailbox):
    assert register(client, DECOMPOSED).status_code == 302
    assert register(client, "JAN@EXÄMPLE.NL").status_code == 302
    assert users_like(app, "jan@") == ["jan@xn--exmple-cua.nl"]


@pytest.mark.parametrize("email", [CYRILLIC, "vanessa@ex\u0430mple.nl", "vanessa@xn--exmple-4nf.nl"])
def test_lookalike_address_is_refused_with_a_reason(app, client, demo, mailbox, email):
    response = register(client, email)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "ander schrift" in html or "Latijnse letters" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id)).where(
            User.email.like("%nessa@%"), User.email != "vanessa@example.nl")) == 0


def test_invitation_refuses_a_lookalike(client, auth, demo, mailbox):
    auth.login("beheer@rocdemaasvallei.example")
    url = "/issuer/maasvallei-zorg-welzijn/people"
    response = post_form(client, url, {"email": CYRILLIC, "role": "viewer"})
    assert "ander schrift" in response.get_data(as_text=True)
    assert mailbox.sent == []


def test_api_issues_to_the_normal_form_and_refuses_lookalikes(app, client, api):  # noqa: F811
    resp = client.post("/api/v1/credentials", headers=bearer(api["token"]), json=body(
        api, recipient={"email": "ＡＰＩ@Exämple.nl", "name": "Api Leerling"}))
    assert resp.status_code == 201, resp.get_json()
    with app.app_context():
        assert db.session.scalar(db.select(Credential.recipient_email).order_by(
            Credential.id.desc())) == "api@xn--exmple-cua.nl"
    refused = client.post("/api/v1/credentials", headers=bearer(api["token"]), json=body(
        api, recipient={"email": CYRILLIC, "name": "Api Leerling"}))
    assert refused.status_code == 422
    assert "another script" in str(refused.get_json())


def test_existing_addresses_are_checked_by_the_cli(app, demo, runner):
    with app.app_context():
        clean = runner.invoke(args=["check-emails"])
        assert clean.exit_code == 0, clean.output
        db.session.add(User(email=FULLWIDTH, name="Oud", password_hash="x"))  # stored before NFKC
        db.session.add(User(email=CYRILLIC, name="Oud", password_hash="x"))
        db.session.flush()
        found = runner.invoke(args=["check-emails"])
    assert found.exit_code == 1
    assert '"normal_form": "vanessa@example.nl"' in found.output
    assert "another script" in found.output

"""Irreversible actions ask first (#22 item 8): a confirmation page that names what is lost.

Revoking a credential, archiving an achievement, removing a person, withdrawing an
invitation, revoking an API key or OAuth client, closing a claim code and removing or
declining a sign-in rule each take a separate step; a POST without the
confirmation changes nothing, and nothing irreversible is selected by default.
"""

from __future__ import annotations

import re

import pytest

from badges.catalogue.models import Achievement, AchievementState
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations import oauth_clients
from badges.organisations.models import (
    ApiToken,
    Invitation,
    Membership,
    MembershipRule,
    OAuthClient,
    Role,
    RuleKind,
)
from tests.conftest import post_form
from tests.web.claimcodes.test_claim_codes import CLUB, TRAINER, make_code
from tests.web.issuer.conftest import ADMIN, COLLEGE, TEACHER, org

BASE = f"/issuer/{COLLEGE}"


def _state(app, uuid: str) -> CredentialState:
    with app.app_context():
        return db.session.scalar(db.select(Credential.state).filter_by(uuid=uuid))


class TestRevokingACredential:
    def test_the_detail_page_selects_nothing_irreversible(self, client, auth, world):
        auth.login(TEACHER)
        html = client.get(f"{BASE}/credentials/{world['credential']}").get_data(as_text=True)
        status_form = html.split('id="state-h"')[1].split("</form>")[0]
        assert "revoked" not in status_form and "definitief" not in status_form
        assert f'href="{BASE}/credentials/{world["credential"]}/revoke"' in html
        assert not re.search(r'name="revoke_old"[^>]*checked', html)

    def test_the_old_one_step_revoke_no_longer_revokes(self, app, client, auth, world):
        auth.login(TEACHER)
        url = f"{BASE}/credentials/{world['credential']}"
        post_form(client, f"{url}/state", {"state": "revoked", "reason": "Fout"}, page=url)
        assert _state(app, world["credential"]) == CredentialState.ACTIVE

    def test_confirmation_names_person_and_badge_then_revokes(self, app, client, auth, world,
                                                              mailbox):
        auth.login(TEACHER)
        url = f"{BASE}/credentials/{world['credential']}/revoke"
        page = client.get(url).get_data(as_text=True)
        with app.app_context():
            badge = db.session.scalar(db.select(Achievement.name).filter_by(
                uuid=world["achievement"]))
        assert "Lerende" in page and "lerende@example.nl" in page and badge in page
        assert "niet ongedaan" in page
        # Without the confirmation (or without a reason) nothing happens.
        assert post_form(client, url, {"reason": "Fraude"}).status_code == 200
        assert post_form(client, url, {"reason": "", "confirmed": "1"}).status_code == 422
        assert _state(app, world["credential"]) == CredentialState.ACTIVE
        done = post_form(client, url, {"reason": "Fraude", "confirmed": "1"})
        assert done.status_code == 302
        assert _state(app, world["credential"]) == CredentialState.REVOKED
        assert any("Fraude" in m.text for m in mailbox.sent if m.to == "lerende@example.nl")


def _asks_then_does(client, url: str, names: list[str], page: str) -> str:
    """GET names the thing; a POST without confirming is only the question again."""
    html = client.get(url).get_data(as_text=True)
    for name in names:
        assert name in html, name
    assert 'name="confirmed" value="1"' in html
    again = post_form(client, url, {}, page=page)
    assert again.status_code == 200 and 'name="confirmed"' in again.get_data(as_text=True)
    return html


def test_removing_a_person_asks_first(app, client, auth, world):
    auth.login(ADMIN)
    url = f"{BASE}/people/{world['user_id']}/remove"
    _asks_then_does(client, url, ["Mark Verhoeven", TEACHER], f"{BASE}/people")
    with app.app_context():
        assert db.session.scalar(db.select(Membership).filter_by(
            user_id=world["user_id"], organisation_id=org().id)) is not None
    people = client.get(f"{BASE}/people").get_data(as_text=True)
    assert f'href="{url}"' in people and f'action="{url}"' not in people
    post_form(client, url, {"confirmed": "1"})
    with app.app_context():
        assert db.session.scalar(db.select(Membership).filter_by(
            user_id=world["user_id"], organisation_id=org().id)) is None


def test_revoking_an_api_key_or_client_asks_first(app, client, auth, world):
    with app.app_context():
        client_id, _secret = oauth_clients.register_client(org(), "Roosterkoppeling", ["read"],
                                                           actor_id=None)
        db.session.commit()
        row_id = db.session.scalar(db.select(OAuthClient.id).filter_by(client_id=client_id))
        prefix = db.session.get(ApiToken, world["token_id"]).prefix
    auth.login(ADMIN)
    token_url = f"{BASE}/tokens/{world['token_id']}/revoke"
    _asks_then_does(client, token_url, ["test", prefix], f"{BASE}/tokens")
    client_url = f"{BASE}/oauth-clients/{row_id}/revoke"
    _asks_then_does(client, client_url, ["Roosterkoppeling", client_id], f"{BASE}/tokens")
    with app.app_context():
        assert db.session.get(ApiToken, world["token_id"]).revoked_at is None
        assert db.session.get(OAuthClient, row_id).revoked_at is None
    post_form(client, token_url, {"confirmed": "1"})
    post_form(client, client_url, {"confirmed": "1"})
    with app.app_context():
        assert db.session.get(ApiToken, world["token_id"]).revoked_at is not None
        assert db.session.get(OAuthClient, row_id).revoked_at is not None


def test_archiving_an_achievement_asks_first(app, client, auth, world):
    auth.login(TEACHER)
    url = f"{BASE}/achievements/{world['achievement']}/archive"
    with app.app_context():
        name = db.session.scalar(db.select(Achievement.name).filter_by(uuid=world["achievement"]))
    _asks_then_does(client, url, [name], f"{BASE}/achievements/{world['achievement']}")
    post_form(client, url, {"confirmed": "1"})
    with app.app_context():
        assert db.session.scalar(db.select(Achievement.state).filter_by(
            uuid=world["achievement"])) == AchievementState.ARCHIVED


def test_closing_a_claim_code_asks_first(app, client, auth, demo):
    code = make_code(app, title="Zwemles zaterdag")
    auth.login(TRAINER)
    from badges.claimcodes.models import ClaimCode
    with app.app_context():
        code_id = db.session.scalar(db.select(ClaimCode.id).filter_by(code=code))
    url = f"/issuer/{CLUB}/codes/{code_id}/close"
    _asks_then_does(client, url, ["Zwemles zaterdag"], f"/issuer/{CLUB}/codes/{code_id}")
    assert "gesloten" not in client.get(f"/c/{code}").get_data(as_text=True)
    post_form(client, url, {"confirmed": "1"})
    auth.logout()
    assert "gesloten" in client.get(f"/c/{code}").get_data(as_text=True)


def test_withdrawing_an_invitation_asks_first(app, client, auth, world, mailbox):
    auth.login(ADMIN)
    post_form(client, f"{BASE}/people", {"email": "nieuwe.collega@example.nl",
                                         "name": "Nieuwe Collega", "role": "issuer"})
    with app.app_context():
        invitation_id = db.session.scalar(db.select(Invitation.id).filter_by(
            email="nieuwe.collega@example.nl"))
    url = f"{BASE}/people/invitations/{invitation_id}/withdraw"
    people = client.get(f"{BASE}/people").get_data(as_text=True)
    assert f'href="{url}"' in people and f'action="{url}"' not in people
    html = _asks_then_does(client, url, ["nieuwe.collega@example.nl", "Nieuwe Collega",
                                         "uitgeven"], f"{BASE}/people")
    assert "werkt dan meteen niet meer" in html
    with app.app_context():
        assert db.session.get(Invitation, invitation_id).is_open(utcnow())
    post_form(client, url, {"confirmed": "1"})
    with app.app_context():
        assert not db.session.get(Invitation, invitation_id).is_open(utcnow())
    # A withdrawn invitation has nothing left to confirm.
    assert client.get(url).status_code == 302


def _rule(app, approved: bool) -> int:
    with app.app_context():
        rule = MembershipRule(organisation_id=org().id, kind=RuleKind.EMAIL_DOMAIN,
                              value="zorg.maasvallei.example", role=Role.ISSUER,
                              approved_at=utcnow() if approved else None)
        db.session.add(rule)
        db.session.commit()
        return rule.id


def _rule_exists(app, rule_id: int) -> bool:
    with app.app_context():
        return db.session.get(MembershipRule, rule_id) is not None


def test_removing_a_sign_in_rule_asks_first(app, client, auth, world):
    rule_id = _rule(app, approved=True)
    auth.login(ADMIN)
    url = f"{BASE}/sign-in-rules/{rule_id}/remove"
    listing = client.get(f"{BASE}/sign-in-rules").get_data(as_text=True)
    assert f'href="{url}"' in listing and f'action="{url}"' not in listing
    html = _asks_then_does(client, url, ["zorg.maasvallei.example", "E-maildomein",
                                         "Goedgekeurd"], f"{BASE}/sign-in-rules")
    assert "blijft lid" in html
    assert _rule_exists(app, rule_id)
    post_form(client, url, {"confirmed": "1"})
    assert not _rule_exists(app, rule_id)


@pytest.mark.parametrize("approved", [True, False])
def test_declining_or_withdrawing_a_sign_in_rule_asks_the_platform_admin_first(
        app, client, auth, world, approved):
    rule_id = _rule(app, approved=approved)
    auth.login("beheer@skillspas.example")
    url = f"/admin/sign-in-rules/{rule_id}/decline"
    listing = client.get("/admin/sign-in-rules").get_data(as_text=True)
    assert f'href="{url}"' in listing and f'action="{url}"' not in listing
    html = _asks_then_does(client, url, ["zorg.maasvallei.example", "Maasvallei"],
                           "/admin/sign-in-rules")
    assert ("intrekken?" if approved else "afwijzen?") in html
    assert _rule_exists(app, rule_id)
    post_form(client, url, {"confirmed": "1"}, page="/admin/sign-in-rules")
    assert not _rule_exists(app, rule_id)


def test_approving_a_sign_in_rule_stays_one_button(app, client, auth, world):
    """Approving can be undone (withdraw it): a button on the list, no link that approves."""
    rule_id = _rule(app, approved=False)
    auth.login("beheer@skillspas.example")
    url = f"/admin/sign-in-rules/{rule_id}/approve"
    assert client.get(url).status_code == 302 and _rule_exists(app, rule_id)
    with app.app_context():
        assert db.session.get(MembershipRule, rule_id).approved_at is None
    post_form(client, url, {}, page="/admin/sign-in-rules")
    with app.app_context():
        assert db.session.get(MembershipRule, rule_id).approved_at is not None

"""The issue form asks before issuing an achievement the person already holds (#22 item 9).

Bulk and the API skip a repeat; the single form used to issue it again without a word.
Now it names each earlier one (date, status, a link) and issues only after a tick, for
the address itself and for the account it belongs to (its other confirmed addresses too).
"""

from __future__ import annotations

import re

import pytest

from badges.accounts.models import EmailAddress, User
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.kernel.models import utcnow
from tests.conftest import post_form
from tests.web.issuer.conftest import COLLEGE, TEACHER, org

BASE = f"/issuer/{COLLEGE}"


def _count(app, achievement_id: int) -> int:
    with app.app_context():
        lineage = db.session.get(Achievement, achievement_id).lineage
        return db.session.scalar(db.select(db.func.count(Credential.id)).join(
            Achievement, Credential.achievement_id == Achievement.id).filter(
            Achievement.lineage == lineage))


def _form(world, email="lerende@example.nl", name="Lerende") -> dict:
    return {"achievement": world["achievement_id"], "recipient_name": name,
            "recipient_email": email}


def test_an_earlier_one_is_named_and_a_tick_is_needed(app, client, auth, world):
    auth.login(TEACHER)
    before = _count(app, world["achievement_id"])
    response = post_form(client, f"{BASE}/issue", _form(world), page=f"{BASE}/issue")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "al eerder gekregen" in html
    assert f'href="{BASE}/credentials/{world["credential"]}"' in html
    assert "Geldig" in html.split('id="held-already"')[1]
    assert 'name="again_confirmed"' in html
    assert not re.search(r'name="again_confirmed"[^>]*checked', html)
    assert _count(app, world["achievement_id"]) == before
    done = post_form(client, f"{BASE}/issue", {**_form(world), "again_confirmed": "y"},
                     page=f"{BASE}/issue")
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    assert _count(app, world["achievement_id"]) == before + 1


def test_a_revoked_one_counts_and_says_so(app, client, auth, world):
    with app.test_request_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=world["credential"]))
        issuing.change_state(cred, CredentialState.REVOKED, "Fout", actor_id=None)
    auth.login(TEACHER)
    response = post_form(client, f"{BASE}/issue", _form(world), page=f"{BASE}/issue")
    assert response.status_code == 422
    assert "Ingetrokken" in response.get_data(as_text=True).split('id="held-already"')[1]


def test_another_version_of_the_achievement_counts(app, client, auth, world):
    """A new version of the achievement is the same thing to the learner."""
    with app.app_context():
        old = db.session.get(Achievement, world["achievement_id"])
        same = {c.key: getattr(old, c.key) for c in Achievement.__table__.columns
                if c.key not in ("id", "uuid", "version", "state", "created_at")}
        new = Achievement(**same, version=old.version + 1, state=AchievementState.PUBLISHED)
        old.state = AchievementState.ARCHIVED
        db.session.add(new)
        db.session.commit()
        new_id = new.id
    auth.login(TEACHER)
    response = post_form(client, f"{BASE}/issue", {**_form(world), "achievement": new_id},
                         page=f"{BASE}/issue")
    assert response.status_code == 422
    assert f'href="{BASE}/credentials/{world["credential"]}"' in response.get_data(as_text=True)


@pytest.mark.parametrize("confirmed", [True, False])
def test_the_account_behind_another_address_counts(app, client, auth, world, confirmed):
    """Issued to lerende@ (claimed by the account); now asked for a second address of the
    same account: only a confirmed address proves it is the same person."""
    with app.app_context():
        user = User(email="lerende@example.nl", name="Lerende", email_confirmed_at=utcnow())
        db.session.add(user)
        db.session.flush()
        db.session.add(EmailAddress(user_id=user.id, email="lerende.werk@example.nl",
                                    confirmed_at=utcnow() if confirmed else None))
        db.session.commit()
    auth.login(TEACHER)
    response = post_form(client, f"{BASE}/issue", _form(world, "lerende.werk@example.nl"),
                         page=f"{BASE}/issue")
    html = response.get_data(as_text=True)
    if confirmed:
        assert response.status_code == 422 and "al eerder gekregen" in html
        assert f'href="{BASE}/credentials/{world["credential"]}"' in html
    else:
        assert response.status_code == 302, html[:2000]


def test_a_different_name_and_an_earlier_one_are_asked_together(app, client, auth, world):
    """Vanessa holds credentials of the college; another name for her address asks both."""
    with app.app_context():
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        held = db.session.scalar(db.select(Credential).filter_by(
            recipient_user_id=vanessa.id, organisation_id=org().id).order_by(Credential.id))
        data = {"achievement": held.achievement_id, "recipient_name": "Vanessa Jansen",
                "recipient_email": "vanessa@example.nl"}
        before = _count(app, held.achievement_id)
    auth.login(TEACHER)
    response = post_form(client, f"{BASE}/issue", data, page=f"{BASE}/issue")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "hoort bij een Skillspas-account met een andere naam" in html
    assert "al eerder gekregen" in html
    assert 'name="name_confirmed"' in html and 'name="again_confirmed"' in html
    # One tick is not enough: the other question stays.
    only_name = post_form(client, f"{BASE}/issue", {**data, "name_confirmed": "y"},
                          page=f"{BASE}/issue")
    assert only_name.status_code == 422
    assert "al eerder gekregen" in only_name.get_data(as_text=True)
    assert "andere naam" not in only_name.get_data(as_text=True)
    only_again = post_form(client, f"{BASE}/issue", {**data, "again_confirmed": "y"},
                           page=f"{BASE}/issue")
    assert only_again.status_code == 422
    assert "andere naam" in only_again.get_data(as_text=True)
    assert _count(app, held.achievement_id) == before
    both = post_form(client, f"{BASE}/issue", {**data, "name_confirmed": "y",
                                               "again_confirmed": "y"}, page=f"{BASE}/issue")
    assert both.status_code == 302
    assert _count(app, held.achievement_id) == before + 1


def test_someone_new_is_issued_at_once(app, client, auth, world):
    auth.login(TEACHER)
    response = post_form(client, f"{BASE}/issue", _form(world, "heel-nieuw@example.nl", "Nieuw"),
                         page=f"{BASE}/issue")
    assert response.status_code == 302


def test_the_credential_page_resends_or_shows_the_claim_link(app, client, auth, world, mailbox):
    """An unclaimed credential: mail the claim link again, or make one to copy."""
    auth.login(TEACHER)
    page = f"{BASE}/credentials/{world['credential']}"
    html = client.get(page).get_data(as_text=True)
    assert "Stuur de claimlink opnieuw" in html and "Maak een link om te kopiëren" in html
    mailbox.sent.clear()
    sent = post_form(client, f"{page}/claim-link", {"action": "mail"}, page=page)
    assert sent.status_code == 302
    assert [m.to for m in mailbox.sent] == ["lerende@example.nl"]
    copied = post_form(client, f"{page}/claim-link", {"action": "copy"}, page=page)
    assert copied.status_code == 200
    assert 'id="new-claim-link"' in copied.get_data(as_text=True)

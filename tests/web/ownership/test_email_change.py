"""Finding 6: changing the address needs the password, and the old address can undo it."""

from __future__ import annotations

import time

from tests.conftest import AuthActions, post_form
from tests.web.ownership.conftest import link_in, mails_to, user

OLD, NEW = "prucha@example.nl", "prucha@werk.example"


def change(client, password: str = "skillspas-demo"):
    return post_form(client, "/account/email", {"email": NEW, "password": password})


def test_wrong_password_changes_nothing_and_mails_nothing(app, client, auth, demo, mailbox):
    auth.login(OLD)
    response = change(client, password="fout-wachtwoord")
    assert response.status_code == 422
    assert "niet je huidige wachtwoord" in response.get_data(as_text=True)
    assert mailbox.sent == []


def test_old_address_is_told_and_can_undo(app, client, auth, demo, mailbox):
    intruder = app.test_client()
    AuthActions(intruder).login(OLD)
    change(intruder)
    intruder.get(link_in(mailbox, NEW, "/account/email/confirm/"))
    assert user(app, NEW).email_confirmed_at is not None
    notice = mails_to(mailbox, OLD)[-1].text
    assert NEW in notice and "zeven dagen" in notice
    undo = link_in(mailbox, OLD, "/account/email/undo/")
    assert "Zet mijn oude adres terug" in client.get(undo).get_data(as_text=True)
    response = post_form(client, undo, {})
    assert response.status_code == 302 and "/password/reset/" in response.location
    assert user(app, OLD) is not None and user(app, NEW) is None
    post_form(client, response.location, {"password": "weer-van-mij-123",
                                          "password2": "weer-van-mij-123"})
    assert "Uitloggen" not in intruder.get("/").get_data(as_text=True)  # its session ended
    assert auth.login(OLD, "weer-van-mij-123").location.endswith("/")
    auth.logout()
    again = post_form(client, undo, {}, follow_redirects=True)  # works once
    assert "werkt niet (meer)" in again.get_data(as_text=True)


def test_undo_link_expires_after_seven_days(app, client, auth, demo, mailbox, monkeypatch):
    auth.login(OLD)
    change(client)
    client.get(link_in(mailbox, NEW, "/account/email/confirm/"))
    undo = link_in(mailbox, OLD, "/account/email/undo/")
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", None)  # only the link ages
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 8 * 24 * 3600)
    response = post_form(client, undo, {}, follow_redirects=True)
    assert response.status_code == 200 and "werkt niet (meer)" in response.get_data(as_text=True)
    assert user(app, NEW) is not None

"""Reminders and notices: what is due goes out once, with a working link, respecting opt-outs."""

from __future__ import annotations

import re
from datetime import timedelta

from badges.issuing.models import Credential
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.reminders import services as reminders
from badges.reminders.models import NoticeSent
from tests._verify_support import issue
from tests.conftest import post_form


def tick(app, *, days_later: float = 0):
    with app.test_request_context():
        return reminders.tick(now=utcnow() + timedelta(days=days_later))


def test_an_unclaimed_credential_is_reminded_twice_with_a_working_link(app, client, auth, demo, mailbox):
    with app.app_context():
        uuid = issue(email="wacht@example.nl").uuid
    assert tick(app, days_later=3)["claim"] == 0
    assert tick(app, days_later=7.1)["claim"] == 1
    assert tick(app, days_later=8)["claim"] == 0  # once
    assert tick(app, days_later=21.5)["claim"] == 1
    assert tick(app, days_later=40)["claim"] == 0  # at most two
    first, second = [m for m in mailbox.sent if m.to == "wacht@example.nl" and "staat nog klaar" in m.subject]
    old = re.search(r"/claim/(\S+)", first.text).group(1)
    new = re.search(r"/claim/(\S+)", second.text).group(1)
    assert old != new and "Geen herinneringen meer" in second.text
    assert client.get(f"/claim/{old}").status_code in (404, 410, 200)
    assert "werkt niet" in client.get(f"/claim/{old}").get_data(as_text=True)
    assert "werkt niet" not in client.get(f"/claim/{new}").get_data(as_text=True)
    with app.app_context():
        logged = db.session.scalars(db.select(AuditEvent).filter_by(action="notice.sent",
                                                                    subject_id=uuid)).all()
        assert len(logged) == 2


def test_claimed_credentials_get_no_claim_reminder(app, demo, mailbox):
    with app.app_context():
        issue(email="vanessa@example.nl")  # a confirmed account: straight into the passport
    tick(app, days_later=7.1)
    assert not [m for m in mailbox.sent if m.to == "vanessa@example.nl" and "staat nog klaar" in m.subject]


def test_expiry_notices_before_the_end_and_only_the_nearest_when_both_are_due(app, demo, mailbox):
    with app.app_context():
        long = issue(email="vanessa@example.nl", valid_until=utcnow() + timedelta(days=90)).uuid
        short = issue(email="vanessa@example.nl", valid_until=utcnow() + timedelta(days=10),
                      dedup_key="kort").uuid
    sent = tick(app)
    assert sent["expiry"] == 1  # the short one: 14 days ahead (its 60-day notice is skipped)
    assert tick(app, days_later=31)["expiry"] == 1  # the long one, 59 days before its end
    assert tick(app, days_later=77)["expiry"] == 1  # and 13 days before
    assert tick(app, days_later=78)["expiry"] == 0
    notices = [m for m in mailbox.sent if "verloopt op" in m.subject]
    assert len(notices) == 3 and all(m.to == "vanessa@example.nl" for m in notices)
    with app.app_context():
        kinds = {(row.credential_id, row.kind, row.state) for row in db.session.scalars(db.select(NoticeSent))}
        short_id = db.session.scalar(db.select(Credential.id).filter_by(uuid=short))
        long_id = db.session.scalar(db.select(Credential.id).filter_by(uuid=long))
    assert (short_id, "expiry:60", "skipped") in kinds and (short_id, "expiry:14", "sent") in kinds
    assert (long_id, "expiry:60", "sent") in kinds and (long_id, "expiry:14", "sent") in kinds


def test_opting_out_per_kind_through_the_link(app, client, demo, mailbox):
    with app.app_context():
        issue(email="stop@example.nl")
    tick(app, days_later=7.1)
    mail = next(m for m in mailbox.sent if m.to == "stop@example.nl" and "staat nog klaar" in m.subject)
    link = re.search(r"http://localhost(/herinneringen/uit/\S+)", mail.text).group(1)
    page = client.get(link)
    assert "Stop deze berichten" in page.get_data(as_text=True)  # a GET (a mail scanner) changes nothing
    post_form(client, link, {})
    assert tick(app, days_later=21.5) == {"claim": 0, "expiry": 0, "skipped": 1}
    assert "werkt niet" in client.get("/herinneringen/uit/vervalst").get_data(as_text=True)


def test_the_organisation_sets_its_days(app, client, auth, demo, mailbox):
    auth.login("beheer@rocdemaasvallei.example")
    url = "/issuer/maasvallei-zorg-welzijn/herinneringen"
    bad = post_form(client, url, {"claim_days": "1, 2, 3", "expiry_days": "60"})
    assert bad.status_code == 422 and "hoogstens twee" in bad.get_data(as_text=True)
    post_form(client, url, {"claim_days": "3", "expiry_days": "", "renew_text": "Doe de herhaalcursus."})
    with app.app_context():
        issue(email="snel@example.nl")
        issue(email="vanessa@example.nl", valid_until=utcnow() + timedelta(days=10), dedup_key="x")
    sent = tick(app, days_later=3.1)
    assert sent["claim"] == 1 and sent["expiry"] == 0

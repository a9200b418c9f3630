"""Capability tokens and whole mails stay out of logs (#15 item 12)."""

from __future__ import annotations

import logging
import re

from badges.kernel.logs import redact
from tests.conftest import post_form

SECRET = "Zk3tW9vQx2LmN8pRs5TuV1yA"


def test_every_route_with_a_token_is_redacted(app):
    routes = [rule.rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    assert len(routes) >= 9
    for rule in routes:
        path = re.sub(r"<(?:\w+:)?token>", SECRET, rule)
        path = re.sub(r"<[^>]+>", "x", path)
        line = f'127.0.0.1 - - "GET {path}?next=/a HTTP/1.1" 200'
        assert SECRET not in redact(line), rule
        assert "[redacted]" in redact(line)


def test_a_request_to_a_capability_url_leaves_no_token_in_the_log(app, client, demo, caplog,
                                                                  monkeypatch):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(logging.getLogger("werkzeug"), "disabled", False)  # see below
    for path in (f"/s/{SECRET}", f"/claim/{SECRET}", f"/password/reset/{SECRET}",
                 f"/evidence/{SECRET}", f"/uitnodiging/{SECRET}", f"/account/confirm/{SECRET}"):
        client.get(path)
        # What a server or an error report writes about the request goes through logging.
        logging.getLogger("werkzeug").info('127.0.0.1 - - "GET %s HTTP/1.1" 404 -', path)
        logging.getLogger("badges.test").error("Exception on %s [GET]", path)
    assert caplog.records
    assert SECRET not in caplog.text
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_mails_are_not_logged_whole(app, client, demo, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    # Alembic's logging setup (tests/test_migrations.py) disables loggers that exist then.
    monkeypatch.setattr(logging.getLogger("badges.mail"), "disabled", False)
    app.extensions.pop("badges.mailer", None)  # built from configuration: no mail server
    try:
        post_form(client, "/password/forgot", {"email": "ben@example.nl"})
        mail = app.extensions["badges.mailer"].sent[-1]
    finally:
        app.extensions.pop("badges.mailer", None)
    token = re.search(r"/password/reset/(\S+)", mail.text).group(1)
    assert "ben@example.nl" in caplog.text  # that a mail went out is still logged
    assert token not in caplog.text and mail.text not in caplog.text

"""Fixtures for proving ownership of an address: a mailbox, link finders and user lookups."""

from __future__ import annotations

import re

from badges.accounts.models import User
from badges.kernel.extensions import db
from badges.kernel.mail import LogMailer
from tests.conftest import post_form

PASSWORD = "een-goed-wachtwoord"
COLLEGE = "maasvallei-zorg-welzijn"
ADMIN = "beheer@rocdemaasvallei.example"  # admin at COLLEGE (demo)


def link_in(mailbox: LogMailer, to: str, path: str) -> str:
    """The newest link to ``path`` (a prefix such as "/uitnodiging/") mailed to ``to``."""
    for mail in reversed(mailbox.sent):
        if mail.to == to:
            match = re.search(rf"http://localhost({re.escape(path)}\S+)", mail.text)
            if match:
                return match.group(1)
    raise AssertionError(f"no {path} link mailed to {to}")


def mails_to(mailbox: LogMailer, to: str) -> list:
    return [m for m in mailbox.sent if m.to == to]


def user(app, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(db.select(User).filter_by(email=email))


def register(client, email: str, password: str = PASSWORD, name: str = "Iemand", next_=None):
    url = f"/register?next={next_}" if next_ else "/register"
    return post_form(client, url, {"name": name, "email": email, "password": password,
                                   "password2": password}, page="/register")

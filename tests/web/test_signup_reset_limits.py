"""Registration and reset limits: a class gets through, an address is not mail-bombed,
and the answers never tell whether an address has an account (#15 item 12).

The limits used to count every POST per source address (10 a minute for
registration, 5 for a reset link), so a class registering from one school
address met "Even wachten" at the eleventh learner, while one target address
could be sent any number of mails from many sources.
"""

from __future__ import annotations

import re

import pytest

from badges.kernel.mail import LogMailer
from tests.conftest import post_form
from tests.web.test_classroom_login import browser, limited, within_one_minute  # noqa: F401

PASSWORD = "klas-wachtwoord-2026"


@pytest.fixture
def mailbox(limited) -> LogMailer:  # noqa: F811
    limited.extensions["badges.mailer"] = box = LogMailer()
    return box


def _flash(response_page: str) -> str:
    return re.search(r'<p class="flash[^"]*">(.*?)</p>', response_page, re.S).group(1).strip()


def test_a_class_of_thirty_registers_from_one_address(limited, mailbox, within_one_minute):  # noqa: F811
    statuses = [post_form(browser(limited), "/register", {
        "name": f"Leerling {n}", "email": f"klas{n:02d}@school.example", "password": PASSWORD,
        "password2": PASSWORD}).status_code for n in range(30)]
    assert statuses == [302] * 30
    assert len(mailbox.sent) == 30


@pytest.mark.parametrize("url", ["/password/forgot", "/register"])
def test_one_address_gets_at_most_three_mails_an_hour_and_the_answer_never_changes(
        limited, mailbox, demo, within_one_minute, url):  # noqa: F811
    answers = {}
    for email in ("ben@example.nl", "niemand-bekend@example.nl"):
        for n in range(6):  # from six different sources
            client = browser(limited, f"203.0.113.{n + 1}")
            data = {"email": email, "name": "X", "password": PASSWORD, "password2": PASSWORD}
            response = post_form(client, url, data)
            page = client.get(response.headers["Location"]).get_data(as_text=True)
            answers.setdefault(email, set()).add(
                (response.status_code, _flash(page).replace(email, "ADDRESS")))
    assert answers["ben@example.nl"] == answers["niemand-bekend@example.nl"]
    assert len(answers["ben@example.nl"]) == 1
    to_ben = [m for m in mailbox.sent if m.to == "ben@example.nl"]
    assert 1 <= len(to_ben) <= 3
    assert len([m for m in mailbox.sent if m.to == "niemand-bekend@example.nl"]) <= 3

"""The audit log's filter as an admin uses it (#22, after a browser walk): every action in
the dropdown can be read whole, the labels of one row line up, dates are typed the Dutch way
(day first), and a credential is found by pasting its link."""

from __future__ import annotations

import uuid

from badges.issuing.models import Credential
from badges.kernel.db import db
from tests.browser.conftest import login
from tests.browser.test_employer_verify import _issue, _revoke

ADMIN = "beheer@rocdemaasvallei.example"
AUDIT = "/issuer/maasvallei-zorg-welzijn/audit"

# Options of the action dropdown whose words do not fit in the closed box.
CUT_OFF = """() => {
  const box = document.getElementById('action'), style = getComputedStyle(box);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
    - 24;  // the arrow
  return [...box.options].filter(o => pen.measureText(o.text).width > room).map(o => o.text);
}"""

# Per row of fields (their boxes end at the same height): how far the labels' tops differ.
LABEL_SPREAD = """() => {
  const rows = {};
  for (const field of document.querySelectorAll('.filter-bar .field')) {
    const box = field.querySelector('input, select'), label = field.querySelector('label');
    const row = Math.round(box.getBoundingClientRect().bottom);
    (rows[row] ||= []).push(label.getBoundingClientRect().top);
  }
  return Object.values(rows).map(tops => Math.max(...tops) - Math.min(...tops));
}"""


def test_admin_filters_the_log(page, live_server, check_page):
    cred_id, actor, _png = _issue(live_server, f"logboek-{uuid.uuid4().hex[:8]}@example.nl")
    _revoke(live_server, cred_id, actor)
    with live_server.app.app_context():
        wanted = db.session.get(Credential, cred_id).uuid
        db.session.remove()

    login(page, live_server, ADMIN)
    page.goto(live_server(AUDIT))
    page.get_by_role("heading", name="Logboek", level=1).wait_for()
    assert page.evaluate(CUT_OFF) == []
    assert all(spread <= 1 for spread in page.evaluate(LABEL_SPREAD)), page.evaluate(LABEL_SPREAD)
    check_page("filter")

    # a Dutch browser asks for the day first: 01-02-2026 is 1 February
    page.get_by_label("Vanaf").click()
    page.keyboard.type("01022026")
    assert page.get_by_label("Vanaf").input_value() == "2026-02-01"
    page.get_by_label("Vanaf").fill("")

    # the link a teacher has (the verify link, or the credential's page) finds its events
    page.get_by_label("Bewijs (link of kenmerk)").fill(live_server(f"/verify?credential={wanted}"))
    page.get_by_label("Wat").select_option(label="Bewijs ingetrokken")
    page.get_by_role("button", name="Tonen").click()
    page.get_by_text("Examen ongeldig verklaard").wait_for()
    rows = page.locator("main tbody tr")
    assert rows.count() == 1
    assert page.get_by_label("Bewijs (link of kenmerk)").input_value() == wanted
    assert page.get_by_label("Wat").evaluate("e => e.selectedOptions[0].text") == \
        "Bewijs ingetrokken"
    assert page.evaluate(CUT_OFF) == []
    check_page("filtered by link")

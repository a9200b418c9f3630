"""The organisation's audit log audits (#22 item 11): readable names, paging, filters, links, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from badges.accounts.models import User
from badges.kernel import audit
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from tests.conftest import post_form
from tests.web.issuer.conftest import ADMIN, COLLEGE, TEACHER, org

BASE = f"/issuer/{COLLEGE}"


def _user_id(email: str) -> int:
    return db.session.scalar(db.select(User.id).filter_by(email=email))


def _many(app, n: int, *, action: str = "member.role", actor: str = TEACHER) -> None:
    with app.app_context():
        college, uid = org(), _user_id(actor)
        for i in range(n):
            audit.record(action, actor_id=uid, organisation_id=college.id, subject_type="user",
                         subject_id=uid, role=f"r{i}")
        db.session.commit()


def _rows(html: str) -> int:
    return len(re.findall(r'<tr class="audit-row"', html))


def test_actions_read_as_words_not_codes(client, auth, world):
    auth.login(ADMIN)
    post_form(client, f"{BASE}/tokens", {"name": "Koppeling", "scopes": ["read"]})
    post_form(client, f"{BASE}/people", {"email": "ben@example.nl", "role": "viewer"})
    html = client.get(f"{BASE}/audit").get_data(as_text=True)
    assert "API-sleutel gemaakt" in html and "Uitnodiging verstuurd" in html
    assert "token.create" not in html.split("<table")[1] and "member.invite<" not in html
    assert "subject_type" not in html and "api_token" not in html
    html = client.get(f"{BASE}/audit?lang=en").get_data(as_text=True)
    assert "API key created" in html and "Invitation sent" in html


def test_paging_also_when_filtered(app, client, auth, demo):
    _many(app, 130)
    auth.login(ADMIN)
    first = client.get(f"{BASE}/audit?action=member.role").get_data(as_text=True)
    assert _rows(first) == 50 and "Volgende" in first and "130" in first
    last = client.get(f"{BASE}/audit?action=member.role&page=3").get_data(as_text=True)
    assert _rows(last) == 30 and "Vorige" in last and "Volgende" not in last


def test_filters_by_person_date_and_credential_with_links(app, client, auth, world):
    _many(app, 3, actor=ADMIN)
    auth.login(ADMIN)
    with app.app_context():
        teacher, admin = _user_id(TEACHER), _user_id(ADMIN)
    html = client.get(f"{BASE}/audit?person={admin}").get_data(as_text=True)
    assert _rows(html) >= 3
    assert _rows(client.get(f"{BASE}/audit?person={teacher}").get_data(as_text=True)) == 0
    # The credential filter finds the issue event and links to the credential.
    cred = world["credential"]
    html = client.get(f"{BASE}/audit?credential={cred}").get_data(as_text=True)
    assert _rows(html) == 1 and "Bewijs uitgegeven" in html
    assert f'href="/issuer/{COLLEGE}/credentials/{cred}"' in html
    # A pasted link finds it too: the credential's page, the verify link, the issuer's page.
    from urllib.parse import quote

    for link in (f"http://localhost/credentials/{cred}",
                 f"http://localhost/verify?credential={cred.upper()}",
                 f" http://localhost/issuer/{COLLEGE}/credentials/{cred} "):
        html = client.get(f"{BASE}/audit?credential={quote(link)}").get_data(as_text=True)
        assert _rows(html) == 1, link
        assert f'id="credential" name="credential" value="{cred}"' in html  # what it looked for
    assert "Bewijs (link of kenmerk)" in html
    # Dates are Dutch calendar days, both ends included.
    today = datetime.now(UTC).date().isoformat()
    assert _rows(client.get(f"{BASE}/audit?credential={cred}&from={today}&to={today}")
                 .get_data(as_text=True)) == 1
    assert _rows(client.get(f"{BASE}/audit?credential={cred}&to=2020-01-01")
                 .get_data(as_text=True)) == 0
    # A bad date is a clear 400 in the user's language, not a crash.
    bad = client.get(f"{BASE}/audit?from=gisteren")
    assert bad.status_code == 400 and "datum" in bad.get_data(as_text=True).lower()


def test_csv_export_has_every_matching_row_and_is_spreadsheet_safe(app, client, auth, demo):
    _many(app, 130)
    with app.app_context():
        db.session.add(AuditEvent(action="member.remove", organisation_id=org().id,
                                  actor_label="=HYPERLINK(1)", subject_type="user", subject_id="1",
                                  details={}))
        db.session.commit()
    auth.login(ADMIN)
    response = client.get(f"{BASE}/audit.csv?action=member.role")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Wanneer", "Wie", "Wat"] and len(rows) == 131
    assert all(r[2] == "Rol aangepast" for r in rows[1:])
    every = client.get(f"{BASE}/audit.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in every
    auth.login(TEACHER)
    assert client.get(f"{BASE}/audit.csv").status_code == 403


def test_events_of_another_organisation_stay_out(app, client, auth, demo):
    with app.app_context():
        other = org("vakcollege-techniek-brabant")
        audit.record("member.role", organisation_id=other.id, subject_type="user", subject_id="9")
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).filter_by(
            organisation_id=other.id)) >= 1
    auth.login(ADMIN)
    assert _rows(client.get(f"{BASE}/audit?action=member.role").get_data(as_text=True)) == 0


def test_the_credential_page_trail_reads_as_words(client, auth, world):
    auth.login(TEACHER)
    html = client.get(f"{BASE}/credentials/{world['credential']}").get_data(as_text=True)
    trail = html.split("<h2>Logboek</h2>")[1]
    assert "Bewijs uitgegeven" in trail and "credential.issue" not in trail

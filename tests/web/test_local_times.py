"""Times and dates are shown in Dutch local time, never in UTC (#22 item 13).

Moments are stored in UTC. Just before midnight UTC it is already the next day in the
Netherlands (one hour later in winter, two in summer): a page that prints the stored value
shows the wrong day and hour. Dates in words follow the page's language.
"""

from __future__ import annotations

from datetime import UTC, datetime

from badges.accounts.models import User
from badges.kernel.db import db
from badges.passport import share
from tests._verify_support import issue

SUMMER_NIGHT = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 2 July, 00:30 in Amsterdam
WINTER_NIGHT = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March, 00:30 in Amsterdam


def _vanessa_world(app):
    with app.app_context():
        cred = issue(email="vanessa@example.nl", valid_from=WINTER_NIGHT)
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        link = share.create_link(vanessa, "Voor de werkgever", [cred.uuid], [])
        link.last_viewed_at = SUMMER_NIGHT
        link.created_at = SUMMER_NIGHT
        db.session.commit()
        return cred.uuid, link.id


def test_share_views_are_in_dutch_local_time(app, client, auth, demo):
    _uuid, link_id = _vanessa_world(app)
    auth.login("vanessa@example.nl")
    for page in ("/passport/share", f"/passport/share/{link_id}"):
        html = client.get(page).get_data(as_text=True)
        assert "02-07-2026 00:30" in html, page  # last viewed
        assert "01-07-2026 22:30" not in html, page


def test_dates_in_words_follow_the_language_and_the_dutch_day(app, client, auth, demo):
    uuid, _link_id = _vanessa_world(app)
    auth.login("vanessa@example.nl")
    dutch = client.get(f"/passport/c/{uuid}?lang=nl").get_data(as_text=True)
    assert "2 maart 2026" in dutch and "1 maart 2026" not in dutch
    english = client.get(f"/passport/c/{uuid}?lang=en").get_data(as_text=True)
    assert "March 2, 2026" in english and "maart" not in english


def test_verify_page_dates_are_dutch_calendar_days(app, client, demo):
    with app.app_context():
        uuid = issue(email="iemand@example.nl", valid_from=WINTER_NIGHT).uuid
    html = client.get(f"/verify?credential={uuid}").get_data(as_text=True)
    assert "2 maart 2026" in html and "1 maart 2026" not in html and "01-03-2026" not in html
    english = client.get(f"/verify?credential={uuid}&lang=en").get_data(as_text=True)
    assert "on March 2, 2026" in english

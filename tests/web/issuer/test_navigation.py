"""The workspace navigation fits the role and the kind of organisation (#22 item 10).

Tabs come in named groups; a community club sees no LLO trajectories or institution
sign-in; bulk pages keep the workspace navigation; the bulk preview names the achievement,
links issued rows to their credential, and an upload not yet issued can be discarded.
"""

from __future__ import annotations

import re

from badges.catalogue.models import Achievement
from badges.issuing.models import BulkJob, BulkRow, Credential
from badges.kernel.db import db
from tests.conftest import csrf_token, post_form
from tests.services.test_bulk import make_csv
from tests.web.bulk.test_routes import BASE as BULK
from tests.web.bulk.test_routes import job_url, upload
from tests.web.claimcodes.test_claim_codes import CLUB, TRAINER
from tests.web.issuer.conftest import ADMIN, COLLEGE, TEACHER


def _nav(html: str) -> str:
    return html.split('class="org-tabs"')[1].split("</nav>")[0]


def _links(nav: str) -> list[str]:
    return re.findall(r"<a href=\"[^\"]*\"[^>]*>([^<]+)</a>", nav)


def test_tabs_are_grouped_and_named_once(client, auth, demo):
    auth.login(ADMIN)
    nav = _nav(client.get(f"/issuer/{COLLEGE}/").get_data(as_text=True))
    groups = re.findall(r'class="org-tab-group"[^>]*>([^<]+)<', nav)
    assert groups == ["Uitgeven", "Bewijzen", "Organisatie"]
    links = _links(nav)
    assert len(links) == len(set(links))  # no two tabs with the same name
    assert "Trajecten toekennen" not in links and "Trajecten beoordelen" in links
    assert {"Mensen", "Logboek", "Cijfers", "In bulk"} <= set(links)


def test_a_community_club_sees_what_a_club_uses(client, auth, demo):
    auth.login(TRAINER)  # admin of a sports club
    nav = _nav(client.get(f"/issuer/{CLUB}/").get_data(as_text=True))
    assert f"/issuer/{CLUB}/trajecten" not in nav and f"/issuer/{CLUB}/trajectories" not in nav
    assert "/sign-in-rules" not in nav
    assert f"/issuer/{CLUB}/codes" in nav and f"/issuer/{CLUB}/people" in nav


def test_a_teacher_sees_no_admin_group(client, auth, demo):
    auth.login(TEACHER)
    nav = _nav(client.get(f"/issuer/{COLLEGE}/").get_data(as_text=True))
    assert "Organisatie" not in nav and "/people" not in nav and "/bulk/" in nav


def test_bulk_pages_stay_in_the_workspace_and_the_preview_names_things(app, client, auth, demo):
    auth.login(TEACHER)
    index = client.get(BULK).get_data(as_text=True)
    assert 'aria-label="Onderdelen van' in index and 'aria-current="page"' in _nav(index)
    url = job_url(upload(client, make_csv(3)))
    with app.app_context():
        name = db.session.scalar(db.select(Achievement.name).join(
            BulkRow, BulkRow.achievement_id == Achievement.id).limit(1))
    preview = client.get(url).get_data(as_text=True)
    assert 'aria-label="Onderdelen van' in preview
    table = preview.split("<tbody>")[1]
    assert name in table and "K0692" not in table
    client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
    with app.app_context():
        uuids = db.session.scalars(db.select(Credential.uuid).join(
            BulkRow, BulkRow.credential_id == Credential.id)).all()
    done = client.get(url).get_data(as_text=True)
    assert len(uuids) == 3
    for uuid in uuids:
        assert f'href="/issuer/{COLLEGE}/credentials/{uuid}"' in done


def test_an_upload_can_be_discarded_before_issuing(app, client, auth, demo):
    auth.login(TEACHER)
    url = job_url(upload(client, make_csv(3)))
    job_uuid = url.rstrip("/").rsplit("/", 1)[-1]
    assert "Weggooien" in client.get(url).get_data(as_text=True)
    response = post_form(client, url + "/discard", {}, page=url)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(BulkJob).filter_by(uuid=job_uuid)) is None
        assert db.session.scalar(db.select(db.func.count(BulkRow.id))) == 0
    assert client.get(url).status_code == 404

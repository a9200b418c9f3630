"""The issuer's figures (page, CSV, Excel, /api/v1/stats) against known events, with sub-units."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import timedelta

import openpyxl
import pytest

from badges.catalogue.models import Achievement, AchievementKind, AchievementState
from badges.insight import counting
from badges.insight.models import DailyCount
from badges.issuing import services as issuing
from badges.issuing.models import CredentialState
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.api_tokens import create_api_token
from badges.organisations.models import Organisation, OrganisationKind
from badges.passport import share
from tests.web.share.data import user

ZORG = "maasvallei-zorg-welzijn"


def org(slug: str) -> Organisation:
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


def new_achievement(owner: Organisation, name: str) -> Achievement:
    made = Achievement(organisation=owner, kind=AchievementKind.MODULE, state=AchievementState.PUBLISHED,
                       name=name, description=name, criteria_md=name)
    db.session.add(made)
    db.session.flush()
    return made


def issue(owner: Organisation, achievement: Achievement, email: str, **kw):
    return issuing.issue(owner, issuing.IssueRequest(achievement=achievement, recipient_email=email,
                                                     recipient_name="Lerende", **kw)).credential


@pytest.fixture
def world(app, demo):
    """Three credentials of a new module: one straight into Vanessa's passport (claimed),
    one revoked, one expiring yesterday; Vanessa shares hers, the page is opened once."""
    with app.app_context():
        college = org(ZORG)
        module = new_achievement(college, "Cijfermodule")
        mine = issue(college, module, "vanessa@example.nl")
        revoked = issue(college, module, "iemand@example.nl")
        issuing.change_state(revoked, CredentialState.REVOKED, "fout", actor_id=None)
        issue(college, module, "ander@example.nl", valid_from=utcnow() - timedelta(days=30),
              valid_until=utcnow() - timedelta(days=1))
        link = share.create_link(user("vanessa@example.nl"), "Voor werk", [mine.uuid], [])
        unit = Organisation(name="Team Zorg Oss", slug="team-zorg-oss", kind=OrganisationKind.COLLEGE,
                            parent_id=college.id)
        db.session.add(unit)
        db.session.flush()
        # The sub-unit's own issuing is the issuing tests' business: its rollup row is enough here.
        counting.add(Counter({(unit.id, module.id, utcnow().date(), "issued"): 4}))
        db.session.commit()
        return {"module": module.uuid, "mine": mine.document, "token": link.token,
                "api": create_api_token(college, "cijfers")}


def test_the_api_counts_what_happened(app, client, world):
    with app.app_context():
        counting.flush_verifications()  # what earlier tests of this app left
    client.get(f"/s/{world['token']}")
    for _ in range(2):
        assert client.post("/api/v1/verify", json=world["mine"]).status_code == 200
    with app.app_context():
        assert counting.flush_verifications() == 2  # a thread does this every few seconds
    answer = client.get("/api/v1/stats", headers={"Authorization": f"Bearer {world['api']}"})
    assert answer.status_code == 200
    module = next(a for a in answer.json["achievements"] if a["achievement"] == world["module"])
    assert {k: module[k] for k in ("issued", "claimed", "revoked", "expired", "shared", "viewed",
                                   "verified")} == {"issued": 3 + 4, "claimed": 1, "revoked": 1,
                                                    "expired": 1, "shared": 1, "viewed": 1,
                                                    "verified": 2}
    assert "team-zorg-oss" in answer.json["units"]  # the sub-unit's 4 are rolled up
    assert answer.json["totals"]["issued"] >= 7


def test_filters_and_bad_parameters(client, world):
    headers = {"Authorization": f"Bearer {world['api']}"}
    answer = client.get(f"/api/v1/stats?achievement={world['module']}&granularity=week", headers=headers)
    assert [a["achievement"] for a in answer.json["achievements"]] == [world["module"]]
    assert answer.json["periods"][-1]["period"].count("-W") == 1
    long_ago = client.get("/api/v1/stats?from=2001-01-01&to=2001-12-31", headers=headers)
    assert long_ago.json["totals"]["issued"] == 0
    for query in ("from=gisteren", "from=2026-02-01&to=2026-01-01", "kind=nope"):
        bad = client.get(f"/api/v1/stats?{query}", headers=headers)
        assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert client.get("/api/v1/stats").status_code == 401


def test_the_page_and_its_exports(client, auth, world):
    auth.login("docent@rocdemaasvallei.example")
    page = client.get(f"/issuer/{ZORG}/cijfers")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cijfermodule" in html and "Team Zorg Oss" in html

    sheet = client.get(f"/issuer/{ZORG}/cijfers?format=csv&table=achievements&achievement={world['module']}")
    rows = list(csv.reader(io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Prestatie", "Uitgegeven", "Opgehaald"]
    assert rows[1][:3] == ["Cijfermodule", "7", "1"]

    book = client.get(f"/issuer/{ZORG}/cijfers?format=xlsx&table=series")
    assert book.mimetype.endswith("spreadsheetml.sheet")
    values = list(openpyxl.load_workbook(io.BytesIO(book.data)).active.values)
    assert values[0][0] == "Periode" and sum(row[1] for row in values[1:]) >= 7
    assert client.get(f"/issuer/{ZORG}/cijfers?format=pdf").status_code == 404


def test_rebuild_recounts_from_the_credentials(app, runner, world):
    with app.app_context():
        db.session.execute(db.delete(DailyCount).where(DailyCount.metric == "issued"))
        db.session.commit()
    result = runner.invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        module = db.session.scalar(db.select(Achievement).filter_by(uuid=world["module"]))
        issued = db.session.scalar(db.select(db.func.sum(DailyCount.count)).where(
            DailyCount.achievement_id == module.id, DailyCount.metric == "issued",
            DailyCount.grain == "d"))
    assert issued == 3  # the sub-unit's hand-made 4 had no credentials behind them


def test_a_thread_writes_the_verification_counts(tmp_path):
    """Outside the suite's transaction: a real app whose thread flushes every second."""
    import time

    from badges import create_app
    from badges.app import shutdown
    from badges.demo.loader import load_demo
    from tests._verify_support import issue as issue_one

    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'flush.sqlite3'}",
                      "RATELIMIT_ENABLED": False, "INSIGHT_FLUSH_SECONDS": 1})
    with app.app_context():
        db.create_all()
        load_demo()
        document = issue_one().document
        db.session.commit()
    assert app.test_client().post("/api/v1/verify", json=document).status_code == 200
    deadline = time.monotonic() + 30
    written = 0
    while time.monotonic() < deadline and not written:
        time.sleep(0.2)
        with app.app_context():
            written = db.session.scalar(db.select(db.func.sum(DailyCount.count)).where(
                DailyCount.metric == "verified", DailyCount.grain == "d")) or 0
            db.session.remove()
    shutdown(app)
    assert written == 1


def test_the_count_thread_stops_with_its_server(tmp_path, caplog):
    """A live server that stops writes the counts it holds, and its thread ends with it:
    nothing tries to write once the database is gone ("unable to open database file")."""
    import json
    import threading
    import urllib.request

    from tests._verify_support import issue as issue_one
    from tests.browser.conftest import serve

    before = {t for t in threading.enumerate() if t.name == "insight-flush"}
    with serve(tmp_path, INSIGHT_FLUSH_SECONDS=3600) as live:  # never by the clock here
        with live.app.app_context():
            document = issue_one().document
            db.session.commit()
            db.session.remove()
        asked = urllib.request.Request(  # noqa: S310 - our own server
            live("/api/v1/verify"), data=json.dumps(document).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(asked, timeout=30) as answer:  # noqa: S310
            assert json.load(answer)["verified"] is True
        started = {t for t in threading.enumerate() if t.name == "insight-flush"} - before
        assert started  # the first verification started this server's writer
    assert not [t for t in started if t.is_alive()]
    with live.app.app_context():
        written = db.session.scalar(db.select(db.func.sum(DailyCount.count)).where(
            DailyCount.metric == "verified", DailyCount.grain == "d"))
        db.engine.dispose()
    assert written == 1  # written on the way out, not lost
    (tmp_path / "live.sqlite3").unlink()
    assert "writing verification counts failed" not in caplog.text

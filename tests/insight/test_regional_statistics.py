"""/statistieken against known data: the numbers, the suppression (9, 10, complements), the formats."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from badges.catalogue.models import Achievement, AchievementKind, AchievementState
from badges.insight import regional
from badges.issuing import services as issuing
from badges.kernel.db import db
from badges.listings.models import Listing
from badges.organisations.models import Organisation

ZORG = "maasvallei-zorg-welzijn"


def achievement(kind: AchievementKind, name: str, sector: str | None = None) -> Achievement:
    org = db.session.scalar(db.select(Organisation).filter_by(slug=ZORG))
    made = Achievement(organisation=org, kind=kind, state=AchievementState.PUBLISHED, name=name,
                       description=name, criteria_md=name, mbo_level="3")
    db.session.add(made)
    db.session.flush()
    if sector:
        db.session.add(Listing(achievement_lineage=made.lineage, organisation_id=org.id, sector=sector))
        db.session.flush()
    return made


def award(to: Achievement, learners: int, prefix: str, when: datetime) -> None:
    requests = [issuing.IssueRequest(achievement=to, recipient_email=f"{prefix}{i}@example.nl",
                                     recipient_name=f"Leerling {i}", valid_from=when)
                for i in range(learners)]
    issuing.issue_many(to.organisation, requests)


def row(table, key):
    i = table.rows.index(key)
    return table.cells[i], table.row_totals[i]


def test_cells_of_nine_are_hidden_ten_shown_and_complements_hidden_too(app, demo):
    k1, k2 = datetime(2030, 2, 1, tzinfo=UTC), datetime(2030, 5, 1, tzinfo=UTC)
    with app.app_context():
        award(achievement(AchievementKind.KEUZEDEEL, "K"), 12, "a", k1)
        award(achievement(AchievementKind.PRAKTIJKVERKLARING, "P"), 9, "b", k1)
        microcredential = achievement(AchievementKind.MICROCREDENTIAL, "M")
        award(microcredential, 30, "c", k1)
        award(microcredential, 20, "c", k2)  # the same 20 learners again, next quarter
    with app.test_request_context():
        stats = regional.regional(now=datetime(2030, 6, 1, tzinfo=UTC))
    table = stats.tables["type"]
    q1, q2 = stats.quarters.index("2030-K1"), stats.quarters.index("2030-K2")
    assert stats.quarters[-1] == "2030-K2" and len(stats.quarters) == 8

    p_cells, _ = row(table, "praktijkverklaring")
    assert p_cells[q1].hidden and p_cells[q1].primary  # 9 learners
    k_cells, k_total = row(table, "keuzedeel")
    assert k_cells[q1].hidden and not k_cells[q1].primary  # 12 learners, hidden to protect the 9
    assert k_total.hidden  # else the hidden 12 is the row total minus zeros
    m_cells, m_total = row(table, "microcredential")
    assert (m_cells[q1].shown, m_cells[q2].shown, m_total.shown) == (30, 20, 50)
    assert table.column_totals[q1].shown == 50  # 51 credentials, rounded to 5
    assert table.total.shown == 70  # 71


def test_the_page_json_and_csv_show_the_same_protected_figures(app, client, demo):
    now = datetime.now(UTC)
    with app.app_context():
        award(achievement(AchievementKind.KEUZEDEEL, "Horeca basis", sector="horeca"), 12, "h", now)
        award(achievement(AchievementKind.KEUZEDEEL, "Logistiek klein", sector="logistiek"), 9, "l", now)
    quarter = regional.quarter_of(now)

    data = client.get("/statistieken?format=json")
    assert data.status_code == 200 and data.headers["Access-Control-Allow-Origin"] == "*"
    sectors = {r["key"]: r for r in data.json["tables"]["sector"]["rows"]}
    assert sectors["horeca"]["label"] == "Horeca en toerisme"
    assert sectors["logistiek"]["quarters"][quarter] is None  # 9 learners
    assert data.json["method"]["min_learners_per_cell"] == 10

    sheet = client.get("/statistieken?format=csv&table=sector")
    assert sheet.status_code == 200 and sheet.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    header, logistiek = rows[0], next(r for r in rows if r[0] == "Logistiek en transport")
    assert logistiek[header.index(quarter)] == "x"
    horeca = next(r for r in rows if r[0] == "Horeca en toerisme")
    assert horeca[header.index(quarter)] in {"x", "10"}  # 10, unless hidden to protect logistiek

    page = client.get("/statistieken").get_data(as_text=True)
    assert "Horeca en toerisme" in page and "minder dan 10 verschillende mensen" in page
    assert "logistiek" not in client.get("/statistieken?format=csv&table=sector").get_data(as_text=True).lower() \
        .replace("logistiek en transport", "")  # labels only, never raw keys or addresses
    assert "@example.nl" not in page + data.get_data(as_text=True) + sheet.get_data(as_text=True)


@pytest.mark.parametrize("query", ["?format=xml", "?format=csv&table=nope", "?format=csv"])
def test_unknown_formats_and_tables_are_404(client, query):
    assert client.get(f"/statistieken{query}").status_code == 404


def test_the_page_speaks_english_too(client):
    page = client.get("/statistieken?lang=en").get_data(as_text=True)
    assert "How we protect privacy" in page


def test_the_public_page_is_counted_at_most_every_so_often(app, client, demo):
    from badges.insight.regional import _cache

    settings = app.config["BADGES"]
    settings["INSIGHT_REGIONAL_CACHE_SECONDS"] = 600
    try:
        before = client.get("/statistieken?format=json").json
        with app.app_context():
            award(achievement(AchievementKind.KEUZEDEEL, "Cache horeca", sector="horeca"), 15, "k",
                  datetime.now(UTC))
        assert client.get("/statistieken?format=json").json == before  # from the cache
        _cache.clear()
        after = client.get("/statistieken?format=json").json
        assert after != before
    finally:
        settings["INSIGHT_REGIONAL_CACHE_SECONDS"] = 0
        _cache.clear()


@pytest.mark.parametrize("quarter", ["2029-K4", "2030-K1", "2030-K2", "2030-K3"])
def test_the_database_is_asked_only_from_the_first_day_of_the_oldest_quarter(quarter):
    start = regional.quarter_start(quarter)
    assert regional.quarter_of(start) == quarter
    assert regional.quarter_of(start - timedelta(microseconds=1)) != quarter

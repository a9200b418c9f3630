"""Many people claim the last places of a code at the same moment: the maximum holds and
nobody gets an error page. Each thread has its own app context (own session and database
connection) against committed data. Meaningful on PostgreSQL (CI runs it there): the row
lock on the code serialises the claims; on SQLite writers queue anyway."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.claimcodes import services as codes
from badges.claimcodes.models import ClaimCode, ClaimState, CodeClaim
from badges.demo.loader import load_demo
from badges.kernel.db import db
from badges.kernel.errors import Conflict
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation

pytestmark = pytest.mark.postgres

PEOPLE, PLACES = 8, 3


@pytest.fixture
def world(app, committed_db):
    with app.test_request_context():
        load_demo()
        club = db.session.scalar(db.select(Organisation).filter_by(slug="sv-osc-28"))
        badge = db.session.scalar(db.select(Achievement).filter_by(organisation_id=club.id,
                                                                   name="Samenwerken in het team"))
        start = utcnow() - timedelta(minutes=5)
        code = codes.create(club, codes.CodeSpec(
            achievement_uuid=badge.uuid, title="Laatste plekken", starts_at=start,
            ends_at=start + timedelta(hours=3), max_claims=PLACES), actor_id=None)
        for n in range(PEOPLE):
            db.session.add(User(email=f"racer{n}@race.example", name=f"Racer {n}",
                                email_confirmed_at=utcnow()))
        db.session.commit()
        return code.id


def test_the_last_places_go_once_under_concurrent_claims(app, world):
    barrier = threading.Barrier(PEOPLE)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def runner(n: int) -> None:
        try:
            with app.test_request_context():
                barrier.wait(timeout=30)  # before any query: on SQLite a query holds the write lock
                code = db.session.get(ClaimCode, world)
                user = db.session.scalar(db.select(User).filter_by(email=f"racer{n}@race.example"))
                try:
                    codes.claim(code, codes.ClaimInput(email="", name=user.name), user=user)
                    outcomes.append("issued")
                except Conflict:
                    outcomes.append("full")
                db.session.remove()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(PEOPLE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(outcomes) == ["full"] * (PEOPLE - PLACES) + ["issued"] * PLACES
    with app.app_context():
        issued = db.session.scalar(db.select(db.func.count()).select_from(CodeClaim).where(
            CodeClaim.claim_code_id == world, CodeClaim.state == ClaimState.ISSUED))
        assert issued == PLACES

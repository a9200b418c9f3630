"""Pathway progress: a pure function over achievement lineages, plus what counts as held."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.trajectories import pathways
from tests.web.passport.conftest import issue


def _pathway(name, lineages, min_required=None):
    steps = [SimpleNamespace(achievement=SimpleNamespace(lineage=lin, name=lin))
             for lin in lineages]
    return SimpleNamespace(name=name, steps=steps, min_required=min_required)


class TestProgress:
    def test_counts_done_and_missing(self):
        [p] = pathways.progress([_pathway("metaal", ["a", "b", "c", "d", "e"])], {"a", "c", "x"})
        assert (p.count, p.required, p.complete) == (2, 5, False)
        assert [a.lineage for a in p.missing] == ["b", "d", "e"]
        assert p.percent == 40

    def test_pathways_without_any_step_are_left_out(self):
        assert pathways.progress([_pathway("zorg", ["a", "b"])], {"z"}) == []

    def test_any_n_of(self):
        [p] = pathways.progress([_pathway("keuze", ["a", "b", "c"], min_required=2)], {"a", "b"})
        assert p.complete and p.count == 2 and p.required == 2


def _user(email):
    return db.session.scalar(db.select(User).filter_by(email=email))


class TestHeldLineages:
    def test_demo_progress(self, app, demo):
        with app.app_context():
            [vanessa] = pathways.for_user(_user("vanessa@example.nl").id)
            assert (vanessa.pathway.name, vanessa.count, vanessa.required) == (
                "Van kassa naar zorg", 2, 3)
            [ben] = pathways.for_user(_user("ben@example.nl").id)
            assert (ben.count, ben.required) == (3, 5)
            assert pathways.for_user(_user("henk@example.nl").id) == []  # his VCA expired

    def test_revoked_suspended_expired_do_not_count(self, app, demo):
        with app.app_context():
            ben = _user("ben@example.nl")
            creds = sorted((c for c in db.session.scalars(db.select(Credential).filter_by(
                recipient_user_id=ben.id)) if c.organisation.slug == "vakcollege-techniek-brabant"),
                key=lambda c: c.achievement.name)
            assert len(creds) == 3
            creds[0].state = CredentialState.REVOKED
            creds[1].state = CredentialState.SUSPENDED
            creds[2].valid_until = utcnow() - timedelta(days=1)
            db.session.flush()
            assert pathways.held_lineages(ben.id) == {
                c.achievement.lineage for c in db.session.scalars(db.select(Credential).filter_by(
                    recipient_user_id=ben.id)) if c not in creds}
            assert pathways.for_user(ben.id) == []

    def test_any_version_of_the_lineage_counts(self, app, demo):
        with app.app_context():
            old = db.session.scalar(db.select(Achievement).filter_by(name="Lassen basis"))
            new = Achievement(lineage=old.lineage, version=2, organisation_id=old.organisation_id,
                              kind=old.kind, name="Lassen basis (2026)")
            db.session.add(new)
            db.session.flush()
            issued = issue("ben@example.nl", "Lassen basis", "vakcollege-techniek-brabant")
            issued.credential.achievement_id = new.id
            db.session.flush()
            db.session.expire_all()
            [ben] = [p for p in pathways.for_user(_user("ben@example.nl").id)]
            assert ben.count == 4

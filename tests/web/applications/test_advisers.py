"""Advisers: access with consent only, ending on expiry or withdrawal, every view logged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from badges.accounts.models import User
from badges.applications.models import AdviserGrant, AdviserView
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation
from tests.conftest import post_form

ADVISER = "adviseur@oss.example"


def _grant_id(app, learner: str = "vanessa@example.nl") -> int:
    with app.app_context():
        return db.session.scalar(db.select(AdviserGrant.id).join(
            User, AdviserGrant.learner_id == User.id).where(User.email == learner))


def _org_id(app, slug: str = "lerende-stad-oss") -> int:
    with app.app_context():
        return db.session.scalar(db.select(Organisation.id).filter_by(slug=slug))


class TestAdviserAccess:
    def test_adviser_sees_the_passport_and_the_view_is_logged(self, app, client, auth, demo):
        grant_id = _grant_id(app)
        auth.login(ADVISER)
        assert "Vanessa de Groot" in client.get("/adviseur").get_data(as_text=True)
        html = client.get(f"/adviseur/{grant_id}").get_data(as_text=True)
        assert "Pas van Vanessa de Groot" in html
        assert "/bewijs/" not in html  # no evidence files for advisers
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(AdviserView.id)).filter_by(
                grant_id=grant_id)) == 1
        auth.logout()
        auth.login("vanessa@example.nl")
        page = client.get("/passport/adviseurs").get_data(as_text=True)
        assert "Loopbaanadviseur Leerwerkloket" in page and "Pas en aanvragen" in page

    @pytest.mark.parametrize("email", ["ben@example.nl", "docent@rocdemaasvallei.example",
                                       "lerendestad@oss.example"])
    def test_nobody_else_sees_it(self, app, client, auth, demo, email):
        auth.login(email)
        assert client.get(f"/adviseur/{_grant_id(app)}").status_code == 404
        assert "Vanessa" not in client.get("/adviseur").get_data(as_text=True)

    def test_anonymous_must_log_in(self, app, client, demo):
        assert client.get(f"/adviseur/{_grant_id(app)}").status_code == 302

    def test_withdrawn_grant_ends_access_at_once(self, app, client, auth, demo):
        grant_id = _grant_id(app)
        auth.login("vanessa@example.nl")
        post_form(client, f"/passport/adviseurs/{grant_id}/intrekken", {},
                  page="/passport/adviseurs")
        auth.logout()
        auth.login(ADVISER)
        assert client.get(f"/adviseur/{grant_id}").status_code == 404
        assert "Vanessa" not in client.get("/adviseur").get_data(as_text=True)

    def test_expired_grant_ends_access(self, app, client, auth, demo):
        grant_id = _grant_id(app)
        with app.app_context():
            db.session.get(AdviserGrant, grant_id).expires_at = utcnow() - timedelta(minutes=1)
            db.session.commit()
        auth.login(ADVISER)
        assert client.get(f"/adviseur/{grant_id}").status_code == 404
        with app.app_context():
            assert not db.session.scalars(db.select(AdviserView).filter_by(
                grant_id=grant_id)).all()

    def test_another_learner_cannot_withdraw_it(self, app, client, auth, demo):
        auth.login("ben@example.nl")
        r = post_form(client, f"/passport/adviseurs/{_grant_id(app)}/intrekken", {},
                      page="/passport/adviseurs")
        assert r.status_code == 404


class TestGivingAccess:
    def _give(self, client, email, days, org_id):
        date = (utcnow() + timedelta(days=days)).date().isoformat()
        return post_form(client, "/passport/adviseurs", {"email": email, "organisation": org_id,
                                                         "expires": date})

    def test_give_to_an_existing_adviser_with_mail(self, app, client, auth, demo, mailer):
        auth.login("henk@example.nl")
        r = self._give(client, ADVISER, 30, _org_id(app))
        assert r.status_code == 302
        assert mailer.sent[-1].to == ADVISER
        auth.logout()
        auth.login(ADVISER)
        assert "Henk van der Berg" in client.get("/adviseur").get_data(as_text=True)

    def test_more_than_a_year_or_the_past_is_refused(self, app, client, auth, demo):
        auth.login("henk@example.nl")
        assert "hoogstens een jaar" in self._give(client, ADVISER, 400, _org_id(app)) \
            .get_data(as_text=True)
        assert "in de toekomst" in self._give(client, ADVISER, -1, _org_id(app)) \
            .get_data(as_text=True)

    def test_account_that_is_not_a_member_gets_nothing_and_says_nothing(self, app, client, auth,
                                                                         demo, mailer):
        """It said "werkt niet bij …" only for addresses with an account: that told who had one."""
        auth.login("henk@example.nl")
        answers = []
        for email in ("ben@example.nl", "niemand-hier@oss.example"):
            response = self._give(client, email, 30, _org_id(app))
            page = client.get(response.headers.get("Location", "/passport/adviseurs"))
            answers.append((response.status_code,
                            page.get_data(as_text=True).replace(email, "ADDRESS")
                            .count("ADDRESS")))
        assert answers[0] == answers[1] and answers[0][0] == 302
        assert [m.to for m in mailer.sent[-2:]] == ["ben@example.nl", "niemand-hier@oss.example"]
        auth.logout()
        auth.login("ben@example.nl")
        assert "Henk" not in client.get("/adviseur").get_data(as_text=True)  # not a member

    def test_invited_adviser_needs_a_confirmed_address_and_membership(self, app, client, auth,
                                                                       demo, mailer):
        import re

        from badges.accounts import services as accounts
        from badges.organisations.models import Membership, Role

        auth.login("henk@example.nl")
        self._give(client, "nieuw-adviseur@oss.example", 30, _org_id(app))
        auth.logout()
        with app.test_request_context():
            user = accounts.register("nieuw-adviseur@oss.example", "Nieuw", "een-lang-wachtwoord1")
            db.session.commit()
            user_id = user.id
        auth.login("nieuw-adviseur@oss.example", "een-lang-wachtwoord1")
        assert "Henk" not in client.get("/adviseur").get_data(as_text=True)
        with app.app_context():
            db.session.add(Membership(user_id=user_id, organisation_id=_org_id(app),
                                      role=Role.VIEWER))
            db.session.commit()
        # A member, but the address is not proven: anyone can register any address.
        assert "Henk" not in client.get("/adviseur").get_data(as_text=True)
        confirm = re.search(r"http://localhost(/account/confirm/\S+)", mailer.sent[-1].text)
        client.get(confirm.group(1))
        assert "Henk van der Berg" in client.get("/adviseur").get_data(as_text=True)


class TestAdviserReadsThePassport:
    """#22 item 12: not a flat list: skills, pathways and "Wat nu?", read-only, clickable."""

    def test_skills_pathways_and_next_steps_within_the_consent(self, app, client, auth, demo):
        import re

        from badges.listings import suggestions
        from badges.passport import services as passport
        from badges.trajectories import pathways

        grant_id = _grant_id(app)
        with app.test_request_context():
            vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
            skills = [e.label for _group, entries in passport.skills_overview(vanessa.id)
                      for e in entries]
            progress = [p.pathway.target.name if p.pathway.target else p.pathway.name
                        for p in pathways.for_user(vanessa.id)]
            ideas = [s.name for s in suggestions.for_user(vanessa.id)]
            own = [c.uuid for c in passport.cards(vanessa.id) if not c.imported]
        assert skills and progress and ideas and own, "the demo gives Vanessa all of these"
        auth.login(ADVISER)
        html = client.get(f"/adviseur/{grant_id}").get_data(as_text=True)
        from markupsafe import escape

        for text in (*skills, *progress, *ideas):
            assert str(escape(text)) in html, text
        for heading in ("Vaardigheden", "Op weg naar", "Wat nu?"):
            assert f">{heading}</h2>" in html
        # each credential opens its public check; nothing links to the learner's own pages
        for uuid in own:
            assert f'href="/verify?credential={uuid}"' in html
        links = set(re.findall(r'<main.*?</main>', html, flags=re.S)[0].split('href="')[1:])
        for link in {chunk.split('"', 1)[0].replace("&amp;", "&") for chunk in links}:
            if link.startswith("/"):
                assert client.get(link).status_code < 400, link
        assert "<form" not in re.findall(r'<main.*?</main>', html, flags=re.S)[0]  # read-only

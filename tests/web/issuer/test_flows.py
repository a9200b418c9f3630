"""The "done when" flows over HTTP: create, issue, version, revoke, reissue."""

from __future__ import annotations

import io
import re

from PIL import Image

from badges.catalogue.models import Achievement, AchievementState, Skill
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload
from tests.conftest import post_form
from tests.web.issuer.conftest import ADMIN, COLLEGE, TEACHER

BASE = f"/issuer/{COLLEGE}"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'


def keuzedeel_form(**extra):
    return {"kind": "keuzedeel", "name": "Werken met dementie",
            "description": "Je ondersteunt mensen met dementie.", "keuzedeel_code": "K0692",
            "sbu": "240", "validity_months": "60", "publish": "y", **extra}


def create(client, **extra):
    response = post_form(client, f"{BASE}/achievements/new", keuzedeel_form(**extra),
                         content_type="multipart/form-data")
    return response


def achievement_named(app, name):
    with app.app_context():
        return db.session.scalar(db.select(Achievement).filter_by(name=name)
                                 .order_by(Achievement.version.desc()))


class TestCreateAndIssue:
    def test_teacher_creates_keuzedeel_and_issues_it(self, app, client, auth, demo, mailbox):
        auth.login(TEACHER)
        with app.app_context():
            skill = db.session.scalar(db.select(Skill).limit(1))
        response = create(client, skills=[str(skill.id)], new_skills="Geduld, Luisteren",
                          image=(io.BytesIO(SVG), "badge.svg"))
        assert response.status_code == 302, response.get_data(as_text=True)
        with app.app_context():
            a = db.session.scalar(db.select(Achievement).filter_by(name="Werken met dementie"))
            assert a.keuzedeel_code == "K0692" and a.image_mime == "image/svg+xml"
            assert {s.label for s in a.skills} >= {skill.label, "Geduld", "Luisteren"}
        response = post_form(client, f"{BASE}/issue", {
            "achievement": a.id, "recipient_name": "Sam Jansen",
            "recipient_email": "sam@example.nl", "result": "goed", "assessor": "M. Verhoeven",
            "evidence_url": "https://portfolio.example/sam"})
        assert response.status_code == 302, response.get_data(as_text=True)
        with app.app_context():
            cred = db.session.scalar(db.select(Credential).filter_by(
                recipient_email="sam@example.nl"))
            assert cred.valid_until is not None  # from validity_months
            assert cred.result == {"value": "goed", "status": "Completed"}
            report = verify_upload(cred.document)
        assert report["verdict"] == "valid", report
        mail = next(m for m in mailbox.sent if m.to == "sam@example.nl")
        assert re.search(r"http://localhost/claim/[\w-]+", mail.text)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "sam@example.nl" in page and "OpenBadgeCredential" in page

    def test_missing_kind_fields_are_shown_and_input_kept(self, client, auth, demo):
        auth.login(TEACHER)
        response = create(client, keuzedeel_code="123", sbu="")
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "K met 4 cijfers" in html and "SBU" in html
        assert 'value="Werken met dementie"' in html
        assert 'aria-describedby="keuzedeel_code-help keuzedeel_code-error"' in html

    def test_free_grade_and_source_organisation(self, app, client, auth, demo):
        auth.login(TEACHER)
        with app.app_context():
            a = db.session.scalar(db.select(Achievement).join(Achievement.organisation)
                                  .filter_by(slug=COLLEGE).where(
                                      Achievement.state == AchievementState.PUBLISHED).limit(1))
            from badges.organisations.models import Organisation

            employer = db.session.scalar(db.select(Organisation).filter_by(
                slug="zorggroep-de-linde"))
        response = post_form(client, f"{BASE}/issue", {
            "achievement": a.id, "recipient_name": "Kim", "recipient_email": "kim@example.nl",
            "result": "other", "result_other": "7,5", "source": employer.id})
        assert response.status_code == 302
        with app.app_context():
            cred = db.session.scalar(db.select(Credential).filter_by(
                recipient_email="kim@example.nl"))
            assert cred.document["credentialSubject"]["source"]["name"] == "Zorggroep De Linde"
            assert cred.result["value"] == "7,5"
            assert verify_upload(cred.document)["verdict"] == "valid"


class TestImageRefusals:
    def _refused(self, client, data, name):
        response = create(client, image=(io.BytesIO(data), name))
        assert response.status_code == 422
        return response.get_data(as_text=True)

    def test_script_svg(self, client, auth, demo):
        auth.login(TEACHER)
        html = self._refused(client, b'<svg xmlns="http://www.w3.org/2000/svg">'
                                     b'<script>alert(1)</script></svg>', "x.svg")
        assert "&lt;script&gt;" in html and 'value="Werken met dementie"' in html

    def test_fake_png(self, client, auth, demo):
        auth.login(TEACHER)
        assert "geen echt PNG" in self._refused(client, b"\x89PNG\r\n\x1a\nnope" * 4, "x.png")

    def test_too_big(self, client, auth, demo):
        auth.login(TEACHER)
        out = io.BytesIO()
        Image.new("RGB", (64, 64)).save(out, format="PNG")
        assert "te groot" in self._refused(client, out.getvalue() + b"\0" * 600_000, "x.png")


class TestVersioning:
    def test_edit_published_keeps_old_credentials_on_old_version(self, app, client, auth, demo):
        auth.login(TEACHER)
        create(client)
        v1 = achievement_named(app, "Werken met dementie")
        post_form(client, f"{BASE}/issue", {"achievement": v1.id, "recipient_name": "A",
                                            "recipient_email": "a@example.nl"})
        response = post_form(client, f"{BASE}/achievements/{v1.uuid}/edit",
                             keuzedeel_form(name="Werken met dementie 2.0"),
                             content_type="multipart/form-data")
        assert response.status_code == 302
        with app.app_context():
            old = db.session.get(Achievement, v1.id)
            new = db.session.scalar(db.select(Achievement).filter_by(lineage=v1.lineage,
                                                                     version=2))
            cred = db.session.scalar(db.select(Credential).filter_by(
                recipient_email="a@example.nl"))
            assert old.state == AchievementState.ARCHIVED and new.name.endswith("2.0")
            assert cred.achievement_id == old.id
            assert verify_upload(cred.document)["verdict"] == "valid"
            assert db.session.scalar(db.select(AuditEvent).filter_by(action="achievement.version"))
        assert client.get(f"{BASE}/achievements/{v1.uuid}/edit").status_code == 302


class TestStateChanges:
    def _credential(self, app, client):
        create(client)
        a = achievement_named(app, "Werken met dementie")
        post_form(client, f"{BASE}/issue", {"achievement": a.id, "recipient_name": "Lee",
                                            "recipient_email": "lee@example.nl"})
        with app.app_context():
            return db.session.scalar(db.select(Credential).filter_by(
                recipient_email="lee@example.nl")).uuid

    def test_revoke_needs_reason_then_verifies_revoked_and_mails(self, app, client, auth, demo,
                                                                 mailbox):
        auth.login(TEACHER)
        uuid = self._credential(app, client)
        url = f"{BASE}/credentials/{uuid}"
        post_form(client, f"{url}/revoke", {"reason": "", "confirmed": "1"})
        with app.app_context():
            assert db.session.scalar(db.select(Credential).filter_by(uuid=uuid)).state == \
                CredentialState.ACTIVE
        post_form(client, f"{url}/revoke", {"reason": "Fraude", "confirmed": "1"})
        with app.app_context():
            cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
            assert cred.state == CredentialState.REVOKED
            assert verify_upload(cred.document)["verdict"] == "revoked"
        mail = [m for m in mailbox.sent if m.to == "lee@example.nl"][-1]
        assert "ingetrokken" in mail.subject and "Fraude" in mail.text

    def test_suspend_and_reinstate(self, app, client, auth, demo):
        auth.login(TEACHER)
        uuid = self._credential(app, client)
        url = f"{BASE}/credentials/{uuid}"
        post_form(client, f"{url}/state", {"state": "suspended", "reason": "Onderzoek"}, page=url)
        with app.app_context():
            cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
            assert verify_upload(cred.document)["verdict"] == "suspended"
        post_form(client, f"{url}/state", {"state": "active", "reason": "Klopt"}, page=url)
        with app.app_context():
            cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
            assert verify_upload(cred.document)["verdict"] == "valid"

    def test_reissue_revokes_old_and_issues_corrected(self, app, client, auth, demo, mailbox):
        auth.login(TEACHER)
        uuid = self._credential(app, client)
        url = f"{BASE}/credentials/{uuid}"
        response = post_form(client, f"{url}/reissue", {
            "recipient_name": "Lee de Vries", "recipient_email": "lee@example.nl",
            "revoke_old": "y", "reason": "Naam verbeterd"}, page=url)
        assert response.status_code == 302
        with app.app_context():
            old = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
            new = db.session.scalar(db.select(Credential).filter_by(
                recipient_name="Lee de Vries"))
            assert old.state == CredentialState.REVOKED and new.uuid != old.uuid
            assert new.achievement_id == old.achievement_id
            assert verify_upload(new.document)["verdict"] == "valid"

    def test_list_filters_and_search(self, app, client, auth, demo):
        auth.login(TEACHER)
        self._credential(app, client)
        html = client.get(f"{BASE}/credentials?q=LEE@example").get_data(as_text=True)
        assert "lee@example.nl" in html
        html = client.get(f"{BASE}/credentials?state=revoked&q=lee").get_data(as_text=True)
        assert "lee@example.nl" not in html

    def test_list_pages_fifty_at_a_time(self, app, client, auth, demo):
        with app.test_request_context():
            college = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
            achievement = db.session.scalar(db.select(Achievement).filter_by(
                organisation_id=college.id, state=AchievementState.PUBLISHED).limit(1))
            issuing.issue_many(college, [issuing.IssueRequest(
                achievement=achievement, recipient_email=f"pagina{i}@example.nl",
                recipient_name=f"Pagina {i}") for i in range(51)])
        auth.login(TEACHER)

        def shown(query):
            html = client.get(f"{BASE}/credentials?q=pagina{query}").get_data(as_text=True)
            return set(re.findall(r"pagina(\d+)@example\.nl", html)), html

        first, html = shown("")
        assert len(first) == 50 and "page=2" in html and "page=0" not in html
        second, html = shown("&page=2")
        assert len(second) == 1 and not second & first and "page=1" in html and "page=3" not in html
        assert shown("&page=3")[0] == set()
        assert shown("&page=-4")[0] == first


class TestDashboard:
    def test_lists_orgs_for_multi_member_and_redirects_single(self, client, auth, demo):
        auth.login(ADMIN)  # admin of two organisations
        html = client.get("/issuer/").get_data(as_text=True)
        assert "ROC De Maasvallei" in html and "Zorg &amp; Welzijn" in html
        auth.logout()
        auth.login("opleiding@delinde.example")
        response = client.get("/issuer/")
        assert response.headers["Location"].endswith("/issuer/zorggroep-de-linde/")
        assert "Fatima El Amrani" in client.get("/issuer/zorggroep-de-linde/").get_data(
            as_text=True)


class TestIssueFormRules:
    """The issue form applies the same rules as the API and the CSV (issuing/rules.py)."""

    def _issue(self, app, client, auth, **fields):
        auth.login(TEACHER)
        with app.app_context():
            a = db.session.scalar(db.select(Achievement).join(Achievement.organisation)
                                  .filter_by(slug=COLLEGE).where(
                                      Achievement.state == AchievementState.PUBLISHED).limit(1))
        data = {"achievement": a.id, "recipient_name": "Kim", "recipient_email": "kim@example.nl",
                **fields}
        return post_form(client, f"{BASE}/issue", data)

    def _issued(self, app) -> int:
        with app.app_context():
            return db.session.scalar(db.select(db.func.count(Credential.id)).filter_by(
                recipient_email="kim@example.nl"))

    def test_evidence_link_must_be_a_web_address(self, app, client, auth, demo):
        response = self._issue(app, client, auth, evidence_url="ftp://portfolio.example/kim")
        assert response.status_code == 422
        assert "geen webadres" in response.get_data(as_text=True)
        assert self._issued(app) == 0

    def test_valid_until_must_be_in_the_future(self, app, client, auth, demo):
        response = self._issue(app, client, auth, valid_until="2020-01-31")
        assert response.status_code == 422
        assert "verleden" in response.get_data(as_text=True)
        assert self._issued(app) == 0

    def test_a_name_of_only_spaces_is_missing(self, app, client, auth, demo):
        response = self._issue(app, client, auth, recipient_name="   ")
        assert response.status_code == 422
        assert "De naam ontbreekt" in response.get_data(as_text=True)
        assert self._issued(app) == 0

    def test_messages_in_english_on_the_english_page(self, app, client, auth, demo):
        client.get("/?lang=en")
        response = self._issue(app, client, auth, evidence_url="ftp://portfolio.example/kim")
        assert response.status_code == 422
        assert "not a web address" in response.get_data(as_text=True)

    def test_address_with_capitals_and_spaces_is_stored_normalised(self, app, client, auth, demo):
        response = self._issue(app, client, auth, recipient_email="  Kim@Example.NL ",
                               evidence_url="https://portfolio.example/kim",
                               valid_until="2040-12-31")
        assert response.status_code == 302
        assert self._issued(app) == 1

    def test_inputs_carry_the_rules_limits(self, client, auth, demo):
        auth.login(TEACHER)
        html = client.get(f"{BASE}/issue").get_data(as_text=True)
        for name, limit in (("recipient_name", 200), ("recipient_email", 254),
                            ("evidence_url", 500), ("evidence_text", 2000)):
            tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)
            assert f'maxlength="{limit}"' in tag

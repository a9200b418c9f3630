"""Four-eyes: certificate-like awards and awards above a limit wait for a second person."""

from __future__ import annotations

import io
import re

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement, AchievementKind, AchievementState
from badges.issuing import services as issuing
from badges.issuing.models import (
    AwardState,
    BulkJob,
    BulkJobState,
    Credential,
    HoldReason,
    PendingAward,
)
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.organisations import api_tokens
from badges.organisations.models import Membership, Organisation, Role
from tests.conftest import post_form

COLLEGE = "maasvallei-zorg-welzijn"
BASE = f"/issuer/{COLLEGE}"
TEACHER = "docent@rocdemaasvallei.example"  # issuer
APPROVER = "henk@example.nl"  # made an approver below
ADMIN = "beheer@rocdemaasvallei.example"


@pytest.fixture
def mailbox(app):
    mailer = LogMailer()
    app.extensions["badges.mailer"] = mailer
    yield mailer
    app.extensions.pop("badges.mailer", None)


def _college() -> Organisation:
    return db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))


def _user(email: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=email))


@pytest.fixture
def world(app, demo):
    """An mbo-certificaat and a module of the college; Henk is its approver."""
    with app.app_context():
        college = _college()
        cert = Achievement(organisation_id=college.id, kind=AchievementKind.MBO_CERTIFICAAT,
                           name="Mbo-certificaat Helpende zorg", crebo="25498",
                           state=AchievementState.PUBLISHED)
        module = Achievement(organisation_id=college.id, kind=AchievementKind.MODULE,
                             name="Module Hygiëne", state=AchievementState.PUBLISHED)
        db.session.add_all([cert, module])
        db.session.add(Membership(user_id=_user(APPROVER).id, organisation_id=college.id,
                                  role=Role.APPROVER))
        db.session.commit()
        return {"cert": cert.id, "cert_uuid": cert.uuid, "module": module.id,
                "module_uuid": module.uuid}


def _issue(client, achievement_id: int, email: str = "lotte@example.nl"):
    return post_form(client, f"{BASE}/issue", {"achievement": achievement_id,
                                               "recipient_email": email,
                                               "recipient_name": "Lotte"})


def _credentials(email: str) -> list[Credential]:
    return list(db.session.scalars(db.select(Credential).filter_by(recipient_email=email)))


def _waiting() -> list[PendingAward]:
    return list(db.session.scalars(db.select(PendingAward).filter_by(state=AwardState.WAITING)))


def test_an_mbo_certificaat_by_one_teacher_is_not_signed_until_a_second_approves(
        app, world, client, auth, mailbox):
    auth.login(TEACHER)
    response = _issue(client, world["cert"])
    assert response.status_code == 302
    assert "wacht op goedkeuring" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert _credentials("lotte@example.nl") == []  # nothing signed
        [award] = _waiting()
        assert award.reason == HoldReason.FOUR_EYES
        uuid = award.uuid
    assert not any(m.to == "lotte@example.nl" for m in mailbox.sent)
    # the teacher is no approver
    assert client.get(f"{BASE}/approvals").status_code == 403
    auth.logout()
    auth.login(APPROVER)
    page = client.get(f"{BASE}/approvals").get_data(as_text=True)
    assert "Mbo-certificaat Helpende zorg" in page and "Wacht op goedkeuring" in page
    response = post_form(client, f"{BASE}/approvals/{uuid}/approve", {},
                         page=f"{BASE}/approvals")
    assert response.status_code == 302
    with app.app_context():
        [credential] = _credentials("lotte@example.nl")
        assert credential.document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        assert credential.created_by_id == _user(TEACHER).id  # in the teacher's name
        assert db.session.scalar(db.select(PendingAward).filter_by(uuid=uuid)).state \
            == AwardState.APPROVED
    assert any(m.to == "lotte@example.nl" for m in mailbox.sent)  # delivered now


def test_the_issuer_cannot_approve_their_own_award(app, world, client, auth):
    with app.app_context():
        db.session.scalar(db.select(Membership).filter_by(
            user_id=_user(TEACHER).id, organisation_id=_college().id)).role = Role.APPROVER
        db.session.commit()
    auth.login(TEACHER)
    _issue(client, world["cert"])
    with app.app_context():
        uuid = _waiting()[0].uuid
    response = post_form(client, f"{BASE}/approvals/{uuid}/approve", {},
                         page=f"{BASE}/approvals", follow_redirects=True)
    assert "Een tweede persoon moet dit goedkeuren" in response.get_data(as_text=True)
    with app.app_context():
        assert _credentials("lotte@example.nl") == []


def test_a_second_person_rejects_with_a_reason(app, world, client, auth, mailbox):
    auth.login(TEACHER)
    _issue(client, world["cert"])
    with app.app_context():
        uuid = _waiting()[0].uuid
    auth.logout()
    auth.login(ADMIN)  # an admin may approve too
    post_form(client, f"{BASE}/approvals/{uuid}/reject",
              {"reason": "Het examen is nog niet vastgesteld."}, page=f"{BASE}/approvals")
    with app.app_context():
        assert _credentials("lotte@example.nl") == []
        assert db.session.scalar(db.select(PendingAward).filter_by(uuid=uuid)).state \
            == AwardState.REJECTED
    told = [m for m in mailbox.sent if m.to == TEACHER]
    assert told and "nog niet vastgesteld" in told[0].text


def test_four_eyes_can_be_turned_off_per_achievement_and_a_module_needs_none(
        app, world, client, auth):
    with app.app_context():
        db.session.get(Achievement, world["cert"]).four_eyes = False
        db.session.commit()
    auth.login(TEACHER)
    _issue(client, world["cert"])
    _issue(client, world["module"], "sam@example.nl")
    with app.app_context():
        assert len(_credentials("lotte@example.nl")) == 1
        assert len(_credentials("sam@example.nl")) == 1
        assert _waiting() == []


def test_the_51st_award_in_an_hour_is_held_when_the_limit_is_50(app, world, client, auth,
                                                                 mailbox):
    with app.test_request_context():
        college = _college()
        college.award_limit_hour = 50
        module = db.session.get(Achievement, world["module"])
        issuing.issue_many(college, [issuing.IssueRequest(
            achievement=module, recipient_email=f"leerling{i}@example.nl")
            for i in range(50)], actor_id=_user(TEACHER).id)
    auth.login(TEACHER)
    response = _issue(client, world["module"], "nummer51@example.nl")
    assert response.status_code == 302
    with app.app_context():
        assert _credentials("nummer51@example.nl") == []
        [award] = _waiting()
        assert award.reason == HoldReason.THRESHOLD
    assert any(m.to == ADMIN and "vastgehouden" in m.subject for m in mailbox.sent)
    # another teacher's account has its own count
    auth.logout()
    auth.login(APPROVER)
    _issue(client, world["module"], "ander@example.nl")
    with app.app_context():
        assert len(_credentials("ander@example.nl")) == 1


def test_the_api_holds_an_mbo_certificaat_too(app, world, client, auth):
    with app.app_context():
        token = api_tokens.create_api_token(_college(), "koppeling")
    response = client.post("/api/v1/credentials", headers={"Authorization": f"Bearer {token}"},
                           json={"achievement": world["cert_uuid"],
                                 "recipient": {"email": "api@example.nl", "name": "Api"}})
    assert response.status_code == 202
    assert response.get_json()["status"] == "waiting"
    uuid = response.get_json()["id"]
    # the same call again holds nothing twice
    again = client.post("/api/v1/credentials", headers={"Authorization": f"Bearer {token}"},
                        json={"achievement": world["cert_uuid"],
                              "recipient": {"email": "api@example.nl", "name": "Api"}})
    assert again.status_code == 202 and again.get_json()["id"] == uuid
    with app.app_context():
        assert _credentials("api@example.nl") == [] and len(_waiting()) == 1
    auth.login(APPROVER)
    post_form(client, f"{BASE}/approvals/{uuid}/approve", {}, page=f"{BASE}/approvals")
    with app.app_context():
        assert len(_credentials("api@example.nl")) == 1


def test_a_bulk_job_waits_and_is_approved_as_a_whole(app, world, client, auth):
    auth.login(TEACHER)
    csv = ("e-mail;naam;prestatie\r\n"
           f"een@example.nl;Een;{world['cert_uuid']}\r\n"
           f"twee@example.nl;Twee;{world['module_uuid']}\r\n").encode()
    response = post_form(client, f"{BASE}/bulk/", {"file": (io.BytesIO(csv), "klas.csv")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    job_url = response.location
    job_uuid = re.search(r"/bulk/([\w-]+)$", job_url).group(1)
    response = post_form(client, f"{BASE}/bulk/{job_uuid}/start", {}, page=job_url)
    assert response.status_code == 302
    assert "Wacht op goedkeuring" in client.get(job_url).get_data(as_text=True)
    with app.app_context():
        job = db.session.scalar(db.select(BulkJob).filter_by(uuid=job_uuid))
        assert job.state == BulkJobState.WAITING and job.issued == 0
        [award] = _waiting()
        assert award.bulk_job_id == job.id
        uuid = award.uuid
        assert _credentials("twee@example.nl") == []
    auth.logout()
    auth.login(APPROVER)
    post_form(client, f"{BASE}/approvals/{uuid}/approve", {}, page=f"{BASE}/approvals")
    with app.app_context():
        job = db.session.scalar(db.select(BulkJob).filter_by(uuid=job_uuid))
        assert job.state == BulkJobState.DONE and job.issued == 2
        assert len(_credentials("een@example.nl")) == 1


def _new_keuzedeel(client, name: str, four_eyes: str):
    return post_form(client, f"{BASE}/achievements/new", {
        "kind": "keuzedeel", "name": name, "description": "Beschrijving.",
        "keuzedeel_code": "K0692", "sbu": "240", "publish": "y", "four_eyes": four_eyes},
        content_type="multipart/form-data")


def test_only_an_admin_sets_four_eyes_on_an_achievement(app, world, client, auth):
    auth.login(TEACHER)  # an issuer may make achievements, not switch the control
    assert _new_keuzedeel(client, "Door docent", "on").status_code == 302
    auth.logout()
    auth.login(ADMIN)
    assert _new_keuzedeel(client, "Door beheerder", "on").status_code == 302
    with app.app_context():
        by_teacher = db.session.scalar(db.select(Achievement).filter_by(name="Door docent"))
        by_admin = db.session.scalar(db.select(Achievement).filter_by(name="Door beheerder"))
        assert by_teacher.four_eyes is None and not by_teacher.needs_second_person
        assert by_admin.four_eyes is True and by_admin.needs_second_person
    auth.logout()
    auth.login(TEACHER)
    _issue(client, by_admin.id)
    with app.app_context():
        assert _credentials("lotte@example.nl") == [] and len(_waiting()) == 1


def test_an_api_token_is_an_account_with_its_own_limit(app, world, client, auth, mailbox):
    with app.app_context():
        college = _college()
        college.award_limit_day = 2
        token = api_tokens.create_api_token(college, "Eduarte")
        db.session.commit()

    def call(email: str):
        return client.post("/api/v1/credentials", headers={"Authorization": f"Bearer {token}"},
                           json={"achievement": world["module_uuid"],
                                 "recipient": {"email": email, "name": "Api"}})

    assert call("a1@example.nl").status_code == 201
    assert call("a2@example.nl").status_code == 201
    third = call("a3@example.nl")
    assert third.status_code == 202 and third.get_json()["reason"] == "threshold"
    with app.app_context():
        assert _credentials("a3@example.nl") == []
    assert any(m.to == ADMIN and "Eduarte" in m.text for m in mailbox.sent)
    # a teacher's own count is separate from the token's
    auth.login(TEACHER)
    _issue(client, world["module"], "docent-telt-apart@example.nl")
    with app.app_context():
        assert len(_credentials("docent-telt-apart@example.nl")) == 1
    auth.logout()
    auth.login(APPROVER)
    post_form(client, f"{BASE}/approvals/{third.get_json()['id']}/approve", {},
              page=f"{BASE}/approvals")
    with app.app_context():
        [credential] = _credentials("a3@example.nl")
        assert credential.api_token_id is not None


def test_an_api_bulk_job_above_the_tokens_limit_waits_as_a_whole(app, world, client, auth):
    with app.app_context():
        college = _college()
        college.award_limit_hour = 1
        token = api_tokens.create_api_token(college, "Eduarte")
        db.session.commit()
    csv = ("e-mail;naam;prestatie\r\n"
           f"b1@example.nl;Een;{world['module_uuid']}\r\n"
           f"b2@example.nl;Twee;{world['module_uuid']}\r\n")
    response = client.post("/api/v1/bulk", headers={"Authorization": f"Bearer {token}"},
                           data=csv, content_type="text/csv")
    assert response.status_code == 202
    assert response.get_json()["state"] == "waiting"
    with app.app_context():
        [award] = _waiting()
        assert award.reason == HoldReason.THRESHOLD and award.bulk_job_id is not None
        assert _credentials("b1@example.nl") == []
        uuid = award.uuid
    auth.login(APPROVER)
    post_form(client, f"{BASE}/approvals/{uuid}/approve", {}, page=f"{BASE}/approvals")
    with app.app_context():
        assert len(_credentials("b1@example.nl")) == 1
        assert _credentials("b2@example.nl")[0].api_token_id is not None

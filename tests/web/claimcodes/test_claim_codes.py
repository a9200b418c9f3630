"""Claim codes at HTTP level: the issuer makes one, people claim it (signed in, or by email),
the maximum holds, approvals, restrictions, evidence, and what a bad code gets."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from badges import create_app
from badges.catalogue.models import Achievement
from badges.claimcodes import services as codes
from badges.claimcodes.models import ClaimCode, ClaimState, CodeClaim, EvidenceMode
from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.kernel.errors import InvalidInput
from badges.kernel.mail import LogMailer
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation
from tests.conftest import csrf_token, post_form
from tests.web.test_classroom_login import browser, limited, within_one_minute  # noqa: F401

CLUB = "sv-osc-28"
TRAINER = "trainer@osc28.example"


def make_code(app, **over) -> str:
    with app.test_request_context():
        club = db.session.scalar(db.select(Organisation).filter_by(slug=CLUB))
        badge = db.session.scalar(db.select(Achievement).filter_by(organisation_id=club.id,
                                                                   name="Samenwerken in het team"))
        start = utcnow() - timedelta(minutes=5)
        spec = {"achievement_uuid": badge.uuid, "title": "Training woensdag", "starts_at": start,
                "ends_at": start + timedelta(hours=3), "max_claims": 10, **over}
        return codes.create(club, codes.CodeSpec(**spec), actor_id=None).code


def claim_by_email(client, code: str, email: str, name: str = "Deelnemer", **extra):
    return post_form(client, f"/c/{code}", {"name": name, "email": email, **extra})


def confirm_link(mailbox, email: str) -> str:
    mail = next(m for m in reversed(mailbox.sent) if m.to == email and "Bevestig" in m.subject)
    return re.search(r"http://localhost(/c/bevestig/\S+)", mail.text).group(1)


def test_trainer_makes_a_code_and_a_poster(app, client, auth, demo):
    auth.login(TRAINER)
    page = client.get(f"/issuer/{CLUB}/codes/new")
    assert page.status_code == 200
    ach = re.search(r'<option value="([0-9a-f-]{36})">Samenwerken in het team', page.get_data(as_text=True))
    answer = post_form(client, f"/issuer/{CLUB}/codes/new", {
        "achievement": ach.group(1), "title": "Training woensdag", "starts_at": "2026-01-01T18:00",
        "ends_at": "2099-01-01T21:00", "max_claims": "12", "evidence": "none"})
    assert answer.status_code == 302
    detail = client.get(answer.location).get_data(as_text=True)
    with app.app_context():
        code = db.session.scalar(db.select(ClaimCode).filter_by(title="Training woensdag"))
        assert code.starts_at.hour == 17  # 18:00 in Oss (winter time) is 17:00 UTC
    assert codes.pretty(code.code) in detail and "Gebruikt: 0 van 12" in detail
    poster = client.get(f"/issuer/{CLUB}/codes/{code.id}/poster").get_data(as_text=True)
    assert "<svg" in poster and codes.pretty(code.code) in poster and f"/c/{code.code}" in poster


def test_a_signed_in_learner_claims_at_once(app, client, auth, demo):
    code = make_code(app)
    auth.login("vanessa@example.nl")
    answer = post_form(client, f"/c/{code}", {})
    assert answer.status_code == 200 and "Gelukt!" in answer.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(db.select(CodeClaim).filter_by(email="vanessa@example.nl"))
        credential = db.session.get(Credential, row.credential_id)
        assert row.state == ClaimState.ISSUED and credential.recipient_user_id is not None
    again = post_form(client, f"/c/{code}", {})
    assert again.status_code == 422 and "al gebruikt" in again.get_data(as_text=True)


def test_by_email_the_address_is_confirmed_first(app, client, demo, mailbox):
    code = make_code(app)
    answer = claim_by_email(client, code, "Nieuw.Lid@Example.nl", "Nieuw Lid")
    assert "Kijk in je mail" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Credential).filter_by(recipient_email="nieuw.lid@example.nl")) is None
    link = confirm_link(mailbox, "nieuw.lid@example.nl")
    done = client.get(link)
    assert done.status_code == 200 and "Gelukt!" in done.get_data(as_text=True)
    with app.app_context():
        credential = db.session.scalar(db.select(Credential).filter_by(recipient_email="nieuw.lid@example.nl"))
        assert credential is not None and credential.recipient_name == "Nieuw Lid"
    assert client.get(link).status_code == 200  # used again: shows where it stands, issues nothing more
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Credential).filter_by(
            recipient_email="nieuw.lid@example.nl")) == 1
    assert "werkt niet" in client.get("/c/bevestig/vervalst").get_data(as_text=True)


def test_the_maximum_holds_and_the_next_one_hears_why(app, client, demo, mailbox):
    code = make_code(app, max_claims=2)
    for i in range(3):
        claim_by_email(client, code, f"lid{i}@example.nl")
    results = [client.get(confirm_link(mailbox, f"lid{i}@example.nl")).get_data(as_text=True)
               for i in range(3)]
    assert "Gelukt!" in results[0] and "Gelukt!" in results[1]
    assert "Alle plekken voor deze code zijn al vergeven." in results[2]
    page = client.get(f"/c/{code}").get_data(as_text=True)
    assert "Alle plekken" in page and "Bewijs ophalen" not in page


def test_approval_first_then_issue_and_a_rejection_needs_a_reason(app, client, auth, demo, mailbox):
    code = make_code(app, needs_approval=True, evidence=EvidenceMode.TEXT)
    missing = claim_by_email(client, code, "a@example.nl")
    assert missing.status_code == 422 and "Schrijf in één zin" in missing.get_data(as_text=True)
    claim_by_email(client, code, "a@example.nl", "Anna", evidence_text="Ik heb de warming-up geleid")
    claim_by_email(client, code, "b@example.nl", "Bram", evidence_text="Ik was er")
    for email in ("a@example.nl", "b@example.nl"):
        assert "kijkt je aanvraag na" in client.get(confirm_link(mailbox, email)).get_data(as_text=True)
    with app.app_context():
        found = db.session.scalar(db.select(ClaimCode).filter_by(code=code))
        anna, bram = (db.session.scalar(db.select(CodeClaim).filter_by(email=e))
                      for e in ("a@example.nl", "b@example.nl"))
        code_id, anna_id, bram_id = found.id, anna.id, bram.id
    auth.login(TRAINER)
    detail = f"/issuer/{CLUB}/codes/{code_id}"
    assert "Ik heb de warming-up geleid" in client.get(detail).get_data(as_text=True)
    post_form(client, f"{detail}/claims/{anna_id}", {"decision": "approve"}, page=detail)
    no_reason = post_form(client, f"{detail}/claims/{bram_id}", {"decision": "reject"}, page=detail,
                          follow_redirects=True)
    assert "Schrijf waarom" in no_reason.get_data(as_text=True)
    post_form(client, f"{detail}/claims/{bram_id}", {"decision": "reject", "reason": "Niet aanwezig"},
              page=detail)
    with app.app_context():
        credential = db.session.scalar(db.select(Credential).filter_by(recipient_email="a@example.nl"))
        assert any(e.get("narrative") == "Ik heb de warming-up geleid" for e in credential.document["evidence"])
        assert db.session.get(CodeClaim, bram_id).state == ClaimState.REJECTED
    assert any(m.to == "b@example.nl" and "Niet aanwezig" in m.text for m in mailbox.sent)


def test_restricted_codes_and_closed_ones(app, client, auth, demo):
    code = make_code(app, allowed_domains="osc28.nl")
    refused = claim_by_email(client, code, "iemand@elders.nl")
    assert refused.status_code == 422 and "alleen voor bepaalde e-mailadressen" in refused.get_data(as_text=True)
    assert claim_by_email(client, code, "lid@OSC28.nl").status_code == 200
    later = make_code(app, starts_at=utcnow() + timedelta(days=1), ends_at=utcnow() + timedelta(days=2))
    assert "werkt pas vanaf" in client.get(f"/c/{later}").get_data(as_text=True)
    with app.app_context():
        found = db.session.scalar(db.select(ClaimCode).filter_by(code=code))
        code_id = found.id
    auth.login(TRAINER)
    post_form(client, f"/issuer/{CLUB}/codes/{code_id}/close", {"confirmed": "1"})
    auth.logout()
    assert "gesloten" in client.get(f"/c/{code}").get_data(as_text=True)


def test_a_photo_loses_its_location_data(app, client, demo, mailbox):
    code = make_code(app, evidence=EvidenceMode.PHOTO)
    picture = Image.new("RGB", (3000, 2000), "orange")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 45.0, 36.0)}  # GPS
    raw = io.BytesIO()
    picture.save(raw, "JPEG", exif=exif)
    answer = post_form(client, f"/c/{code}", {"name": "Foto", "email": "foto@example.nl",
                                              "photo": (io.BytesIO(raw.getvalue()), "foto.jpg")},
                       content_type="multipart/form-data")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(db.select(CodeClaim).filter_by(email="foto@example.nl")).evidence_image
    with Image.open(io.BytesIO(stored)) as kept:
        assert max(kept.size) == 1600 and not kept.getexif()
    bad = post_form(client, f"/c/{code}", {"name": "X", "email": "x@example.nl",
                                           "photo": (io.BytesIO(b"not an image"), "x.jpg")},
                    content_type="multipart/form-data")
    assert bad.status_code == 422 and "Kies een foto" in bad.get_data(as_text=True)


def test_typed_codes_are_forgiving_and_unknown_ones_clear(app, client, demo):
    code = make_code(app)
    typed = post_form(client, "/c", {"code": f" {code[:5].lower()} - {code[5:].lower()} "})
    assert typed.status_code == 302 and typed.location.endswith(f"/c/{code}")
    unknown = post_form(client, "/c", {"code": "AAAAA-BBBBB"})
    assert unknown.status_code == 422 and "kennen we niet" in unknown.get_data(as_text=True)
    assert client.get("/c/ZZZZZZZZZZ").status_code == 404


def test_guessing_codes_is_rate_limited(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False})
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        db.create_all()
    client = app.test_client()
    statuses = [client.post("/c", data={"code": f"GUESS{i:05d}"}).status_code for i in range(31)]
    assert statuses[:30] == [422] * 30 and statuses[30] == 429
    with app.app_context():
        db.engine.dispose()


def test_the_workspace_lists_codes_for_issuers_only(app, client, auth, demo):
    make_code(app)
    auth.login(TRAINER)
    assert "Training woensdag" in client.get(f"/issuer/{CLUB}/codes").get_data(as_text=True)
    assert csrf_token(client, f"/issuer/{CLUB}/codes/new")


def test_deleting_the_account_empties_its_claims(app, client, auth, demo):
    from badges.accounts.models import User
    from badges.passport import privacy

    code = make_code(app, evidence=EvidenceMode.TEXT)
    auth.login("vanessa@example.nl")
    post_form(client, f"/c/{code}", {"evidence_text": "Ik heb meegedaan"})
    with app.test_request_context():
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        privacy.delete_account(vanessa, "skillspas-demo")
    with app.app_context():
        row = db.session.scalar(db.select(CodeClaim).join(ClaimCode).filter(ClaimCode.code == code))
        assert row.email.endswith("@invalid") and row.name == "" and row.evidence_text == ""
        assert row.state == ClaimState.ISSUED  # the place stays taken


def test_a_restricted_code_takes_one_plain_address_in_its_one_spelling(app, client, demo, mailbox):
    """Attacks on the address restriction: a list of two addresses ("evil@…,x@school"), whose
    last one passed the domain check while the mail went to both; and other spellings of an
    allowed address (capitals, fullwidth letters, the domain in Unicode), which must count as
    the same address: allowed, and claiming once."""
    code = make_code(app, allowed_domains="School.NL, exämple.nl")
    for hostile in ("evil@attacker.example,x@school.nl", "evil@attacker.example x@school.nl",
                    "evil@attacker.example;x@school.nl", "Evil <x@school.nl>", "x@school.nl."):
        answer = claim_by_email(client, code, hostile)
        assert answer.status_code == 422, hostile
    assert [m.to for m in mailbox.sent] == []
    assert claim_by_email(client, code, "X@ＳＣＨＯＯＬ.nl").status_code == 200
    assert claim_by_email(client, code, "ü@exämple.nl").status_code == 200
    with app.app_context():
        assert sorted(c.email for c in db.session.scalars(db.select(CodeClaim))) == [
            "x@school.nl", "ü@xn--exmple-cua.nl"]
    client.get(confirm_link(mailbox, "x@school.nl"))
    again = claim_by_email(client, code, "x@ｓchool.nl")
    assert again.status_code == 422 and "al gebruikt" in again.get_data(as_text=True)


def test_an_address_list_of_the_issuer_is_stored_in_the_one_spelling(app, client, demo, mailbox):
    code = make_code(app, allowed_emails="Jan@Exämple.nl\nPiet@ＳＣＨＯＯＬ.nl")
    assert claim_by_email(client, code, "jan@xn--exmple-cua.nl").status_code == 200
    assert claim_by_email(client, code, "piet@school.nl").status_code == 200


def test_guessing_codes_by_their_link_is_rate_limited_too(tmp_path):
    """GET /c/<code> tells a known code (200) from an unknown one (404): the misses count."""
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "RATELIMIT_ENABLED": True})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    statuses = [client.get(f"/c/GUESS{i:05d}").status_code for i in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    with app.app_context():
        db.engine.dispose()


def test_one_address_gets_at_most_three_claim_mails_an_hour(limited, demo, within_one_minute):  # noqa: F811
    """Mail bombing: anyone could type someone else's address on code after code, from
    source after source, and each claim mailed a confirmation link. The answer stays the same."""
    limited.extensions["badges.mailer"] = box = LogMailer()
    code = make_code(limited)
    answers = set()
    for n in range(6):
        answer = claim_by_email(browser(limited, f"203.0.113.{n + 1}"), code, "doelwit@example.nl")
        answers.add((answer.status_code, "Kijk in je mail" in answer.get_data(as_text=True)))
    assert answers == {(200, True)}
    assert len([m for m in box.sent if m.to == "doelwit@example.nl"]) == 3


def _code_form(client, **over):
    page = client.get(f"/issuer/{CLUB}/codes/new").get_data(as_text=True)
    ach = re.search(r'<option value="([0-9a-f-]{36})">Samenwerken in het team', page)
    return post_form(client, f"/issuer/{CLUB}/codes/new", {
        "achievement": ach.group(1) if ach else "", "title": "Training", "starts_at": "2026-01-01T18:00",
        "ends_at": "2099-01-01T21:00", "max_claims": "12", "evidence": "none", **over})


def test_a_code_does_not_pass_four_eyes(app, client, auth, demo):
    """The four-eyes promise: an award of an achievement that needs a second person is not
    signed until one approves. A code claimed by anyone issued it with nobody's second look
    (the claims are issued, or approved by the trainer alone). Such an achievement is not
    offered for a code, and a forged choice is refused."""
    with app.app_context():
        badge = db.session.scalar(db.select(Achievement).filter_by(name="Samenwerken in het team"))
        badge.four_eyes = True
        db.session.commit()
        uuid = badge.uuid
    auth.login(TRAINER)
    assert uuid not in client.get(f"/issuer/{CLUB}/codes/new").get_data(as_text=True)
    assert _code_form(client, achievement=uuid).status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(ClaimCode).filter_by(title="Training")) is None
    with app.test_request_context(), pytest.raises(InvalidInput) as refused:
        make_code(app)
    assert "tweede persoon" in refused.value.errors["achievement"]


def test_a_code_does_not_pass_the_award_limit(app, client, auth, demo):
    """Awards above an account's daily limit wait for a second person: a code for more people
    than the trainer may award in a day would issue them all without one."""
    with app.app_context():
        club = db.session.scalar(db.select(Organisation).filter_by(slug=CLUB))
        club.award_limit_day = 10
        db.session.commit()
    auth.login(TRAINER)
    answer = _code_form(client, max_claims="11")
    assert answer.status_code == 422 and "10" in answer.get_data(as_text=True)
    assert _code_form(client, max_claims="10").status_code == 302


def test_a_code_stops_when_its_achievement_later_needs_a_second_person(app, client, auth, demo):
    code = make_code(app)
    waiting = make_code(app, needs_approval=True, title="Met goedkeuring")
    auth.login("ben@example.nl")
    assert post_form(client, f"/c/{waiting}", {}).status_code == 200
    auth.logout()
    with app.app_context():
        badge = db.session.scalar(db.select(Achievement).filter_by(name="Samenwerken in het team"))
        badge.four_eyes = True  # an admin switches four-eyes on after the code was made
        db.session.commit()
    auth.login("vanessa@example.nl")
    answer = post_form(client, f"/c/{code}", {})
    assert answer.status_code == 422 and "gesloten" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(CodeClaim).filter_by(state=ClaimState.ISSUED)) is None
    auth.logout()
    auth.login(TRAINER)  # nor does the trainer approve a waiting claim alone
    with app.app_context():
        row = db.session.scalar(db.select(CodeClaim).filter_by(state=ClaimState.PENDING))
        url = f"/issuer/{CLUB}/codes/{row.claim_code_id}/claims/{row.id}"
    post_form(client, url, {"decision": "approve"}, page=f"/issuer/{CLUB}/codes/{row.claim_code_id}")
    with app.app_context():
        assert db.session.get(CodeClaim, row.id).state == ClaimState.PENDING


def test_a_link_for_a_claim_of_a_deleted_account_issues_nothing(app, client, auth, demo, mailbox):
    """The claims were emptied when the account was deleted: its mailed link must not issue a
    credential to the emptied row ("verwijderd-…@invalid", no name), nor may a trainer approve
    a waiting one."""
    from badges.accounts.models import User
    from badges.passport import privacy

    code = make_code(app)
    claim_by_email(client, code, "vanessa@example.nl", "Vanessa")
    link = confirm_link(mailbox, "vanessa@example.nl")
    waiting = make_code(app, needs_approval=True, title="Met goedkeuring")
    auth.login("vanessa@example.nl")
    post_form(client, f"/c/{waiting}", {})
    auth.logout()
    with app.test_request_context():
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        privacy.delete_account(vanessa, "skillspas-demo")
    answer = client.get(link)
    assert answer.status_code < 500
    with app.app_context():
        row = db.session.scalar(db.select(CodeClaim).join(ClaimCode).filter(ClaimCode.code == code))
        assert row is None  # an unconfirmed claim took no place: it is gone
        assert db.session.scalar(db.select(Credential).filter(
            Credential.recipient_email.like("%@invalid"))) is None
        pending = db.session.scalar(db.select(CodeClaim).join(ClaimCode).filter(ClaimCode.code == waiting))
        assert pending.state == ClaimState.REJECTED  # nothing for the trainer to approve


def test_a_big_class_typing_the_right_code_from_one_address_is_not_held_up(tmp_path):
    """Only wrong codes count toward the limit on /c: forty people behind one school address
    typing the right code in one minute all get through (the 31st got 429)."""
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.create_all()
        from badges.demo.loader import load_demo

        with app.test_request_context():
            load_demo()
        code = db.session.scalar(db.select(ClaimCode)).code
    client = app.test_client()
    statuses = {client.post("/c", data={"code": code.lower()}).status_code for _ in range(40)}
    assert statuses == {302}
    with app.app_context():
        db.engine.dispose()


def test_a_phone_photo_taken_upright_stays_upright(app, client, demo, mailbox):
    """Phones store a portrait photo as landscape pixels plus an EXIF 'rotate' tag; the tag
    goes with the rest of the EXIF data, so the pixels are turned first."""
    code = make_code(app, evidence=EvidenceMode.PHOTO)
    picture = Image.new("RGB", (400, 300), "orange")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    raw = io.BytesIO()
    picture.save(raw, "JPEG", exif=exif)
    answer = post_form(client, f"/c/{code}", {"name": "Staand", "email": "staand@example.nl",
                                              "photo": (io.BytesIO(raw.getvalue()), "foto.jpg")},
                       content_type="multipart/form-data")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(db.select(CodeClaim).filter_by(email="staand@example.nl")).evidence_image
    with Image.open(io.BytesIO(stored)) as kept:
        assert kept.size == (300, 400) and not kept.getexif()

"""Every mail says who sent it and why you get it, in a text and an HTML part, in the
recipient's language, and names the achievement in that language (#21 item 3).

Each kind of mail is triggered through the service that sends it and read back from a
real local SMTP server.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable
from datetime import timedelta

import pytest

from badges.accounts import merging
from badges.accounts import services as accounts
from badges.accounts.models import User
from badges.applications import advisers
from badges.applications import mail as application_mail
from badges.applications.models import AdviserGrant, Application
from badges.catalogue.models import Achievement, Pathway
from badges.claimcodes import services as claimcodes
from badges.claimcodes.models import ClaimCode, ClaimState, CodeClaim
from badges.demo.claimcodes import DEMO_CODE
from badges.issuing import approvals, notifications
from badges.issuing import services as issuing
from badges.issuing.models import CoIssueRequest, CoIssueState, CredentialState
from badges.kernel.db import db
from badges.kernel.mail import SmtpMailer
from badges.kernel.models import utcnow
from badges.organisations import invitations, signup
from badges.organisations.models import Organisation, OrganisationKind, Role
from badges.organisations.setup import NewOrganisation
from badges.reminders import services as reminders
from badges.trajectories import services as trajectories
from badges.trajectories.models import AwardState, TrajectoryAward
from tests._verify_support import issue

COLLEGE = "maasvallei-zorg-welzijn"
CLUB = "sv-osc-28"
PASSWORD = "een-lang-en-sterk-wachtwoord-2026"


@pytest.fixture
def smtp(app, smtp_server):
    server, port = smtp_server
    app.extensions["badges.mailer"] = SmtpMailer("127.0.0.1", port, "Skillspas <no-reply@x.nl>",
                                                 timeout=5)
    yield server
    app.extensions.pop("badges.mailer", None)


def _org(slug: str) -> Organisation:
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


def _user(email: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=email))


def _parts(server, to: str, subject_part: str = ""):
    """The one message to ``to`` (whose subject has ``subject_part``): (message, text, html)."""
    found = [r for r in server.received if r.to == to and subject_part in r.subject]
    assert len(found) == 1, [(r.to, r.subject) for r in server.received]
    message = found[0].message
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",))
    assert page is not None, "no HTML part"
    return found[0], text, html_lib.unescape(page.get_content())


def _says_who_and_why(server, to: str, sender: str, reason: str, subject_part: str = "") -> tuple[str, str, str]:
    got, text, page = _parts(server, to, subject_part)
    via = "Skillspas" if sender == "Skillspas" else f"{sender} via Skillspas"
    assert got.message["From"].startswith(via) and "<no-reply@x.nl>" in got.message["From"]
    assert reason in text and reason in page, (reason, text)
    assert f"— {via}" in text and f"— {via}" in page
    assert "<style" not in page and 'style="' in page  # the layout's CSS is inlined
    return got.subject, text, page


# Each trigger sends one kind of mail and returns (recipient, sender, reason, subject part).
Trigger = Callable[[], tuple[str, str, str, str]]


def _confirmation():
    accounts.register("nieuwe.lerende@example.nl", "Nieuwe Lerende", PASSWORD)
    return ("nieuwe.lerende@example.nl", "Skillspas",
            "Je krijgt deze mail omdat met dit adres een account bij Skillspas is gemaakt.", "")


def _reset():
    accounts.request_password_reset("henk@example.nl")
    return ("henk@example.nl", "Skillspas", "Je krijgt deze mail omdat iemand voor dit adres een "
            "nieuw wachtwoord heeft gevraagd bij Skillspas.", "")


def _email_change():
    accounts.request_email_change(_user("henk@example.nl"), "henk.nieuw@example.nl",
                                  _password("henk@example.nl"))
    return ("henk.nieuw@example.nl", "Skillspas", "Je krijgt deze mail omdat iemand dit adres wil "
            "gebruiken voor een account bij Skillspas.", "")


def _password(email: str) -> str:
    user = _user(email)
    user.password_hash = accounts.hash_password(PASSWORD)
    db.session.commit()
    return PASSWORD


def _merge():
    henk = _user("henk@example.nl")
    merging.request_merge_link(_user("vanessa@example.nl"), henk.email)
    return (henk.email, "Skillspas", "Je krijgt deze mail omdat iemand jouw Skillspas met een "
            "andere pas wil samenvoegen.", "")


def _invitation():
    org = _org(COLLEGE)
    invitations.invite(org, "nieuwe.collega@example.nl", "Nieuwe Collega", Role.ISSUER,
                       inviter=_user("beheer@rocdemaasvallei.example"))
    return ("nieuwe.collega@example.nl", org.name, "Je krijgt deze mail omdat Ingrid Smits "
            f"dit adres heeft uitgenodigd voor {org.name}.", "")


def _signup():
    signup.submit(NewOrganisation(name="Buurthuis De Linde", kind=OrganisationKind.COMMUNITY,
                                  kvk="12345678"),
                  contact_name="Fatima", contact_email="fatima@delinde.example", reason="Vrijwilligers")
    return ("fatima@delinde.example", "Skillspas", "Je krijgt deze mail omdat je Buurthuis De Linde "
            "hebt aangemeld bij Skillspas.", "")


def _application():
    application = db.session.scalar(db.select(Application).filter_by(
        user_id=_user("henk@example.nl").id))
    application_mail.send_submitted(application.id)
    org = application.achievement.organisation
    return ("henk@example.nl", org.name, "Je krijgt deze mail omdat je bij "
            f"{org.name} erkenning hebt aangevraagd.", "")


def _adviser():
    grant = db.session.scalar(db.select(AdviserGrant))
    advisers.send_granted(grant.id)
    return (grant.adviser.email, "Skillspas", f"Je krijgt deze mail omdat {grant.learner.name} "
            "jou als adviseur heeft gekozen.", "")


def _co_issue():
    college, club = _org(COLLEGE), _org(CLUB)
    achievement = db.session.scalar(db.select(Achievement).filter_by(organisation_id=college.id))
    row = CoIssueRequest(organisation_id=college.id, partner_id=club.id,
                         achievement_id=achievement.id, recipient_email="leerling@example.nl",
                         recipient_name="Leerling")
    db.session.add(row)
    db.session.commit()
    notifications.send_co_issue_email(row.id, CoIssueState.PENDING.value)
    admin = next(iter(notifications._deciders(club.id)))
    return (admin.email, college.name, f"Je krijgt deze mail omdat je voor {club.name} bewijzen "
            f"mag uitgeven en {college.name} met jullie samenwerkt.", "Samen uitgeven")


def _demo_code() -> ClaimCode:
    return db.session.scalar(db.select(ClaimCode).filter_by(code=DEMO_CODE))


def _code_confirm():
    code = _demo_code()
    claimcodes.claim(code, claimcodes.ClaimInput(email="deelnemer@example.nl", name="Deelnemer",
                                                 evidence_text="Ik deed mee."), user=None)
    return ("deelnemer@example.nl", code.organisation.name, "Je krijgt deze mail omdat iemand met "
            f"dit adres een code van {code.organisation.name} gebruikte.", "")


def _code_decision():
    code = _demo_code()
    row = CodeClaim(claim_code_id=code.id, email="wachtend@example.nl", name="Wachtend",
                    state=ClaimState.PENDING)
    db.session.add(row)
    db.session.commit()
    claimcodes.decide(code, row.id, approve=False, reason="Niet aanwezig.",
                      actor_id=_user("beheer@rocdemaasvallei.example").id)
    return ("wachtend@example.nl", code.organisation.name, "Je krijgt deze mail omdat je met dit "
            f"adres een code van {code.organisation.name} gebruikte.", "")


def _held():
    org = _org(COLLEGE)
    approvals._alert_admins(org, _user("docent@rocdemaasvallei.example").id)
    return ("beheer@rocdemaasvallei.example", org.name,
            f"Je krijgt deze mail omdat je {org.name} beheert in Skillspas.", "vastgehouden")


def _announcement():
    org = _org(COLLEGE)
    issue(email="aangekondigd@example.nl")
    return ("aangekondigd@example.nl", org.name,
            f"Je krijgt deze mail omdat {org.name} dit bewijs aan dit adres gaf.", "")


def _state():
    org = _org(COLLEGE)
    credential = issue(email="ingetrokken@example.nl", announce=False)
    issuing.change_state(credential, CredentialState.REVOKED, "Vergissing", actor_id=None)
    return ("ingetrokken@example.nl", org.name,
            f"Je krijgt deze mail omdat {org.name} dit bewijs aan dit adres gaf.", "ingetrokken")


def _reminder():
    org = _org(COLLEGE)
    issue(email="henk@example.nl", valid_until=utcnow() + timedelta(days=10))
    reminders.tick()
    return ("henk@example.nl", org.name,
            "Je krijgt deze mail omdat dit bewijs in jouw Skillspas staat.", "verloopt")


def _trajectory():
    pathway = db.session.scalar(db.select(Pathway).order_by(Pathway.id))
    henk = _user("henk@example.nl")
    award = TrajectoryAward(pathway_id=pathway.id, user_id=henk.id, state=AwardState.PENDING)
    db.session.add(award)
    db.session.commit()
    trajectories.send_award_email(award.id)
    org = pathway.organisation
    return ("henk@example.nl", org.name, f"Je krijgt deze mail omdat je het traject "
            f"'{pathway.name}' van {org.name} volgt.", "")


KINDS: dict[str, Trigger] = {
    "confirmation": _confirmation, "reset": _reset, "email change": _email_change,
    "merge": _merge, "invitation": _invitation, "sign-up": _signup,
    "application": _application, "adviser": _adviser, "co-issue": _co_issue,
    "claim code confirm": _code_confirm, "claim code decision": _code_decision,
    "approval held": _held, "announcement": _announcement, "credential state": _state,
    "reminder": _reminder, "trajectory": _trajectory,
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_mail_says_who_sent_it_and_why(app, demo, smtp, kind):
    with app.test_request_context():
        to, sender, reason, subject_part = KINDS[kind]()
        _says_who_and_why(smtp, to, sender, reason, subject_part)


def test_the_html_part_carries_the_organisations_colour_and_the_text_links(app, demo, smtp):
    with app.test_request_context():
        org = _org(COLLEGE)
        org.colour = "#7a1f5c"
        db.session.commit()
        to, sender, reason, part = _held()
        _subject, _text, page = _says_who_and_why(smtp, to, sender, reason, part)
    assert "#7a1f5c" in page and '<html lang="nl">' in page


def test_a_rejected_award_names_the_achievement_in_english_for_an_english_issuer(app, demo, smtp):
    from badges.issuing.models import AwardState as Held
    from badges.issuing.models import HoldReason, PendingAward

    with app.test_request_context():
        org, docent = _org(COLLEGE), _user("docent@rocdemaasvallei.example")
        docent.locale = "en"
        achievement = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id))
        achievement.name_en = "Basic care"
        award = PendingAward(organisation_id=org.id, achievement_id=achievement.id,
                             requested_by_id=docent.id, recipient_email="x@example.nl",
                             reason=HoldReason.FOUR_EYES, state=Held.WAITING, request={})
        db.session.add(award)
        db.session.commit()
        approvals.reject(org, award.uuid, _user("beheer@rocdemaasvallei.example"), "Verkeerde naam")
        subject, text, _page = _says_who_and_why(
            smtp, docent.email, org.name, f"You get this email because you issued something for "
            f"{org.name} that waited for approval.")
    assert subject == "Award rejected: Basic care" and "Verkeerde naam" in text


def test_english_for_who_chose_english(app, demo, smtp):
    with app.test_request_context():
        henk = _user("henk@example.nl")
        henk.locale = "en"
        application = db.session.scalar(db.select(Application).filter_by(user_id=henk.id))
        application.achievement.name_en = "Youth coach"
        db.session.commit()
        org = application.achievement.organisation
        application_mail.send_approved(application.id)
        subject, text, page = _says_who_and_why(
            smtp, henk.email, org.name,
            f"You get this email because you asked {org.name} for recognition.")
        assert subject == "Your application is approved: Youth coach"
        assert "'Youth coach'" in text and '<html lang="en">' in page
        accounts.request_password_reset(henk.email)
        subject, _text, _page = _says_who_and_why(
            smtp, henk.email, "Skillspas", "You get this email because someone asked Skillspas "
            "for a new password for this address.", "password")
        issue(email=henk.email, valid_until=utcnow() + timedelta(days=10))
        reminders.tick()
        _says_who_and_why(smtp, henk.email, _org(COLLEGE).name,
                          "You get this email because this credential is in your Skillspas.",
                          "expires")


def test_a_mail_asked_for_on_an_english_page_is_in_english(app, demo, smtp):
    with app.test_request_context("/register?lang=en"):
        accounts.register("new.learner@example.nl", "New Learner", PASSWORD)
        _subject, text, page = _says_who_and_why(
            smtp, "new.learner@example.nl", "Skillspas",
            "You get this email because a Skillspas account was made with this address.")
    assert "Hello New Learner" in text and '<html lang="en">' in page


def test_the_announcement_names_the_achievement_in_both_languages(app, demo, smtp):
    with app.test_request_context():
        org = _org(COLLEGE)
        first = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id)
                                  .order_by(Achievement.id))
        first.name_en, dutch_name = "Basic care (English)", first.name
        db.session.commit()
        issue(email="tweetalig@example.nl")
        _subject, text, page = _says_who_and_why(
            smtp, "tweetalig@example.nl", org.name,
            f"Je krijgt deze mail omdat {org.name} dit bewijs aan dit adres gaf.")
    dutch, english = text.split("— English —")
    assert f"'{dutch_name}'" in dutch and "'Basic care (English)'" in english
    assert "'Basic care (English)'" in page.split('<div lang="en">')[1]


def test_a_mail_without_who_or_why_cannot_be_made():
    from badges.kernel.mail import Mail

    with pytest.raises(TypeError):
        Mail(to="a@example.nl", subject="Hallo", text="Hallo")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        Mail(to="a@example.nl", subject="Hallo", text="Hallo", sender="Skillspas", reason=" ")


def test_picking_english_while_signed_in_makes_the_mail_english(app, client, auth, demo, smtp):
    auth.login("henk@example.nl")
    client.get("/passport?lang=en")
    with app.test_request_context():  # a job: no page, the account's choice decides
        assert _user("henk@example.nl").locale == "en"
        accounts.request_password_reset("henk@example.nl")
        _says_who_and_why(smtp, "henk@example.nl", "Skillspas", "You get this email because "
                          "someone asked Skillspas for a new password for this address.")
    client.get("/passport?lang=nl")
    with app.app_context():
        assert _user("henk@example.nl").locale == "nl"

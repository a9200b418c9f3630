"""Emails about applications: to the learner at each step, to the assessors on news.

Jobs take the application id and re-read it, so a retried job sends what is
true now. Assessors are the organisation's members who may issue (issuer or
admin). Mails name the achievement and link to the page; they never carry
evidence or the learner's description.
"""

from __future__ import annotations

from badges.applications.models import Application
from badges.kernel import urls
from badges.kernel.db import db
from badges.kernel.mail import Mail, send_mail
from badges.organisations.models import Membership, Role

SIGN = "\n\n— Skillspas"


def _learner_link(application: Application) -> str:
    return f"{urls.base_url()}/passport/aanvragen/{application.uuid}"


def _assessor_link(application: Application) -> str:
    org = application.achievement.organisation
    return f"{urls.base_url()}/issuer/{org.slug}/aanvragen/{application.uuid}"


def assessor_emails(organisation_id: int) -> list[str]:
    rows = db.session.scalars(db.select(Membership).where(
        Membership.organisation_id == organisation_id,
        Membership.role.in_((Role.ISSUER, Role.ADMIN))))
    return sorted({m.user.email for m in rows if m.user.active})


def _to_learner(application_id: int, subject: str, body: str) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    name = application.achievement.name
    send_mail(Mail(to=application.user.email, subject=subject.format(name=name),
                   text=f"{application.user.name},\n\n{body.format(name=name)}{SIGN}"))


def _to_assessors(application_id: int, subject: str, body: str) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    name = application.achievement.name
    for email in assessor_emails(application.organisation_id):
        send_mail(Mail(to=email, subject=subject.format(name=name),
                       text=(f"{body.format(name=name, who=application.user.name)}\n\n"
                             f"Bekijk de aanvraag:\n{_assessor_link(application)}{SIGN}")))


def send_submitted(application_id: int) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    org = application.achievement.organisation.name
    _to_learner(application_id, "Je aanvraag is ingediend: {name}",
                f"We hebben je aanvraag voor '{{name}}' doorgestuurd naar {org}. Je hoort "
                f"het als zij een vraag hebben of een besluit nemen.\n\nJe aanvraag volgen:\n"
                f"{_learner_link(application)}")
    _to_assessors(application_id, "Nieuwe aanvraag: {name}",
                  "{who} vraagt erkenning voor '{name}'.")


def send_answered(application_id: int) -> None:
    _to_assessors(application_id, "Antwoord op je vraag: {name}",
                  "{who} heeft je vraag over de aanvraag voor '{name}' beantwoord.")


def send_question(application_id: int) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    _to_learner(application_id, "Er is een vraag over je aanvraag: {name}",
                "De beoordelaar heeft een vraag over je aanvraag voor '{name}'. Lees en "
                f"beantwoord de vraag hier:\n{_learner_link(application)}")


def send_approved(application_id: int) -> None:
    _to_learner(application_id, "Je aanvraag is toegekend: {name}",
                "Goed nieuws: je aanvraag voor '{name}' is toegekend. Het digitale bewijs "
                f"staat in je Skillspas:\n{urls.base_url()}/passport\n\n"
                "Het bewijs is van jou. Je kiest zelf met wie je het deelt.")


def send_declined(application_id: int) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    reason = application.decline_reason or ""
    _to_learner(application_id, "Je aanvraag is afgewezen: {name}",
                "Je aanvraag voor '{name}' is helaas afgewezen.\n\nReden:\n"
                + reason.replace("{", "{{").replace("}", "}}")
                + f"\n\nJe aanvraag bekijken:\n{_learner_link(application)}")


def statement_confirmation(evidence_id: int, token: str) -> None:
    """Ask the employer to confirm a statement the learner gave in its name."""
    from badges.applications.models import ApplicationEvidence

    row = db.session.get(ApplicationEvidence, evidence_id)
    if row is None or not row.confirm_email or row.confirmed_at is not None:
        return
    application = row.application
    link = f"{urls.base_url()}/verklaring/{token}"
    send_mail(Mail(
        to=row.confirm_email,
        subject=f"Wil je een verklaring bevestigen? ({application.user.name})",
        text=(f"Hallo {row.name},\n\n{application.user.name} vraagt erkenning aan voor "
              f"'{application.achievement.name}' en noemt jou als werkgever met deze verklaring:"
              f"\n\n\"{row.text}\"\n\nKlopt dit? Bevestig het hier (pas dan telt het als "
              f"jouw verklaring):\n{link}\n\nKlopt het niet? Doe dan niets.{SIGN}")))

"""Emails about applications: to the learner at each step, to the assessors on news.

Jobs take the application id and re-read it, so a retried job sends what is
true now. Assessors are the organisation's members who may issue (issuer or
admin). Mails name the achievement (in the recipient's language) and link to the
page; they never carry evidence or the learner's description. Each mail is written
in its recipient's language.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from badges.accounts.models import User
from badges.applications.models import Application
from badges.kernel import urls
from badges.kernel.db import db
from badges.kernel.mail import SERVICE, Mail, hello, recipient_language, send_mail, writing_in
from badges.organisations.mailing import branding
from badges.organisations.models import Membership, Role

#: (subject, body) for a badge name, in the language being written
Words = Callable[[str], tuple[str, str]]


def _learner_link(application: Application) -> str:
    return f"{urls.base_url()}/passport/aanvragen/{application.uuid}"


def _assessor_link(application: Application) -> str:
    org = application.achievement.organisation
    return f"{urls.base_url()}/issuer/{org.slug}/aanvragen/{application.uuid}"


def _assessors(organisation_id: int) -> list[User]:
    rows = db.session.scalars(db.select(Membership).where(
        Membership.organisation_id == organisation_id,
        Membership.role.in_((Role.ISSUER, Role.ADMIN))))
    return sorted({m.user for m in rows if m.user.active}, key=lambda u: u.email)


def _to_learner(application_id: int, words: Words) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    learner, org = application.user, application.achievement.organisation
    with writing_in(recipient_language(learner.locale)) as lang:
        subject, body = words(application.achievement.in_language("name", lang))
        send_mail(Mail(to=learner.email, subject=subject, text=f"{hello(learner.name)}\n\n{body}",
                       lang=lang, sender=org.name, branding=branding(org),
                       reason=_("Je krijgt deze mail omdat je bij %(org)s erkenning hebt "
                                "aangevraagd.", org=org.name)))


def _to_assessors(application_id: int, words: Words) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    org = application.achievement.organisation
    for person in _assessors(application.organisation_id):
        with writing_in(recipient_language(person.locale)) as lang:
            subject, body = words(application.achievement.in_language("name", lang))
            send_mail(Mail(to=person.email, subject=subject,
                           text=(f"{body}\n\n{_('Bekijk de aanvraag:')}\n"
                                 f"{_assessor_link(application)}"),
                           lang=lang, sender=org.name, branding=branding(org),
                           reason=_("Je krijgt deze mail omdat je aanvragen voor %(org)s mag "
                                    "beoordelen.", org=org.name)))


def send_submitted(application_id: int) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    org, who = application.achievement.organisation.name, application.user.name
    link = _learner_link(application)
    _to_learner(application_id, lambda name: (
        _("Je aanvraag is ingediend: %(badge)s", badge=name),
        _("We hebben je aanvraag voor '%(badge)s' doorgestuurd naar %(org)s. Je hoort het als "
          "zij een vraag hebben of een besluit nemen.\n\nJe aanvraag volgen:\n%(link)s",
          badge=name, org=org, link=link)))
    _to_assessors(application_id, lambda name: (
        _("Nieuwe aanvraag: %(badge)s", badge=name),
        _("%(who)s vraagt erkenning voor '%(badge)s'.", who=who, badge=name)))


def send_answered(application_id: int) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    who = application.user.name
    _to_assessors(application_id, lambda name: (
        _("Antwoord op je vraag: %(badge)s", badge=name),
        _("%(who)s heeft je vraag over de aanvraag voor '%(badge)s' beantwoord.",
          who=who, badge=name)))


def send_question(application_id: int) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    link = _learner_link(application)
    _to_learner(application_id, lambda name: (
        _("Er is een vraag over je aanvraag: %(badge)s", badge=name),
        _("De beoordelaar heeft een vraag over je aanvraag voor '%(badge)s'. Lees en "
          "beantwoord de vraag hier:\n%(link)s", badge=name, link=link)))


def send_approved(application_id: int) -> None:
    link = f"{urls.base_url()}/passport"
    _to_learner(application_id, lambda name: (
        _("Je aanvraag is toegekend: %(badge)s", badge=name),
        _("Goed nieuws: je aanvraag voor '%(badge)s' is toegekend. Het digitale bewijs "
          "staat in je Skillspas:\n%(link)s\n\nHet bewijs is van jou. Je kiest zelf met wie je "
          "het deelt.", badge=name, link=link)))


def send_declined(application_id: int) -> None:
    application = db.session.get(Application, application_id)
    if application is None:
        return
    reason, link = application.decline_reason or "", _learner_link(application)
    _to_learner(application_id, lambda name: (
        _("Je aanvraag is afgewezen: %(badge)s", badge=name),
        _("Je aanvraag voor '%(badge)s' is helaas afgewezen.\n\nReden:\n%(reason)s\n\n"
          "Je aanvraag bekijken:\n%(link)s", badge=name, reason=reason, link=link)))


def statement_confirmation(evidence_id: int, token: str) -> None:
    """Ask the employer to confirm a statement the learner gave in its name."""
    from badges.applications.models import ApplicationEvidence

    row = db.session.get(ApplicationEvidence, evidence_id)
    if row is None or not row.confirm_email or row.confirmed_at is not None:
        return
    application = row.application
    learner, org = application.user.name, application.achievement.organisation
    link = f"{urls.base_url()}/verklaring/{token}"
    known = db.session.scalar(db.select(User.locale).filter_by(email=row.confirm_email))
    with writing_in(recipient_language(known)) as lang:
        send_mail(Mail(
            to=row.confirm_email, lang=lang, sender=SERVICE,
            subject=_("Wil je een verklaring bevestigen? (%(learner)s)", learner=learner),
            text=_("Hallo %(name)s,\n\n%(learner)s vraagt erkenning aan voor '%(badge)s' en "
                   "noemt jou als werkgever met deze verklaring:\n\n\"%(statement)s\"\n\nKlopt "
                   "dit? Bevestig het hier (pas dan telt het als jouw verklaring):\n%(link)s\n\n"
                   "Klopt het niet? Doe dan niets.", name=row.name, learner=learner,
                   badge=application.achievement.in_language("name", lang),
                   statement=row.text, link=link),
            reason=_("Je krijgt deze mail omdat %(learner)s dit adres gaf bij een aanvraag bij "
                     "%(org)s.", learner=learner, org=org.name)))

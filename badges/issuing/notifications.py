"""Emails to learners about their credentials.

Jobs take ids (JSON-able) so they can run in a worker; each re-reads the
credential, so a retried job sends what is true now. New credentials are
announced in batches (one job, one query and one SMTP connection per
batch): a bulk run of 10,000 rows queues 40 jobs, not 10,000. A batch that
stops part-way queues the rest as a new job, so nobody gets the same email
twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import escape

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.issuing.events import CoIssueChanged, CredentialsIssued, CredentialStateChanged
from badges.issuing.models import CoIssueRequest, CoIssueState, Credential, CredentialState
from badges.issuing.services import Issued
from badges.kernel import jobs, urls
from badges.kernel.db import db
from badges.kernel.mail import (
    Branding,
    Mail,
    MailBatchError,
    hello,
    recipient_language,
    send_mail,
    send_mails,
    writing_in,
)
from badges.organisations.mailing import branding
from badges.organisations.models import Membership, Organisation, Role

log = logging.getLogger("badges.notifications")

#: Credentials announced per job; also the chunk size of a bulk run.
BATCH = 250


def claim_url(token: str) -> str:
    return f"{urls.base_url()}/claim/{token}"


def passport_url() -> str:
    return f"{urls.base_url()}/passport"


@dataclass(frozen=True)
class Brand:
    """How the issuing organisation speaks in its mail: colour, logo, its own opening words."""

    colour: str = "#1f5f8b"
    logo_url: str | None = None
    intro_nl: str = ""
    intro_en: str = ""


@dataclass(frozen=True)
class _Words:
    """One language's sentences of the announcement."""

    hello: str
    gave: str  # "{issuer} heeft je een digitaal bewijs gegeven voor {achievement}."
    claim: str
    open: str
    button: str
    fallback: str
    yours: str
    why: str


DUTCH = _Words(
    hello="Hallo", gave="{issuer} heeft je een digitaal bewijs gegeven voor '{achievement}'.",
    claim="Zet het in je Skillspas met deze link (je maakt zo nodig een gratis account):",
    open="Je vindt het in je Skillspas:", button="Naar mijn Skillspas",
    fallback="Werkt de knop niet? Open deze link:",
    yours="Het bewijs is van jou. Je kiest zelf met wie je het deelt.",
    why="Je krijgt deze mail omdat {issuer} dit bewijs aan dit adres gaf.")
ENGLISH = _Words(
    hello="Hello", gave="{issuer} has given you a digital credential for '{achievement}'.",
    claim="Put it in your Skillspas with this link (you can make a free account):",
    open="You will find it in your Skillspas:", button="Open my Skillspas",
    fallback="Does the button not work? Open this link:",
    yours="The credential is yours. You choose who you share it with.",
    why="You get this email because {issuer} gave this credential to this address.")


def _text_part(words: _Words, name: str | None, issuer: str, achievement: str, intro: str,
               claiming: bool, link: str) -> str:
    return "\n\n".join(filter(None, [
        f"{name or words.hello},", intro,
        words.gave.format(issuer=issuer, achievement=achievement),
        f"{words.claim if claiming else words.open}\n{link}",
        f"{words.yours} {words.why.format(issuer=issuer)}"]))


def _html_part(words: _Words, name: str | None, issuer: str, achievement: str, intro: str,
               claiming: bool, link: str) -> str:
    intro_html = f"<p>{escape(intro)}</p>" if intro else ""
    return (
        f'<p>{escape(name or words.hello)},</p>{intro_html}'
        f'<p>{escape(words.gave.format(issuer=issuer, achievement=achievement))}</p>'
        f'<p>{escape(words.claim if claiming else words.open)}</p>'
        f'<p><a class="button" href="{escape(link)}">{escape(words.button)}</a></p>'
        f'<p class="small">{escape(words.fallback)} {escape(link)}</p>'
        f'<p class="small">{escape(words.yours)} {escape(words.why.format(issuer=issuer))}</p>')


def _issued_mail(to: str, name: str | None, issuer: str, achievement: str, achievement_en: str,
                 claim_token: str | None, brand: Brand | None = None) -> Mail:
    """Dutch first, then English: an address with no account has no known language.

    Each half names the achievement in its own language. The HTML part is in the
    organisation's colour with its logo (the kernel's mail layout); every value is escaped.
    """
    brand = brand or Brand()
    link = claim_url(claim_token) if claim_token else passport_url()
    claiming = claim_token is not None
    english = achievement_en or achievement
    text = (_text_part(DUTCH, name, issuer, achievement, brand.intro_nl, claiming, link)
            + "\n\n— English —\n\n"
            + _text_part(ENGLISH, name, issuer, english, brand.intro_en, claiming, link))
    html = (_html_part(DUTCH, name, issuer, achievement, brand.intro_nl, claiming, link)
            + '<hr><div lang="en">'
            + _html_part(ENGLISH, name, issuer, english, brand.intro_en, claiming, link)
            + "</div>")
    return Mail(to=to, subject=f"Je hebt een digitaal bewijs gekregen: {achievement}", text=text,
                html=html, sender=issuer, reason=DUTCH.why.format(issuer=issuer),
                branding=Branding(brand.colour, brand.logo_url))


def preview(org: Organisation) -> Mail:
    """The announcement as ``org``'s learners would get it (for the workspace's preview)."""
    return _issued_mail("voorbeeld@example.nl", "Vanessa de Vries", org.name, "Voorbeeld van een bewijs",
                        "Example of a credential", "voorbeeld-token", brand_of(org))


def brand_of(org: Organisation) -> Brand:
    return Brand(org.colour, urls.issuer_logo_url(org.slug) if org.logo_mime else None,
                 org.mail_intro_nl or "", org.mail_intro_en or "")


def send_issued_email(credential_id: int, claim_token: str | None) -> None:
    """One announcement (kept for jobs queued before batches existed)."""
    send_issued_emails([[credential_id, claim_token]])


def send_issued_emails(items: Sequence[Sequence]) -> None:
    """Announce each ``[credential id, claim token]`` in ``items``, over one connection."""
    ids = [int(item[0]) for item in items]
    # Plain columns, not objects: a bulk run sends these 250 at a time.
    found = {row.id: row for row in db.session.execute(
        db.select(Credential.id, Credential.recipient_email, Credential.recipient_name,
                  Achievement.name.label("achievement"), Achievement.name_en.label("achievement_en"),
                  Organisation.name.label("issuer"),
                  Organisation.slug, Organisation.colour,
                  Organisation.logo_mime.is_not(None).label("has_logo"),
                  Organisation.mail_intro_nl, Organisation.mail_intro_en)
        .join(Achievement, Achievement.id == Credential.achievement_id)
        .join(Organisation, Organisation.id == Credential.organisation_id)
        .where(Credential.id.in_(ids)))}
    todo = [(found[cid], item[1]) for cid, item in zip(ids, items, strict=True)
            if cid in found and found[cid].recipient_email]
    try:
        send_mails([_issued_mail(row.recipient_email, row.recipient_name, row.issuer,
                                 row.achievement, row.achievement_en, token,
                                 Brand(row.colour, urls.issuer_logo_url(row.slug) if row.has_logo
                                       else None, row.mail_intro_nl or "", row.mail_intro_en or ""))
                    for row, token in todo])
    except MailBatchError as exc:
        if not jobs.queued() or exc.sent == 0:
            raise  # inline: the caller sees it; queued: RQ retries, nothing went out twice
        rest = [[row.id, token] for row, token in todo[exc.sent:]]
        log.warning("mail stopped after %d of %d (%s); queued the other %d",
                    exc.sent, len(todo), exc.cause, len(rest))
        jobs.enqueue("badges.issuing.notifications:send_issued_emails", rest)


def _state_words(state: CredentialState) -> tuple[str, str]:
    """(what happened, what it means), in the language being written."""
    return {
        CredentialState.REVOKED: (_("ingetrokken"), _("Het telt niet meer als bewijs.")),
        CredentialState.SUSPENDED: (_("tijdelijk geschorst"),
                                    _("Tot de schorsing voorbij is, telt het niet als bewijs.")),
        CredentialState.ACTIVE: (_("weer geldig"), _("Het telt weer als bewijs.")),
    }[state]


def send_state_email(credential_id: int) -> None:
    cred = db.session.get(Credential, credential_id)
    if cred is None or not cred.recipient_email:
        return
    org = cred.organisation
    with writing_in(recipient_language(cred.recipient.locale if cred.recipient else None)) as lang:
        word, meaning = _state_words(cred.state)
        badge = cred.achievement.in_language("name", lang)
        reason = _("Reden: %(reason)s", reason=cred.state_reason) if cred.state_reason else ""
        send_mail(Mail(
            to=cred.recipient_email, lang=lang, sender=org.name, branding=branding(org),
            subject=_("Je bewijs '%(badge)s' is %(state)s", badge=badge, state=word),
            text="\n\n".join(filter(None, [
                hello(cred.recipient_name),
                _("%(org)s heeft je bewijs '%(badge)s' %(state)s. %(meaning)s", org=org.name,
                  badge=badge, state=word, meaning=meaning),
                reason, _("Vragen? Neem contact op met %(org)s.", org=org.name)])),
            reason=_("Je krijgt deze mail omdat %(org)s dit bewijs aan dit adres gaf.",
                     org=org.name)))


def on_issued(event: CredentialsIssued) -> None:
    """Tell each recipient of a new credential, unless told otherwise."""
    notify_issued(item for item in event.issued if item.announce)


def on_state_changed(event: CredentialStateChanged) -> None:
    jobs.enqueue("badges.issuing.notifications:send_state_email", event.credential_id)


def notify_issued(issued: Iterable[Issued]) -> None:
    """Queue an email for each new credential, in batches (after the commit)."""
    items = [[item.id, item.claim_token] for item in issued]
    for start in range(0, len(items), BATCH):
        jobs.enqueue("badges.issuing.notifications:send_issued_emails",
                     items[start:start + BATCH])


def on_co_issue_changed(event: CoIssueChanged) -> None:
    jobs.enqueue("badges.issuing.notifications:send_co_issue_email", event.request_id,
                 event.state)


def _deciders(org_id: int) -> list[User]:
    """The people who may act for ``org_id``: its admins and issuers."""
    return list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == org_id,
               Membership.role.in_([Role.ADMIN, Role.ISSUER])).order_by(User.email)))


#: state → who is told: "partner" or "issuer"
CO_ISSUE_TOLD = {
    CoIssueState.PENDING: "partner", CoIssueState.ACCEPTED: "issuer",
    CoIssueState.DECLINED: "issuer", CoIssueState.ISSUED_ALONE: "partner",
    CoIssueState.CANCELLED: "partner",
}


def _co_issue_news(state: CoIssueState, actor: str, badge: str, recipient: str) -> str:
    """What happened, in the language being written."""
    words = {
        CoIssueState.PENDING: _("%(org)s vraagt jullie om samen een bewijs uit te geven: "
                                "'%(badge)s' voor %(who)s."),
        CoIssueState.ACCEPTED: _("%(org)s heeft ingestemd: het bewijs '%(badge)s' voor %(who)s "
                                 "is uitgegeven en door jullie beide ondertekend."),
        CoIssueState.DECLINED: _("%(org)s wil het bewijs '%(badge)s' voor %(who)s niet samen met "
                                 "jullie uitgeven."),
        CoIssueState.ISSUED_ALONE: _("%(org)s heeft het bewijs '%(badge)s' voor %(who)s zonder "
                                     "jullie uitgegeven."),
        CoIssueState.CANCELLED: _("%(org)s heeft het verzoek ingetrokken: '%(badge)s' voor "
                                  "%(who)s."),
    }[state]
    return words % {"org": actor, "badge": badge, "who": recipient}


def send_co_issue_email(request_id: int, state: str) -> None:
    """Tell the other side of a co-issue request what happened (the state it was mailed for)."""
    row = db.session.get(CoIssueRequest, request_id)
    if row is None:
        return
    happened = CoIssueState(state)
    told, actor = ((row.partner, row.organisation) if CO_ISSUE_TOLD[happened] == "partner"
                   else (row.organisation, row.partner))
    link = f"{urls.base_url()}/issuer/{told.slug}/co-issuing/{row.uuid}"
    mails = []
    for person in _deciders(told.id):
        with writing_in(recipient_language(person.locale)) as lang:
            badge = row.achievement.in_language("name", lang)
            reason = (_("Reden: %(reason)s", reason=row.reason)
                      if happened == CoIssueState.DECLINED and row.reason else "")
            mails.append(Mail(
                to=person.email, lang=lang, sender=actor.name, branding=branding(actor),
                subject=_("Samen uitgeven: %(badge)s", badge=badge),
                text="\n\n".join(filter(None, [
                    hello(None),
                    _co_issue_news(happened, actor.name, badge,
                                   row.recipient_name or row.recipient_email),
                    reason, _("Bekijk het verzoek in jullie werkruimte:") + "\n" + link])),
                reason=_("Je krijgt deze mail omdat je voor %(org)s bewijzen mag uitgeven en "
                         "%(partner)s met jullie samenwerkt.", org=told.name,
                         partner=actor.name)))
    send_mails(mails)

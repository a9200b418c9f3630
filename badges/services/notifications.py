"""Emails to learners about their credentials.

Jobs take ids (JSON-able) so they can run in a worker; each re-reads the
credential, so a retried job sends what is true now.
"""

from __future__ import annotations

from collections.abc import Iterable

from badges import jobs
from badges.extensions import db
from badges.models import Credential, CredentialState
from badges.services import urls
from badges.services.issuing import Issued
from badges.services.mail import Mail, send_mail


def claim_url(token: str) -> str:
    return f"{urls.base_url()}/claim/{token}"


def passport_url() -> str:
    return f"{urls.base_url()}/passport"


def send_issued_email(credential_id: int, claim_token: str | None) -> None:
    cred = db.session.get(Credential, credential_id)
    if cred is None or not cred.recipient_email:
        return
    name = cred.recipient_name or "Hallo"
    link = claim_url(claim_token) if claim_token else passport_url()
    action = ("Zet het in je Skillspas met deze link (je maakt zo nodig een gratis account):"
              if claim_token else "Je vindt het in je Skillspas:")
    send_mail(Mail(
        to=cred.recipient_email,
        subject=f"Je hebt een digitaal bewijs gekregen: {cred.achievement.name}",
        text=(
            f"{name},\n\n{cred.organisation.name} heeft je een digitaal bewijs gegeven voor "
            f"'{cred.achievement.name}'.\n\n{action}\n{link}\n\n"
            "Het bewijs is van jou. Je kiest zelf met wie je het deelt.\n\n"
            "— Skillspas"
        ),
    ))


STATE_TEXT = {
    CredentialState.REVOKED: ("ingetrokken", "Het telt niet meer als bewijs."),
    CredentialState.SUSPENDED: ("tijdelijk geschorst",
                                "Tot de schorsing voorbij is, telt het niet als bewijs."),
    CredentialState.ACTIVE: ("weer geldig", "Het telt weer als bewijs."),
}


def send_state_email(credential_id: int) -> None:
    cred = db.session.get(Credential, credential_id)
    if cred is None or not cred.recipient_email:
        return
    word, meaning = STATE_TEXT[cred.state]
    reason = f"\nReden: {cred.state_reason}\n" if cred.state_reason else ""
    send_mail(Mail(
        to=cred.recipient_email,
        subject=f"Je bewijs '{cred.achievement.name}' is {word}",
        text=(
            f"{cred.recipient_name or 'Hallo'},\n\n{cred.organisation.name} heeft je bewijs "
            f"'{cred.achievement.name}' {word}. {meaning}\n{reason}\n"
            f"Vragen? Neem contact op met {cred.organisation.name}.\n\n— Skillspas"
        ),
    ))


def notify_issued(issued: Iterable[Issued]) -> None:
    """Queue one email per new credential (call after the commit)."""
    for item in issued:
        jobs.enqueue("badges.services.notifications:send_issued_email",
                     item.credential.id, item.claim_token)


def notify_state_change(credential: Credential) -> None:
    jobs.enqueue("badges.services.notifications:send_state_email", credential.id)

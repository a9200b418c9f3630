"""Getting credentials into the right passport: claim links and extra email addresses.

A credential issued to an address without an account carries a one-time
claim token (only its sha256 is stored). Claiming, or confirming an extra
address, moves every unclaimed credential for that address into the
passport. Confirmation proves control of the mailbox; until then an added
address gives nothing.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from badges.accounts.events import AddressConfirmed
from badges.accounts.models import EmailAddress, User
from badges.accounts.services import check_email, normalise_email
from badges.issuing import claim_links
from badges.issuing.events import CredentialsDelivered
from badges.issuing.models import Credential, CredentialState
from badges.kernel import audit, events
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.mail import SERVICE, Mail, recipient_language, send_mail, writing_in
from badges.kernel.models import utcnow
from badges.kernel.tokens import TokenError, hash_secret, make_link_token, read_link_token

ADDRESS_MAX_AGE = 3 * 24 * 60 * 60  # three days: people check their school mail weekly
LABELS = ("school", "private", "work")
MAX_ADDRESSES = 10


class ClaimError(ServiceError):
    """``code`` is "unknown" (no such token, or already used), "expired" or "revoked"."""


def credential_for_token(token: str) -> Credential | None:
    return db.session.scalar(db.select(Credential).filter_by(claim_token_hash=hash_secret(token)))


def is_revoked(cred: Credential) -> bool:
    """A revoked credential is no longer valid: it cannot be put into a passport."""
    return cred.state == CredentialState.REVOKED


def _take(cred: Credential, user: User) -> None:
    cred.recipient_user_id = user.id
    cred.claimed_at = utcnow()
    cred.claim_token_hash = None


def claim(token: str, user: User) -> Credential:
    """Put the credential behind ``token`` into ``user``'s passport; works once."""
    cred = credential_for_token(token)
    if cred is None or cred.recipient_user_id is not None:
        raise ClaimError(_("Deze link werkt niet (meer). Misschien heb je het bewijs al in je "
                           "pas gezet."), code="unknown")
    if is_revoked(cred):
        raise ClaimError(_("%(org)s heeft dit bewijs ingetrokken. Het is niet meer geldig, "
                           "dus je kunt het niet in je pas zetten.", org=cred.organisation.name),
                         code="revoked")
    if claim_links.is_expired(cred):
        raise ClaimError(_("Deze link is verlopen. Vraag %(org)s om een nieuwe.",
                           org=cred.organisation.name), code="expired")
    _take(cred, user)
    audit.record("credential.claim", actor_id=user.id, organisation_id=cred.organisation_id,
                 subject_type="credential", subject_id=cred.uuid)
    events.record(CredentialsDelivered((cred,)))
    events.commit()
    return cred


# --- extra email addresses ---------------------------------------------------

def addresses(user: User) -> list[EmailAddress]:
    return list(db.session.scalars(
        db.select(EmailAddress).filter_by(user_id=user.id).order_by(EmailAddress.created_at)))


def add_address(user: User, email: str, label: str) -> EmailAddress | None:
    """Add an address and mail a confirmation link.

    Says nothing about other people's accounts: an address that belongs to
    someone else is answered like a success, but no mail is sent.
    """
    email = check_email(email)
    label = label if label in LABELS else "private"
    if email == user.email or any(a.email == email for a in addresses(user)):
        raise ServiceError(_("Dit adres staat al in je lijst."), field="email")
    if len(addresses(user)) >= MAX_ADDRESSES:
        raise ServiceError(_("Je kunt hoogstens %(n)d extra adressen toevoegen.",
                             n=MAX_ADDRESSES), field="email")
    if db.session.scalar(db.select(User.id).filter_by(email=email)) is not None:
        return None
    row = db.session.scalar(db.select(EmailAddress).filter_by(email=email))
    if row is not None and row.confirmed_at is not None:
        return None
    if row is None:
        row = EmailAddress(user_id=user.id, email=email, label=label)
        db.session.add(row)
    else:  # an unconfirmed claim by someone else: whoever confirms first gets it
        row.user_id, row.label = user.id, label
    db.session.flush()
    _send_confirmation(user, row)
    db.session.commit()
    return row


def _send_confirmation(user: User, row: EmailAddress) -> None:
    token = make_link_token("address", {"id": row.id, "uid": user.id, "email": row.email})
    link = url_for("passport.confirm_email", token=token, _external=True)
    with writing_in(recipient_language(user.locale, on_page=True)) as lang:
        send_mail(Mail(
            to=row.email, lang=lang, sender=SERVICE,
            subject=_("Bevestig je e-mailadres voor Skillspas"),
            text=_("Hallo %(name)s,\n\nJe wilt dit e-mailadres aan je Skillspas koppelen. Klik "
                   "op deze link om dat te bevestigen:\n\n%(link)s\n\nBewijzen die naar dit "
                   "adres zijn gestuurd, komen dan in je pas. Heb je dit niet zelf gevraagd? Dan "
                   "kun je deze e-mail negeren.", name=user.name, link=link),
            reason=_("Je krijgt deze mail omdat iemand dit adres aan een Skillspas wil "
                     "koppelen."),
        ))


def resend(user: User, address_id: int) -> None:
    row = _own(user, address_id)
    if row.confirmed_at is None:
        _send_confirmation(user, row)


def confirm_address(token: str, user: User) -> tuple[EmailAddress, int]:
    """Confirm an address; returns it and how many credentials moved into the passport."""
    data = read_link_token("address", token, ADDRESS_MAX_AGE)
    row = db.session.get(EmailAddress, data.get("id"))
    if (row is None or row.email != data.get("email") or row.user_id != data.get("uid")
            or row.user_id != user.id):
        raise TokenError("invalid")
    if row.confirmed_at is None:
        row.confirmed_at = utcnow()
        audit.record("user.address_confirm", actor_id=user.id, subject_type="email_address",
                     subject_id=row.id)
    moved = claim_for_address(user, row.email)
    if moved:
        events.record(CredentialsDelivered(tuple(db.session.scalars(db.select(Credential).filter_by(
            recipient_user_id=user.id, recipient_email=row.email)))))
    events.commit()
    return row, moved


def on_address_confirmed(event: AddressConfirmed) -> None:
    """A primary address was proven: what waited for it moves into the passport."""
    user = db.session.get(User, event.user_id)
    if user is None or user.email != event.email or not user.email_confirmed:
        return
    if claim_for_address(user, event.email):
        events.record(CredentialsDelivered(tuple(db.session.scalars(db.select(Credential).filter_by(
            recipient_user_id=user.id, recipient_email=event.email)))))
        audit.record("credential.claim_by_address", actor_id=user.id, subject_type="user",
                     subject_id=user.id)
    events.commit()


def claim_for_address(user: User, email: str) -> int:
    """Move every unclaimed credential issued to ``email`` into ``user``'s passport."""
    creds = db.session.scalars(db.select(Credential).where(
        Credential.recipient_email == normalise_email(email),
        Credential.recipient_user_id.is_(None)))
    count = 0
    for cred in creds:
        _take(cred, user)
        count += 1
    return count


def _own(user: User, address_id: int) -> EmailAddress:
    row = db.session.get(EmailAddress, address_id)
    if row is None or row.user_id != user.id:
        raise ServiceError(_("Dit adres staat niet in je lijst."), code="not_found")
    return row


def remove_address(user: User, address_id: int) -> None:
    """Forget an address. Credentials already in the passport stay there."""
    row = _own(user, address_id)
    db.session.delete(row)
    audit.record("user.address_remove", actor_id=user.id, subject_type="email_address",
                 subject_id=address_id)
    db.session.commit()

"""Sign-in methods: linked OpenID identities (eduID, SURFconext) beside the password.

An identity is found by (provider, subject), never by email: a provider's email
claim can change hands, its subject cannot. A new identity is linked only to an
account that proved itself (its password, or the session it is signed in with);
a new passport is made from it only with an email the provider says is verified.
An account keeps at least one way in: the last method cannot be removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from badges.accounts import services as accounts
from badges.accounts.events import AddressConfirmed, SignedInWithProvider
from badges.accounts.models import LinkedIdentity, User
from badges.accounts.oidc import Claims
from badges.kernel import audit, events
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.mail import SERVICE, Mail, recipient_language, send_mail, writing_in
from badges.kernel.models import utcnow
from badges.kernel.tokens import TokenError, make_link_token, read_link_token

LINK_MAIL_MAX_AGE = 15 * 60  # as long as the sign-in waits in the session


@dataclass(frozen=True)
class Method:
    """One way into an account, as the account page lists it."""

    kind: str  # "password" or "oidc"
    provider: str | None = None
    email: str | None = None
    identity_id: int | None = None


def find(provider: str, subject: str) -> LinkedIdentity | None:
    return db.session.scalar(db.select(LinkedIdentity).filter_by(provider=provider, subject=subject))


def sign_in(claims: Claims) -> User | None:
    """The user this identity belongs to, marked as signed in; ``None`` when not linked yet."""
    identity = find(claims.provider, claims.subject)
    if identity is None:
        return None
    if not identity.user.active:
        raise ServiceError(_("Dit account kan niet meer inloggen. Neem contact op met de "
                             "beheerder als je denkt dat dit niet klopt."), code="inactive")
    now = utcnow()
    identity.last_used_at = now
    if claims.email:
        identity.email = claims.email
    identity.user.last_login_at = now
    _signed_in(identity.user, claims)
    events.commit()
    return identity.user


def link(user: User, claims: Claims) -> LinkedIdentity:
    """Add this identity to ``user`` (who proved to be its owner); idempotent for the same user."""
    identity = find(claims.provider, claims.subject)
    if identity is not None:
        if identity.user_id != user.id:
            raise ServiceError(_("Dit account bij %(provider)s hoort al bij een andere pas. Log "
                                 "daar in om het los te koppelen, of voeg de twee passen samen.",
                                 provider=claims.provider), code="linked_elsewhere")
        return identity
    identity = LinkedIdentity(user=user, provider=claims.provider, subject=claims.subject,
                              email=claims.email, last_used_at=utcnow())
    db.session.add(identity)
    db.session.flush()
    audit.record("user.identity_link", actor_id=user.id, subject_type="user", subject_id=user.id,
                 provider=claims.provider)
    user.last_login_at = utcnow()
    _signed_in(user, claims)
    events.commit()
    return identity


def _signed_in(user: User, claims: Claims) -> None:
    events.record(SignedInWithProvider(user.id, claims.provider, claims.email,
                                       claims.home_organisation))


def link_with_password(claims: Claims, email: str, password: str, source: str) -> User | None:
    """Link to the passport whose password is given (same throttling as the login form)."""
    user = accounts.authenticate(email, password, source)
    if user is not None:
        link(user, claims)
    return user


def request_link_by_mail(claims: Claims, email: str, browser_nonce: str, label: str) -> None:
    """Mail a passport's confirmed address a link that links this identity; silent otherwise.

    The link works only in the browser that asked (``browser_nonce`` is kept in its
    session): someone who mails it to a stranger's passport cannot have the stranger
    link the sender's provider account by clicking it.
    """
    user = accounts.find_user_by_email(email)
    if user is None or not user.email_confirmed or not user.active:
        return
    token = make_link_token("link-identity", {"uid": user.id, "email": user.email,
                                              "provider": claims.provider,
                                              "sub": claims.subject, "nonce": browser_nonce})
    with writing_in(recipient_language(user.locale, on_page=True)) as lang:
        send_mail(Mail(
            to=user.email, lang=lang, sender=SERVICE,
            subject=_("Inloggen met %(provider)s koppelen aan je pas", provider=label),
            text=_("Hallo %(name)s,\n\nMet deze link koppel je je account bij %(provider)s aan "
                   "je pas. Open hem in dezelfde browser waarin je net bij %(provider)s inlogde; "
                   "hij is een kwartier geldig:\n\n%(link)s\n\nWas jij dit niet? Dan hoef je "
                   "niets te doen.", name=user.name, provider=label,
                   link=url_for("auth.oidc_link_by_mail", token=token, _external=True)),
            reason=_("Je krijgt deze mail omdat iemand met %(provider)s wilde inloggen op de "
                     "Skillspas van dit adres.", provider=label),
        ))


def user_for_link_mail(claims: Claims, token: str, browser_nonce: str) -> User:
    """The passport a mailed link proves, only for the same identity in the same browser."""
    data = read_link_token("link-identity", token, LINK_MAIL_MAX_AGE)
    user = db.session.get(User, data.get("uid"))
    if (user is None or user.email != data.get("email") or not user.active
            or data.get("provider") != claims.provider or data.get("sub") != claims.subject
            or not browser_nonce or data.get("nonce") != browser_nonce):
        raise TokenError("invalid")
    return user


def can_start_passport(claims: Claims) -> bool:
    """A new passport needs a verified email that no account uses yet."""
    return claims.email is not None and not accounts.email_in_use(claims.email)


def start_passport(claims: Claims, name: str) -> User:
    """A new passport for this identity: no password, the verified email counts as confirmed."""
    if claims.email is None:
        raise ServiceError(_("Je provider heeft je e-mailadres niet bevestigd."), code="unverified")
    if accounts.email_in_use(claims.email):
        raise ServiceError(_("Er is al een pas met dit e-mailadres."), code="email_in_use")
    if find(claims.provider, claims.subject) is not None:
        raise ServiceError(_("Dit account hoort al bij een pas. Log opnieuw in."),
                           code="linked_elsewhere")
    user = User(email=claims.email, name=(name.strip() or claims.email)[:200],
                password_hash=None, email_confirmed_at=utcnow(), last_login_at=utcnow())
    db.session.add(user)
    db.session.flush()
    db.session.add(LinkedIdentity(user=user, provider=claims.provider, subject=claims.subject,
                                  email=claims.email, last_used_at=utcnow()))
    audit.record("user.register", actor_id=user.id, subject_type="user", subject_id=user.id,
                 provider=claims.provider)
    # The provider proved the address: what waited for it moves into the passport.
    events.record(AddressConfirmed(user.id, user.email))
    _signed_in(user, claims)
    events.commit()
    return user


def methods(user: User) -> list[Method]:
    found = [Method("password")] if user.password_hash else []
    return found + [Method("oidc", provider=i.provider, email=i.email, identity_id=i.id)
                    for i in user.identities]


def remove_identity(user: User, identity_id: int) -> LinkedIdentity:
    identity = db.session.get(LinkedIdentity, identity_id)
    if identity is None or identity.user_id != user.id:
        raise ServiceError(_("Deze manier van inloggen bestaat niet (meer)."), code="not_found")
    if len(methods(user)) < 2:
        raise ServiceError(_("Dit is je enige manier om in te loggen. Voeg eerst een andere toe."),
                           code="last_method")
    db.session.delete(identity)
    audit.record("user.identity_unlink", actor_id=user.id, subject_type="user",
                 subject_id=user.id, provider=identity.provider)
    db.session.commit()
    return identity


def remove_password(user: User) -> None:
    """Sign in only through a provider from now on; a reset link can add a password again."""
    if not user.password_hash:
        raise ServiceError(_("Je hebt geen wachtwoord."), code="not_found")
    if not user.identities:
        raise ServiceError(_("Dit is je enige manier om in te loggen. Voeg eerst een andere toe."),
                           code="last_method")
    user.password_hash = None
    audit.record("user.password_remove", actor_id=user.id, subject_type="user",
                 subject_id=user.id)
    db.session.commit()

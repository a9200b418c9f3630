"""Accounts: register, confirm the address, log in (slowed down per account and
source), sessions that end, change or reset a password, change email (and undo it).

Messages never reveal whether an email address has an account: registering
with an address in use mails its owner instead of saying so, a reset request
always answers the same, and a failed login says the same for an unknown
address, a wrong password and a source that has to wait.

An address counts only once a link mailed to it has been used: the
confirmation link, a reset link or an email-change link. Until then the
account can log in, but gets nothing that is given by address.

Every session and remember cookie carries the user's ``session_version``
(``User.get_id``); raising it ("log out everywhere", a new password) ends
them all, also copies made before.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from badges.accounts import throttle
from badges.accounts.events import AddressConfirmed
from badges.accounts.models import EmailAddress, User
from badges.accounts.passwords import MIN_LENGTH, check_password, hash_password, needs_rehash
from badges.kernel import audit, emails, events, quota
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.mail import SERVICE, Mail, recipient_language, send_mail, writing_in
from badges.kernel.models import utcnow
from badges.kernel.tokens import (
    CONFIRM_MAX_AGE,
    EMAIL_CHANGE_MAX_AGE,
    EMAIL_UNDO_MAX_AGE,
    RESET_MAX_AGE,
    TokenError,
    fingerprint,
    make_link_token,
    read_link_token,
)


def normalise_email(email: str) -> str:
    """The one form an address is stored and compared in (NFKC, lower case, IDNA domain)."""
    return emails.normalise(email)


def check_email(email: str) -> str:
    """``email`` normalised, or ServiceError when the look-alike policy refuses it."""
    why = emails.problem(email)
    if why is not None:
        raise ServiceError(emails.in_page_language(why), code="lookalike", field="email")
    return normalise_email(email)


def addresses_to_review() -> list[dict[str, str]]:
    """Stored addresses not in today's normal form or refused by the look-alike policy.

    Addresses stored before NFKC and IDNA were applied may differ from how the
    same address is looked up now; ``badges check-emails`` lists them for the
    operator to fix by hand (two spellings may be two accounts of one person).
    """
    rows = [("user", email) for email in db.session.scalars(db.select(User.email))]
    rows += [("email_address", email) for email in db.session.scalars(db.select(EmailAddress.email))]
    found = []
    for table, email in rows:
        normal, why = normalise_email(email), emails.problem(email)
        if normal != email or why is not None:
            found.append({"table": table, "email": email, "normal_form": normal,
                          "problem": why[1] if why else ""})
    return found


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))


def email_in_use(email: str) -> bool:
    """True when an account or a *confirmed* extra address has this email.

    An unconfirmed extra address blocks nobody: otherwise anyone could keep a
    stranger from signing up by adding their address to a passport.
    """
    email = normalise_email(email)
    if find_user_by_email(email):
        return True
    return db.session.scalar(
        db.select(EmailAddress.id).filter(
            EmailAddress.email == email, EmailAddress.confirmed_at.is_not(None))
    ) is not None


def account_name_differs(email: str, name: str) -> bool:
    """True when ``email`` belongs to a confirmed account whose name is not ``name``.

    An issuer typing a different name for an account's address makes one learner appear
    under two names; the issue form warns (never says the account's name: that is private).
    """
    email = normalise_email(email)
    user = find_user_by_email(email)
    if user is None or not user.email_confirmed:
        user = db.session.scalar(db.select(User).join(EmailAddress, EmailAddress.user_id == User.id)
                                 .filter(EmailAddress.email == email,
                                         EmailAddress.confirmed_at.is_not(None)))
    if user is None or not user.name:
        return False
    return " ".join(user.name.casefold().split()) != " ".join((name or "").casefold().split())


def _taken_by_another(email: str, user: User) -> bool:
    other = find_user_by_email(email)
    return (other is not None and other is not user) or db.session.scalar(
        db.select(EmailAddress.id).filter(
            EmailAddress.email == email, EmailAddress.confirmed_at.is_not(None),
            EmailAddress.user_id != user.id)) is not None


def _release_unconfirmed(email: str) -> None:
    """The owner of an address wins over whoever added it unconfirmed."""
    db.session.execute(
        db.delete(EmailAddress).where(
            EmailAddress.email == email, EmailAddress.confirmed_at.is_(None))
    )


def check_password_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ServiceError(
            _("Kies een wachtwoord van minstens %(n)d tekens.", n=MIN_LENGTH), field="password"
        )


def register(email: str, name: str, password: str) -> User | None:
    """Make an account and mail a confirmation link; ``None`` when the address is taken.

    A taken address gets a mail (log in, or choose a new password) and the
    caller answers exactly as for a new account: no one learns from this form
    whether an address has an account.
    """
    email = check_email(email)
    check_password_strength(password)
    password_hash = hash_password(password)  # also for a taken address: same time taken
    mail_allowed = quota.allow(quota.MAILS_PER_ADDRESS, "account-mail", email)
    if email_in_use(email):
        if mail_allowed:  # at most a few an hour, whoever asks: no mail bombing
            _send_already_registered(email)
        return None
    _release_unconfirmed(email)
    user = User(email=email, name=name.strip(), password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    audit.record("user.register", actor_id=user.id, subject_type="user", subject_id=user.id)
    db.session.commit()
    send_confirmation(user)
    return user


def _send_already_registered(email: str) -> None:
    """Tell the owner of a taken address; a reset link lets the real owner take it over."""
    user = find_user_by_email(email)
    link = _reset_link(user) if user is not None else url_for("auth.forgot_password",
                                                              _external=True)
    with writing_in(recipient_language(user.locale if user else None, on_page=True)) as lang:
        send_mail(Mail(
            to=email, lang=lang, sender=SERVICE,
            subject=_("Je hebt al een account bij Skillspas"),
            text=_("Hallo,\n\nIemand wilde een account maken met dit e-mailadres. Er is al een "
                   "account met dit adres. Was jij dat? Log dan in. Weet je je wachtwoord niet "
                   "meer, of heb je dit account niet zelf gemaakt? Kies dan met deze link een "
                   "nieuw wachtwoord (de link is een uur geldig):\n\n%(link)s\n\n"
                   "Heb je niets gedaan? Dan hoef je niets te doen.", link=link),
            reason=_("Je krijgt deze mail omdat iemand met dit adres een account wilde maken "
                     "bij Skillspas."),
        ))


def send_confirmation(user: User) -> None:
    """Mail a link that confirms the account's address (again, when asked)."""
    if user.email_confirmed:
        return
    token = make_link_token("confirm", {"uid": user.id, "email": user.email})
    link = url_for("auth.confirm_account", token=token, _external=True)
    with writing_in(recipient_language(user.locale, on_page=True)) as lang:
        send_mail(Mail(
            to=user.email, lang=lang, sender=SERVICE,
            subject=_("Bevestig je e-mailadres voor Skillspas"),
            text=_("Hallo %(name)s,\n\nBevestig met deze link dat dit jouw e-mailadres is "
                   "(de link is drie dagen geldig):\n\n%(link)s\n\nHeb je geen account bij "
                   "Skillspas gemaakt? Dan kun je deze e-mail negeren.",
                   name=user.name, link=link),
            reason=_("Je krijgt deze mail omdat met dit adres een account bij Skillspas is "
                     "gemaakt."),
        ))


def confirm_account(token: str) -> User:
    """Mark the address confirmed: whoever has the link reads that mailbox."""
    data = read_link_token("confirm", token, CONFIRM_MAX_AGE)
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise TokenError("invalid")  # the address changed since the link was sent
    _mark_confirmed(user)
    events.commit()
    return user


def _mark_confirmed(user: User) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record("user.email_confirm", actor_id=user.id, subject_type="user",
                     subject_id=user.id)
        events.record(AddressConfirmed(user.id, user.email))


def authenticate(email: str, password: str, source: str) -> User | None:
    """Return the user when the password is right and the account is usable.

    ``source`` is the address the attempt comes from. A source that failed
    often for this email must wait before its password is even checked
    (``throttle``); other sources are not affected.
    """
    email = normalise_email(email)[:254]
    now = utcnow()
    if throttle.must_wait(email, source, now):
        return None
    user = find_user_by_email(email)
    ok = check_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        throttle.record_failure(email, source, now)
        db.session.commit()
        return None
    throttle.clear(email, source)
    user.last_login_at = now
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


def user_for_session(session_id: str) -> User | None:
    """Flask-Login's user loader: ``"<id>:<version>"`` from a session or remember cookie.

    A cookie from before the version went up (or from before versions
    existed) loads nobody: that browser is logged out.
    """
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def _end_sessions(user: User) -> None:
    user.session_version += 1


def log_out_everywhere(user: User) -> None:
    """End every session and remember cookie of this user, on every device."""
    _end_sessions(user)
    audit.record("user.logout_everywhere", actor_id=user.id, subject_type="user",
                 subject_id=user.id)
    db.session.commit()


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    _end_sessions(user)
    throttle.clear(user.email)


def change_password(user: User, current: str, new: str) -> None:
    """A logged-in user chooses a new password; every other session ends.

    The caller signs the current browser in again with the new version.
    """
    if not check_password(user.password_hash, current):
        raise ServiceError(_("Je huidige wachtwoord klopt niet."), field="current_password")
    check_password_strength(new)
    _set_password(user, new)
    audit.record("user.password_change", actor_id=user.id, subject_type="user", subject_id=user.id)
    db.session.commit()


def _reset_link(user: User) -> str:
    token = make_link_token("reset", {"uid": user.id, "fp": fingerprint(user.password_hash)})
    return url_for("auth.reset_password", token=token, _external=True)


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way.

    Every address, with an account or not, gets only a few links an hour
    (counted the same way for both, so the count reveals nothing either).
    """
    if not quota.allow(quota.MAILS_PER_ADDRESS, "account-mail", normalise_email(email)):
        return
    user = find_user_by_email(email)
    if user is None:
        return
    with writing_in(recipient_language(user.locale, on_page=True)) as lang:
        send_mail(Mail(
            to=user.email, lang=lang, sender=SERVICE,
            subject=_("Nieuw wachtwoord voor Skillspas"),
            text=_("Hallo %(name)s,\n\nMet deze link kies je een nieuw wachtwoord. "
                   "De link werkt één keer en is een uur geldig:\n\n%(link)s\n\n"
                   "Heb je dit niet gevraagd? Dan hoef je niets te doen.",
                   name=user.name, link=_reset_link(user)),
            reason=_("Je krijgt deze mail omdat iemand voor dit adres een nieuw wachtwoord "
                     "heeft gevraagd bij Skillspas."),
        ))


def user_for_reset_token(token: str) -> User:
    data = read_link_token("reset", token, RESET_MAX_AGE)
    user = db.session.get(User, data.get("uid"))
    if user is None or fingerprint(user.password_hash) != data.get("fp"):
        raise TokenError("invalid")  # already used: the password changed since
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    check_password_strength(password)
    _set_password(user, password)
    _mark_confirmed(user)  # the link came to this address
    audit.record("user.password_reset", actor_id=user.id, subject_type="user", subject_id=user.id)
    events.commit()
    return user


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Mail a confirmation link to the new address, once the current password is given."""
    if not check_password(user.password_hash, password):
        raise ServiceError(_("Dit is niet je huidige wachtwoord."), code="password",
                           field="password")
    new_email = check_email(new_email)
    if email_in_use(new_email):
        # Do not reveal that the address has an account: act as if mailed.
        return
    token = make_link_token("email", {"uid": user.id, "old": user.email, "new": new_email})
    link = url_for("auth.confirm_email", token=token, _external=True)
    with writing_in(recipient_language(user.locale, on_page=True)) as lang:
        send_mail(Mail(
            to=new_email, lang=lang, sender=SERVICE,
            subject=_("Bevestig je nieuwe e-mailadres"),
            text=_("Hallo %(name)s,\n\nBevestig met deze link dat je dit e-mailadres wilt "
                   "gebruiken voor Skillspas:\n\n%(link)s", name=user.name, link=link),
            reason=_("Je krijgt deze mail omdat iemand dit adres wil gebruiken voor een account "
                     "bij Skillspas."),
        ))


def confirm_email_change(token: str) -> User:
    """Switch to the new address (confirmed by this link) and tell the old one, with undo."""
    data = read_link_token("email", token, EMAIL_CHANGE_MAX_AGE)
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("old"):
        raise TokenError("invalid")
    if email_in_use(data["new"]):
        raise ServiceError(_("Dit e-mailadres is al in gebruik."), field="email")
    _release_unconfirmed(data["new"])
    old = user.email
    user.email = data["new"]
    user.email_confirmed_at = utcnow()
    audit.record("user.email_change", actor_id=user.id, subject_type="user", subject_id=user.id)
    events.record(AddressConfirmed(user.id, user.email))
    events.commit()
    _tell_old_address(user, old)
    return user


def _tell_old_address(user: User, old: str) -> None:
    token = make_link_token("email-undo", {"uid": user.id, "old": old, "new": user.email})
    link = url_for("auth.undo_email_change", token=token, _external=True)
    with writing_in(recipient_language(user.locale, on_page=True)) as lang:
        send_mail(Mail(
            to=old, lang=lang, sender=SERVICE,
            subject=_("Het e-mailadres van je Skillspas is gewijzigd"),
            text=_("Hallo %(name)s,\n\nHet e-mailadres van je Skillspas-account is gewijzigd in "
                   "%(new)s. Heb je dat zelf gedaan? Dan hoef je niets te doen.\n\n"
                   "Heb je dit niet zelf gedaan? Zet dan met deze link je oude adres terug en kies "
                   "een nieuw wachtwoord (de link is zeven dagen geldig):\n\n%(link)s",
                   name=user.name, new=user.email, link=link),
            reason=_("Je krijgt deze mail omdat dit adres tot nu toe bij je Skillspas-account "
                     "hoorde."),
        ))


def undo_email_change(token: str) -> str:
    """Put the old address back; returns a link to choose a new password at once.

    Whoever changed the address knew the password, so the password must change
    too: the undo link came to the old address, which proves the owner.
    """
    data = read_link_token("email-undo", token, EMAIL_UNDO_MAX_AGE)
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("new"):
        raise TokenError("invalid")  # already undone, or changed again since
    if _taken_by_another(data["old"], user):
        raise ServiceError(_("Je oude e-mailadres is nu in gebruik bij een ander account. "
                             "Neem contact met ons op."), code="taken")
    _release_unconfirmed(data["old"])
    user.email = data["old"]
    user.email_confirmed_at = utcnow()
    user.password_hash = None  # the owner chooses a new one through the reset link
    _end_sessions(user)  # and every session of whoever changed it ends
    audit.record("user.email_change_undo", actor_id=user.id, subject_type="user",
                 subject_id=user.id)
    events.record(AddressConfirmed(user.id, user.email))
    events.commit()
    return _reset_link(user)

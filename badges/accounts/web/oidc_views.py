"""Sign in with an OpenID Provider (eduID, SURFconext), link it to a passport, and the
account's sign-in methods.

``/auth/oidc/<name>/login`` sends the browser to the provider; it comes back to
``/auth/oidc/<name>/callback``. A known identity signs in at once. A new one is
kept in the session for a few minutes while its owner links it to an existing
passport (with that passport's password) or starts a new passport with it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from badges.accounts import identities, oidc
from badges.accounts.web.forms import (
    LinkByMailForm,
    LinkIdentityForm,
    LoginForm,
    StartPassportForm,
)
from badges.accounts.web.routes import _safe_next, after_sign_in, bp
from badges.kernel.errors import ServiceError
from badges.kernel.extensions import limiter
from badges.kernel.forms import EmptyForm
from badges.kernel.tokens import TokenError

PENDING = "oidc_pending"  # session key: the identity waiting to be linked or to start a passport
NEXT = "oidc_next"
LINK_FOR = "oidc_link_for"  # the signed-in user who asked to add a provider
PENDING_SECONDS = 15 * 60


def _label(name: str) -> str:
    found = oidc.provider(name)
    return found.label if found else name


def _provider_or_404(name: str) -> oidc.Provider:
    found = oidc.provider(name)
    if found is None:
        abort(404)
    return found


@bp.get("/auth/oidc/<name>/login")
@limiter.limit("30 per minute")
def oidc_login(name: str):
    """Go to the provider; ``?link=1`` from the account page adds it to the signed-in account."""
    provider = _provider_or_404(name)
    session.pop(LINK_FOR, None)
    if current_user.is_authenticated:
        if request.args.get("link") != "1":
            return redirect(_safe_next(request.args.get("next"),
                                       url_for("auth.account")))
        session[LINK_FOR] = current_user.id
    session[NEXT] = request.args.get("next") or ""  # checked by after_sign_in
    try:
        return oidc.start(name, url_for("auth.oidc_callback", name=name, _external=True))
    except oidc.SignInRefused:
        return _refused(provider, "unavailable")


def _refused(provider: oidc.Provider, reason: str) -> tuple[str, int]:
    messages = {
        "denied": _("Je hebt het inloggen bij %(provider)s afgebroken, of %(provider)s liet je "
                    "niet door. Je bent niet ingelogd.", provider=provider.label),
        "state": _("Dit antwoord van %(provider)s hoort niet bij een inlogpoging in deze browser: "
                   "het is verlopen of veranderd. Je bent niet ingelogd. Probeer het opnieuw.",
                   provider=provider.label),
        "invalid": _("We konden het antwoord van %(provider)s niet controleren. Je bent niet "
                     "ingelogd. Probeer het opnieuw.", provider=provider.label),
        "unavailable": _("%(provider)s is nu niet bereikbaar. Probeer het later opnieuw, of log "
                         "in met je wachtwoord.", provider=provider.label),
    }
    flash(messages.get(reason, messages["invalid"]), "error")
    status = 503 if reason == "unavailable" else 400
    return render_template("auth/login.html", form=LoginForm(),
                           providers=oidc.providers()), status


@bp.get("/auth/oidc/<name>/callback")
@limiter.limit("30 per minute")
def oidc_callback(name: str):
    """The provider's answer: sign in, link to the signed-in account, or ask what to do."""
    provider = _provider_or_404(name)
    link_for = session.pop(LINK_FOR, None)
    next_page = session.pop(NEXT, "") or None
    try:
        claims = oidc.finish(name)
    except oidc.SignInRefused as exc:
        return _refused(provider, exc.reason)
    if current_user.is_authenticated and link_for == current_user.id:
        try:
            identities.link(current_user._get_current_object(), claims)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Je kunt nu ook inloggen met %(provider)s.", provider=provider.label),
                  "success")
        return redirect(url_for("auth.account"))
    try:
        user = identities.sign_in(claims)
    except ServiceError as exc:
        flash(exc.message, "error")
        return render_template("auth/login.html", form=LoginForm(),
                               providers=oidc.providers()), 403
    if user is not None:
        login_user(user)
        return after_sign_in(user, next_page)
    session[PENDING] = {**asdict(claims), "at": time.time(), "next": next_page}
    return redirect(url_for("auth.oidc_welcome"))


def _pending() -> tuple[oidc.Claims, str | None] | None:
    data: dict[str, Any] | None = session.get(PENDING)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    fields = {k: v for k, v in data.items() if k not in {"at", "next", "mail_nonce"}}
    return oidc.Claims(**fields), data.get("next")


def _welcome(claims: oidc.Claims, link_form: LinkIdentityForm, new_form: StartPassportForm,
             status: int = 200) -> tuple[str, int]:
    return render_template("auth/oidc_welcome.html", claims=claims,
                           provider_label=_label(claims.provider),
                           link_form=link_form, new_form=new_form, mail_form=LinkByMailForm(),
                           can_start=identities.can_start_passport(claims)), status


def _no_pending() -> Response:
    flash(_("Dit duurde te lang, of je bent hier niet via een inlogknop gekomen. Log opnieuw in."),
          "error")
    return redirect(url_for("auth.login"))


@bp.get("/auth/oidc/welcome")
def oidc_welcome():
    """First sign-in with this provider account: link it to my passport or start a new one."""
    pending = _pending()
    if pending is None:
        return _no_pending()
    claims = pending[0]
    return _welcome(claims, LinkIdentityForm(email=claims.email or claims.unverified_email),
                    StartPassportForm(name=claims.name))


@bp.post("/auth/oidc/welcome/link")
@limiter.limit("10 per minute")
def oidc_welcome_link():
    """Prove an existing passport with its password; the provider account is linked to it."""
    pending = _pending()
    if pending is None:
        return _no_pending()
    claims, next_page = pending
    form = LinkIdentityForm()
    if form.validate_on_submit():
        try:
            user = identities.link_with_password(claims, form.email.data, form.password.data,
                                                 source=get_remote_address() or "unknown")
        except ServiceError as exc:
            form.email.errors.append(exc.message)
        else:
            if user is not None:
                session.pop(PENDING, None)
                login_user(user)
                flash(_("Je pas is gekoppeld. Voortaan kun je inloggen met %(provider)s.",
                        provider=_label(claims.provider)), "success")
                return after_sign_in(user, next_page)
            form.password.errors.append(_("Dit e-mailadres en wachtwoord horen niet bij een pas. "
                                          "Heb je het vaak geprobeerd? Wacht dan even."))
    return _welcome(claims, form, StartPassportForm(name=claims.name), 422)


@bp.post("/auth/oidc/welcome/mail")
@limiter.limit("5 per minute")
def oidc_welcome_mail():
    """A passport without a password: mail its address a link that links this sign-in."""
    pending = _pending()
    if pending is None:
        return _no_pending()
    claims = pending[0]
    form = LinkByMailForm()
    if form.validate_on_submit():
        nonce = secrets.token_urlsafe(16)
        session[PENDING] = {**session[PENDING], "mail_nonce": nonce}
        identities.request_link_by_mail(claims, form.mail_email.data, nonce,
                                        _label(claims.provider))
        flash(_("Als er een pas bij dit e-mailadres hoort, hebben we er een link naartoe "
                "gestuurd. Open die link in deze browser, binnen een kwartier."), "success")
        return redirect(url_for("auth.oidc_welcome"))
    return _welcome(claims, LinkIdentityForm(), StartPassportForm(name=claims.name), 422)


@bp.route("/auth/oidc/link/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def oidc_link_by_mail(token: str):
    """The mailed link, in the browser that signed in at the provider: link and sign in."""
    pending = _pending()
    if pending is None:
        return _no_pending()
    claims, next_page = pending
    try:
        user = identities.user_for_link_mail(claims, token,
                                             session.get(PENDING, {}).get("mail_nonce", ""))
    except TokenError:
        flash(_("Deze link werkt niet (meer), of je opent hem in een andere browser dan waarin "
                "je inlogde. Vraag een nieuwe aan."), "error")
        return redirect(url_for("auth.oidc_welcome"))
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            identities.link(user, claims)
        except ServiceError as exc:
            flash(exc.message, "error")
            return redirect(url_for("auth.login"))
        session.pop(PENDING, None)
        login_user(user)
        flash(_("Je pas is gekoppeld. Voortaan kun je inloggen met %(provider)s.",
                provider=_label(claims.provider)), "success")
        return after_sign_in(user, next_page)
    return render_template("auth/oidc_link_mail.html", form=form, user=user,
                           provider_label=_label(claims.provider))


@bp.post("/auth/oidc/welcome/new")
@limiter.limit("10 per minute")
def oidc_welcome_new():
    """Start a new passport with this provider account and the email it verified."""
    pending = _pending()
    if pending is None:
        return _no_pending()
    claims, next_page = pending
    form = StartPassportForm()
    if form.validate_on_submit():
        try:
            user = identities.start_passport(claims, form.name.data)
        except ServiceError as exc:
            form.name.errors.append(exc.message)
        else:
            session.pop(PENDING, None)
            login_user(user)
            flash(_("Welkom! Je pas is klaar."), "success")
            return after_sign_in(user, next_page)
    return _welcome(claims, LinkIdentityForm(email=claims.email), form, 422)


@bp.post("/account/sign-in/<int:identity_id>/remove")
@login_required
def remove_identity(identity_id: int):
    """Stop signing in with this provider account (not the last way in)."""
    if EmptyForm().validate_on_submit():
        try:
            identity = identities.remove_identity(current_user._get_current_object(), identity_id)
        except ServiceError as exc:
            if exc.code == "not_found":
                abort(404)  # not this account's: say nothing about it
            flash(exc.message, "error")
        else:
            flash(_("Je logt niet meer in met %(provider)s.",
                    provider=_label(identity.provider)), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/password/remove")
@login_required
def remove_password():
    """Stop signing in with a password (only when a provider account is linked)."""
    if EmptyForm().validate_on_submit():
        try:
            identities.remove_password(current_user._get_current_object())
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Je wachtwoord is verwijderd. Je logt nu alleen in via je gekoppelde "
                    "account."), "success")
    return redirect(url_for("auth.account"))

"""Log in, register and confirm the address, log out (here or everywhere), the account
page, change or reset a password, change email."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from badges.accounts import identities, oidc
from badges.accounts import services as accounts
from badges.accounts.models import User
from badges.accounts.start import start_page
from badges.accounts.web.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from badges.kernel.errors import ServiceError
from badges.kernel.extensions import limiter
from badges.kernel.tokens import TokenError

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None, default: str | None = None) -> str:
    """Only redirect to a path on this site (no open redirect)."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and not urlsplit(target).netloc):
        return target
    return default or url_for("public.home")


def after_sign_in(user: User, next_page: str | None) -> Response:
    """Where the page asked to go, else this person's own start page."""
    return redirect(_safe_next(next_page, start_page(user)))


def _account_and_source() -> str:
    """Rate-limit key of a login attempt: the email typed and the address it comes from."""
    return f"{accounts.normalise_email(request.form.get('email', ''))[:254]}|{get_remote_address()}"


def _not_signed_in(response: Response) -> bool:
    """Only attempts that fail count: a login that works answers with a redirect."""
    return response.status_code != 302


# A class of 30 behind one school address must get in within a minute, so
# successful logins are not counted at all; failures are counted per account
# and address (guessing one password), with a wider ceiling per address
# (trying many accounts). The counts live in Redis when it is configured.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], key_func=_account_and_source,
               deduct_when=_not_signed_in)
@limiter.limit("60 per minute", methods=["POST"], deduct_when=_not_signed_in)
def login():
    """Log in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data,
                                     source=get_remote_address() or "unknown")
        if user:
            login_user(user, remember=form.remember.data)
            return after_sign_in(user, request.args.get("next"))
        # One message for unknown email, wrong password and a source that must wait.
        flash(_("Inloggen is niet gelukt. Controleer je e-mailadres en wachtwoord. "
                "Heb je het vaak geprobeerd? Wacht dan even en probeer het opnieuw."), "error")
    return render_template("auth/login.html", form=form, providers=oidc.providers())


# Registration and reset links: a class behind one school address gets through
# (a wide ceiling per source); mails to one address are limited quietly in the
# use case (``kernel.quota``), the same whether or not the address has an account.
@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
def register():
    """Create a learner account; the same answer whether or not the address has one."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            accounts.register(form.email.data, form.name.data, form.password.data)
        except ServiceError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            flash(_("We hebben een e-mail gestuurd naar %(email)s. Klik op de link in die mail "
                    "om je adres te bevestigen. Je kunt nu al inloggen.",
                    email=accounts.normalise_email(form.email.data)), "success")
            next_page = request.args.get("next")
            return redirect(url_for("auth.login", next=_safe_next(next_page))
                            if next_page else url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.get("/account/confirm/<token>")
def confirm_account(token: str):
    """Confirm the account's address with the mailed link."""
    try:
        accounts.confirm_account(token)
    except TokenError as exc:
        flash(_("Deze link is verlopen. Log in en vraag een nieuwe aan.")
              if exc.reason == "expired" else _("Deze link werkt niet (meer)."), "error")
    else:
        flash(_("Je e-mailadres is bevestigd."), "success")
    return redirect(url_for("public.home"))


@bp.post("/account/confirm/resend")
@login_required
@limiter.limit("3 per minute")
def resend_confirmation():
    """Send the confirmation link again."""
    if FlaskForm().validate_on_submit():
        accounts.send_confirmation(current_user)
        flash(_("We hebben de link opnieuw gestuurd naar %(email)s.", email=current_user.email),
              "success")
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
@login_required
def logout():
    """Log out."""
    logout_user()
    flash(_("Je bent uitgelogd."), "success")
    return redirect(url_for("public.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def forgot_password():
    """Ask for a password reset link."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        flash(_("Als er een account bij dit e-mailadres hoort, krijg je binnen een paar minuten "
                "een e-mail met een link."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str):
    """Choose a new password with an emailed link."""
    try:
        accounts.user_for_reset_token(token)
    except TokenError as exc:
        message = (_("Deze link is verlopen. Vraag een nieuwe aan.") if exc.reason == "expired"
                   else _("Deze link werkt niet (meer). Vraag een nieuwe aan."))
        flash(message, "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except TokenError:
            flash(_("Deze link werkt niet (meer). Vraag een nieuwe aan."), "error")
            return redirect(url_for("auth.forgot_password"))
        except ServiceError as exc:
            form.password.errors.append(exc.message)
        else:
            flash(_("Je wachtwoord is gewijzigd. Je kunt nu inloggen."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.get("/account")
@login_required
def account():
    """My account: who I am here, password and sessions, and everything I can do with it."""
    return render_template("auth/account.html", providers=oidc.providers(),
                           methods=identities.methods(current_user))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of this account, on every device, this one too (CSRF-checked)."""
    accounts.log_out_everywhere(current_user)
    logout_user()
    flash(_("Je bent overal uitgelogd. Log opnieuw in op de apparaten die je wilt gebruiken."),
          "success")
    return redirect(url_for("public.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def change_password():
    """Choose a new password; other devices are logged out, this one stays in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()  # login_user needs the user, not the proxy
        try:
            accounts.change_password(user, form.current_password.data, form.password.data)
        except ServiceError as exc:
            getattr(form, exc.field or "password").errors.append(exc.message)
        else:
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(user, remember=remembered in request.cookies)  # with the new version
            flash(_("Je wachtwoord is gewijzigd. Op andere apparaten ben je nu uitgelogd."),
                  "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def change_email():
    """Change the account's email address (current password, then a link to the new one)."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            accounts.request_email_change(current_user, form.email.data, form.password.data)
        except ServiceError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            flash(_("We hebben een bevestigingslink gestuurd naar het nieuwe adres."), "success")
            return redirect(url_for("public.home"))
    return render_template("auth/change_email.html", form=form), 200 if not form.errors else 422


@bp.get("/account/email/confirm/<token>")
def confirm_email(token: str):
    """Confirm a new email address."""
    try:
        accounts.confirm_email_change(token)
    except (TokenError, ServiceError):
        flash(_("Deze link werkt niet (meer)."), "error")
    else:
        flash(_("Je e-mailadres is gewijzigd."), "success")
    return redirect(url_for("public.home"))


@bp.route("/account/email/undo/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def undo_email_change(token: str):
    """Put the old address back (link mailed to it), then choose a new password."""
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            reset_link = accounts.undo_email_change(token)
        except TokenError:
            flash(_("Deze link werkt niet (meer)."), "error")
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            logout_user()
            flash(_("Je oude e-mailadres staat er weer. Kies nu een nieuw wachtwoord."),
                  "success")
            return redirect(reset_link)
        return redirect(url_for("public.home"))
    return render_template("auth/undo_email.html", form=form)

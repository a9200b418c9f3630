"""Log in, register and confirm the address, log out, reset a password, change email."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from badges.accounts import services as accounts
from badges.accounts.web.forms import (
    ChangeEmailForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from badges.kernel.errors import ServiceError
from badges.kernel.extensions import limiter
from badges.kernel.tokens import TokenError

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site (no open redirect)."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and not urlsplit(target).netloc):
        return target
    return url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Log in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        # One message for unknown email, wrong password and locked account.
        flash(_("Inloggen is niet gelukt. Controleer je e-mailadres en wachtwoord, "
                "of wacht een kwartier als je het vaak hebt geprobeerd."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
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
@limiter.limit("5 per minute", methods=["POST"])
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

"""Account forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from badges.accounts.passwords import MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(), Email()])
    password = PasswordField(_l("Wachtwoord"), validators=[InputRequired()])
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat"))


class RegisterForm(FlaskForm):
    name = StringField(_l("Je naam"), validators=[InputRequired(), Length(max=200)])
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Wachtwoord"),
        description=_l("Minstens %(n)s tekens.", n=MIN_LENGTH),
        validators=[InputRequired(), Length(min=MIN_LENGTH, max=200)],
    )
    password2 = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[InputRequired(), EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(), Email()])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        description=_l("Minstens %(n)s tekens.", n=MIN_LENGTH),
        validators=[InputRequired(), Length(min=MIN_LENGTH, max=200)],
    )
    password2 = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[InputRequired(), EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk."))],
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("Nieuw e-mailadres"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Je huidige wachtwoord"), validators=[InputRequired()])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Je huidige wachtwoord"), validators=[InputRequired()])
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        description=_l("Minstens %(n)s tekens.", n=MIN_LENGTH),
        validators=[InputRequired(), Length(min=MIN_LENGTH, max=200)],
    )
    password2 = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[InputRequired(), EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk."))],
    )



class LinkIdentityForm(FlaskForm):
    email = EmailField(_l("E-mailadres van je pas"), validators=[InputRequired(), Email()])
    password = PasswordField(_l("Wachtwoord van je pas"), validators=[InputRequired()])


class StartPassportForm(FlaskForm):
    name = StringField(_l("Je naam"), validators=[InputRequired(), Length(max=200)])


class MergeForm(FlaskForm):
    email = EmailField(_l("E-mailadres van de andere pas"), validators=[InputRequired(), Email()])
    password = PasswordField(_l("Wachtwoord van de andere pas"), validators=[InputRequired()])
    confirm = BooleanField(_l("Ik begrijp dat de andere pas daarna niet meer bestaat"),
                           validators=[InputRequired()])


class MergeLinkForm(FlaskForm):
    other_email = EmailField(_l("E-mailadres van de andere pas"), validators=[InputRequired(), Email()])


class LinkByMailForm(FlaskForm):
    mail_email = EmailField(_l("E-mailadres van je pas"), validators=[InputRequired(), Email()])

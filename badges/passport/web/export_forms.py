"""Export and account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField
from wtforms.validators import InputRequired

from badges.passport.web.share_forms import MultiCheckboxField


class ClrForm(FlaskForm):
    """Which credentials go into the CLR: a selection, or one pathway's."""

    credentials = MultiCheckboxField(_l("Welke bewijzen?"), choices=[], validate_choice=True)
    pathway = SelectField(_l("Of: alle bewijzen van een leerroute"), choices=[], default="",
                          validate_choice=True)


class DeleteAccountForm(FlaskForm):
    understood = BooleanField(
        _l("Ik begrijp dat mijn pas en mijn gegevens weg zijn en niet terug kunnen komen."),
        validators=[InputRequired(message=_l("Vink dit aan als je zeker bent."))],
    )
    password = PasswordField(_l("Je wachtwoord"), validators=[InputRequired()],
                             description=_l("Ter controle dat jij het bent."))

"""Share forms (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length, Optional

from badges.kernel.forms import MultiCheckboxField


class ShareForm(FlaskForm):
    """Choices are set per request: ``c-<uuid>`` for issued, ``i-<uuid>`` for imported."""

    credentials = MultiCheckboxField(_l("Welke bewijzen wil je delen?"), choices=[],
                                     validate_choice=True)
    title = StringField(
        _l("Naam van de link"),
        description=_l("Alleen voor jezelf, bijvoorbeeld: Sollicitatie zorgcentrum De Linde."),
        validators=[InputRequired(), Length(max=120)],
    )
    expires_on = DateField(
        _l("Geldig tot en met (niet verplicht)"),
        description=_l("Na deze dag werkt de link niet meer. Leeg laten: tot je hem intrekt."),
        validators=[Optional()],
    )


class ConfirmForm(FlaskForm):
    """An empty form: only the CSRF token (revoke buttons)."""

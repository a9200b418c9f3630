"""The verify form: one file, pasted text or a link, and optionally an e-mail address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, TextAreaField
from wtforms.validators import Email, Length, Optional

ACCEPT = (".json,.jsonld,.jwt,.txt,.png,.svg,application/json,application/ld+json,image/png,"
          "image/svg+xml,text/plain")


class VerifyForm(FlaskForm):
    file = FileField(
        _l("Bestand"),
        description=_l("JSON, JWT, of een afbeelding met badge (PNG of SVG). Maximaal 10 MB."),
        render_kw={"accept": ACCEPT},
    )
    text = TextAreaField(
        _l("Of plak de inhoud of een link"),
        description=_l("De tekst van het bewijs (JSON of JWT), of een link naar een bewijs "
                       "of deelpagina op Skillspas."),
        validators=[Length(max=2_200_000)],
        render_kw={"rows": 5, "spellcheck": "false"},
    )
    email = EmailField(
        _l("E-mailadres van de kandidaat (niet verplicht)"),
        description=_l("Dan controleren we of het bewijs aan dit adres is uitgegeven. "
                       "We bewaren het adres niet."),
        validators=[Optional(), Email(), Length(max=254)],
    )


class ReceiptForm(FlaskForm):
    """Posts the same input again: a receipt is always a fresh check."""

    format = HiddenField(validators=[Optional()])
    input_b64 = HiddenField(validators=[Optional()])
    credential = HiddenField(validators=[Optional()])
    link = HiddenField(validators=[Optional()])
    email = HiddenField(validators=[Optional(), Length(max=254)])

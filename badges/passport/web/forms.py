"""Passport forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional


class AddressForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(), Email(), Length(max=254)],
                       description=_l("Bijvoorbeeld het adres van je school of je werk."))
    label = RadioField(_l("Wat voor adres is het?"), default="private",
                       choices=[SelectChoice("school", _l("School")), SelectChoice("work", _l("Werk")),
                                SelectChoice("private", _l("Privé"))])


class ImportForm(FlaskForm):
    file = FileField(_l("Bestand met je badge"),
                     description=_l("Een afbeelding (PNG of SVG) of een bestand (JSON of JWT) "
                                    "dat je van de uitgever kreeg. Hoogstens 10 MB."))
    text = TextAreaField(_l("Of plak de tekst van je badge"), validators=[Optional(),
                         Length(max=2_000_000)])

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from badges.claimcodes.models import EvidenceMode

EVIDENCE_CHOICES = [SelectChoice(EvidenceMode.NONE.value, _l("Niets")),
                    SelectChoice(EvidenceMode.TEXT.value, _l("Een zin over wat de deelnemer deed")),
                    SelectChoice(EvidenceMode.PHOTO.value, _l("Een foto")),
                    SelectChoice(EvidenceMode.TEXT_OR_PHOTO.value, _l("Een zin of een foto"))]


class CodeForm(FlaskForm):
    achievement = SelectField(_l("Bewijs"), validators=[DataRequired()])
    title = StringField(_l("Naam van de code"), validators=[DataRequired(), Length(max=120)],
                        description=_l("Bijvoorbeeld de training en de datum. Deelnemers zien deze naam."))
    starts_at = DateTimeLocalField(_l("Werkt vanaf"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Werkt tot"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    max_claims = IntegerField(_l("Hoeveel mensen mogen de code gebruiken?"),
                              validators=[DataRequired(), NumberRange(min=1, max=5000)])
    needs_approval = BooleanField(_l("Ik keur elke aanvraag eerst zelf goed"))
    allowed_domains = StringField(_l("Alleen voor e-mailadressen van (optioneel)"), validators=[Optional()],
                                  description=_l("Domeinen, gescheiden door komma's, bijvoorbeeld osc28.nl"))
    allowed_emails = TextAreaField(_l("Alleen voor deze e-mailadressen (optioneel)"), validators=[Optional()],
                                   description=_l("Eén adres per regel."))
    evidence = SelectField(_l("Wat voegt de deelnemer toe?"), choices=EVIDENCE_CHOICES,
                           default=EvidenceMode.NONE.value)


class ClaimForm(FlaskForm):
    name = StringField(_l("Je naam"), validators=[Optional(), Length(max=200)],
                       description=_l("Zoals die op het bewijs moet komen."))
    email = EmailField(_l("Je e-mailadres"), validators=[Optional(), Length(max=254)],
                       description=_l("We sturen je een link om te bevestigen dat dit jouw adres is."))
    evidence_text = StringField(_l("Wat heb je gedaan? (één zin)"), validators=[Optional(), Length(max=500)])
    photo = FileField(_l("Foto"))


class EnterCodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("De code staat op de poster of het scherm, bijvoorbeeld 7K2QM-9XH4D."))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reden (bij afwijzen)"), validators=[Optional(), Length(max=1000)])

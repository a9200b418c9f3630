"""Forms for issuing: one credential, a change of state, a reissue, an endorsement."""


from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, Email, InputRequired, Length, Optional

from badges.kernel.forms import int_or_none

RESULT_CHOICES = [SelectChoice("", _l("Geen uitslag")), SelectChoice("voldoende", _l("Voldoende")),
                  SelectChoice("goed", _l("Goed")), SelectChoice("uitstekend", _l("Uitstekend")),
                  SelectChoice("other", _l("Ander cijfer of oordeel"))]


class IssueForm(FlaskForm):
    achievement = SelectField(_l("Prestatie"), choices=[], coerce=int_or_none,
                              validators=[InputRequired()])
    recipient_name = StringField(_l("Naam van de ontvanger"),
                                 validators=[InputRequired(), Length(max=200)])
    recipient_email = EmailField(_l("E-mailadres van de ontvanger"),
                                 validators=[InputRequired(), Email(), Length(max=254)])
    evidence_url = URLField(_l("Link naar bewijs (optioneel)"),
                            validators=[Optional(), URL(require_tld=False), Length(max=500)])
    evidence_text = TextAreaField(_l("Toelichting op het bewijs (optioneel)"),
                                  validators=[Optional(), Length(max=2000)])
    result = SelectField(_l("Uitslag"), choices=RESULT_CHOICES, validators=[Optional()])
    result_other = StringField(_l("Ander cijfer of oordeel"),
                               validators=[Optional(), Length(max=40)],
                               description=_l("Bijv. 7,5. Alleen als je hierboven 'Ander' kiest."))
    assessor = StringField(_l("Beoordelaar"), validators=[Optional(), Length(max=200)])
    # Any id is passed on: issuing says in plain words when that organisation has not
    # agreed to be named (WTForms would only say "Not a valid choice").
    source = SelectField(_l("Beoordeeld door (organisatie, optioneel)"), choices=[],
                         coerce=int_or_none, validators=[Optional()], validate_choice=False,
                         description=_l("Bijv. het leerbedrijf dat de beoordeling deed."))
    valid_until = DateField(_l("Geldig tot (optioneel)"), validators=[Optional()],
                            description=_l("Leeg? Dan geldt de standaard geldigheid van de "
                                           "prestatie (of het verloopt niet)."))


class StateForm(FlaskForm):
    state = SelectField(_l("Wat wil je doen?"), choices=[
        SelectChoice("revoked", _l("Intrekken (definitief)")),
        SelectChoice("suspended", _l("Tijdelijk schorsen")),
        SelectChoice("active", _l("Weer geldig maken"))], validators=[InputRequired()])
    reason = TextAreaField(_l("Reden"), validators=[InputRequired(), Length(max=1000)],
                           description=_l("De ontvanger krijgt deze reden per e-mail."))


class ReissueForm(FlaskForm):
    recipient_name = StringField(_l("Naam van de ontvanger"),
                                 validators=[InputRequired(), Length(max=200)])
    recipient_email = EmailField(_l("E-mailadres van de ontvanger"),
                                 validators=[InputRequired(), Email(), Length(max=254)])
    revoke_old = BooleanField(_l("Het oude bewijs intrekken"), default=True)
    reason = TextAreaField(_l("Reden"), validators=[InputRequired(), Length(max=1000)])


class EndorseForm(FlaskForm):
    achievement = SelectField(_l("Prestatie van een andere organisatie"), choices=[],
                              coerce=int_or_none, validators=[InputRequired()])
    comment = TextAreaField(_l("Waarom onderschrijven jullie dit?"),
                            validators=[Optional(), Length(max=1000)])

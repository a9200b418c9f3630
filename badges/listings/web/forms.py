"""The "Vermelding in het aanbod" form. Rules (what listing needs) live in services.listing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from badges.listings import services as listing


class ListingForm(FlaskForm):
    listed = BooleanField(_l("Tonen in het aanbod (openbaar)"))
    sector = SelectField(_l("Sector"), choices=[
        SelectChoice("", _l("Kies een sector")),
        *(SelectChoice(k, v) for k, v in listing.SECTORS.items())], validators=[Optional()])
    format = SelectField(_l("Vorm"), choices=[SelectChoice("", _l("Kies een vorm"))] + [
        SelectChoice(k.value, v) for k, v in listing.FORMATS.items()], validators=[Optional()])
    city = StringField(_l("Plaats"), validators=[Optional(), Length(max=80)],
                       description=_l("Waar de lessen of de praktijk zijn, bijv. Oss."))
    language = SelectField(_l("Taal"), choices=[
        SelectChoice(k, v) for k, v in listing.LANGUAGES.items()], default="nl")
    duration_weeks = IntegerField(_l("Duur (weken)"), validators=[Optional(), NumberRange(1, 520)],
                                  description=_l("Ongeveer; de studielast komt uit de prestatie."))
    cost_kind = SelectField(_l("Kosten"), choices=[SelectChoice(k.value, v) for k, v in
                                                   listing.COSTS.items()])
    cost_euro = DecimalField(_l("Bedrag in euro"), places=2,
                             validators=[Optional(), NumberRange(0, 1000000)],
                             description=_l("Alleen als je hierboven 'Bedrag in euro' kiest."))
    cost_text = StringField(_l("Toelichting op de kosten"), validators=[Optional(),
                            Length(max=300)], description=_l("Bijv. 'Inclusief boeken'."))
    funding = SelectMultipleField(_l("Wie kan meebetalen?"), choices=[
        SelectChoice(k.value, v) for k, v in listing.FUNDING.items()], validators=[Optional()])
    funding_text = TextAreaField(_l("Toelichting op de financiering"),
                                 validators=[Optional(), Length(max=2000)])
    start_url = StringField(_l("Link naar aanmelden of meer informatie"),
                            validators=[Optional(), Length(max=500)],
                            description=_l("Begint met https://."))
    start_email = StringField(_l("E-mailadres voor vragen"),
                              validators=[Optional(), Length(max=254)])
    start_phone = StringField(_l("Telefoonnummer"), validators=[Optional(), Length(max=40)])
    start_text = TextAreaField(_l("Hoe begin je?"), validators=[Optional(), Length(max=2000)],
                               description=_l("Bijv. 'Eerst een intakegesprek; we starten elke "
                                              "maand.'"))
    applications_open = BooleanField(_l("Open voor aanvragen (erkenning van wat iemand al kan)"))

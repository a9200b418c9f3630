"""The form an issuer uses to define an LLO trajectory (rules are checked by the service)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from badges.kernel.forms import int_or_none
from badges.trajectories.models import AwardMode

RULE_CHOICES = [SelectChoice("all", _l("Alle onderdelen")),
                SelectChoice("any", _l("Een aantal van deze onderdelen (vul hieronder in hoeveel)")),
                SelectChoice("ordered", _l("Alle onderdelen, in deze volgorde"))]
AWARD_CHOICES = [SelectChoice(AwardMode.OFF.value, _l("Uit: alleen de voortgang laten zien")),
                 SelectChoice(AwardMode.AUTOMATIC.value, _l("Automatisch uitgeven als alles binnen is")),
                 SelectChoice(AwardMode.APPROVAL.value,
                              _l("Uitgeven na goedkeuring door een beoordelaar"))]


class TrajectoryForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[
        InputRequired(_l("Geef het traject een naam.")), Length(max=200)])
    description = TextAreaField(_l("Beschrijving"), validators=[Length(max=4000)],
                                description=_l("Voor wie is het traject en wat levert het op?"))
    target = SelectField(_l("Einddoel"), choices=[], coerce=int_or_none, validate_choice=False,
                         validators=[Optional()],
                         description=_l("Het bewijs dat de deelnemer krijgt als het traject "
                                        "af is. Een gepubliceerde prestatie van jullie."))
    components = SelectMultipleField(
        _l("Onderdelen"), choices=[], coerce=int, validate_choice=False, render_kw={"size": 12},
        description=_l("Kies minstens 2 gepubliceerde prestaties, ook van andere organisaties. "
                       "Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen."))
    rule = RadioField(_l("Wanneer is het traject af?"), choices=RULE_CHOICES, default="all",
                      validators=[InputRequired()])
    min_required = IntegerField(_l("Aantal onderdelen dat nodig is"),
                                validators=[Optional(), NumberRange(
                                    min=1, max=100, message=_l("Vul een getal in."))],
                                description=_l("Alleen bij 'een aantal van deze onderdelen'."))
    max_months = IntegerField(_l("Maximale duur (maanden)"),
                              validators=[Optional(), NumberRange(
                                  min=1, max=240, message=_l("Vul 1 tot en met 240 maanden in, "
                                                             "of laat het leeg."))],
                              description=_l("Gerekend vanaf het eerste onderdeel. Leeg laten "
                                             "als er geen grens is."))
    partners = SelectMultipleField(
        _l("Partnerorganisaties"), choices=[], coerce=int, validate_choice=False,
        render_kw={"size": 6},
        description=_l("Organisaties die het traject samen met jullie aanbieden, zoals een "
                       "leerbedrijf of opleidingsfonds."))
    award_mode = RadioField(_l("Toekennen"), choices=AWARD_CHOICES,
                            default=AwardMode.OFF.value, validators=[InputRequired()])

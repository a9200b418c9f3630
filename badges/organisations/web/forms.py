"""Forms for an organisation's people, API tokens and profile."""


from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from badges.kernel.forms import MultiCheckboxField
from badges.kernel.models import utcnow
from badges.organisations.models import SCOPES, Role

ROLE_CHOICES = [SelectChoice(Role.VIEWER.value, _l("Meekijken")),
                SelectChoice(Role.ISSUER.value, _l("Uitgeven")),
                SelectChoice(Role.ADMIN.value, _l("Beheren"))]


class MemberForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(), Email(), Length(max=254)])
    name = StringField(_l("Naam"), validators=[Optional(), Length(max=200)],
                       description=_l("Voor de aanhef van de uitnodiging. Mag leeg."))
    role = SelectField(_l("Rol"), choices=ROLE_CHOICES, default=Role.ISSUER.value)


class RoleForm(FlaskForm):
    role = SelectField(_l("Rol"), choices=ROLE_CHOICES)


SCOPE_LABELS = {
    "issue": _l("Bewijzen uitgeven (issue)"),
    "revoke": _l("Bewijzen intrekken, schorsen en herstellen (revoke)"),
    "bulk": _l("Veel bewijzen tegelijk uitgeven met een CSV-bestand (bulk)"),
    "read": _l("Bewijzen opvragen (read)"),
}


class TokenForm(FlaskForm):
    name = StringField(_l("Waarvoor is deze sleutel?"), validators=[InputRequired(),
                       Length(max=120)], description=_l("Bijv. 'Koppeling met Eduarte'."))
    scopes = MultiCheckboxField(_l("Wat mag deze sleutel?"),
                                choices=[SelectChoice(s, SCOPE_LABELS[s]) for s in SCOPES],
                                default=list(SCOPES),
                                validators=[DataRequired(_l("Kies minstens één recht."))])
    expires = DateField(_l("Verloopt op (optioneel)"), validators=[Optional()],
                        description=_l("Na deze datum werkt de sleutel niet meer."))

    def validate_expires(self, field: DateField) -> None:
        if field.data is not None and field.data <= utcnow().date():
            raise ValidationError(_l("Kies een datum na vandaag."))


class OAuthClientForm(FlaskForm):
    client_name = StringField(_l("Naam van de koppeling"), validators=[InputRequired(),
                              Length(max=120)], description=_l("Bijv. 'Eduarte (OAuth)'."))
    client_scopes = MultiCheckboxField(_l("Wat mag deze koppeling?"),
                                       choices=[SelectChoice(s, SCOPE_LABELS[s]) for s in SCOPES],
                                       default=["issue"],
                                       validators=[DataRequired(_l("Kies minstens één recht."))])


class ProfileForm(FlaskForm):
    colour = StringField(_l("Kleur"), validators=[InputRequired(), Length(max=7)],
                         description=_l("Voor standaardafbeeldingen, bijv. #1f5f8b."))
    description = TextAreaField(_l("Over de organisatie"), validators=[Length(max=4000)])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=500)])


class AssessorConsentForm(FlaskForm):
    """Which organisations may name this one as assessing organisation (choices per request)."""

    allowed = MultiCheckboxField(_l("Deze organisaties mogen ons noemen"), choices=[],
                                 coerce=int, validate_choice=True)

"""Forms for an organisation's people, API tokens and profile."""


from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
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
                SelectChoice(Role.APPROVER.value, _l("Uitgeven en goedkeuren")),
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
    name = StringField(_l("Naam"), validators=[InputRequired(), Length(max=200)])
    short_name = StringField(_l("Korte naam"), validators=[Optional(), Length(max=40)],
                             description=_l("Bijv. 'Maasvallei'. Mag leeg."))
    brin = StringField(_l("BRIN-code"), validators=[Optional(), Length(max=6)],
                       description=_l("Alleen voor scholen. Na een wijziging controleert "
                                      "Skillspas het nummer opnieuw."))
    kvk = StringField(_l("KvK-nummer"), validators=[Optional(), Length(max=8)],
                      description=_l("Na een wijziging controleert Skillspas het nummer "
                                     "opnieuw."))
    email = EmailField(_l("Contact (e-mail)"), validators=[Optional(), Email(),
                                                           Length(max=254)])
    city = StringField(_l("Plaats"), validators=[Optional(), Length(max=120)])
    award_limit_hour = IntegerField(
        _l("Grens per uur"), validators=[Optional()],
        description=_l("Geeft één persoon of API-sleutel meer uit in een uur, dan wacht de rest "
                       "op goedkeuring en krijgen de beheerders een e-mail. Leeg: geen grens."))
    award_limit_day = IntegerField(_l("Grens per dag"), validators=[Optional()],
                                   description=_l("Hetzelfde, per dag. Leeg: geen grens."))
    logo = FileField(_l("Logo (PNG of SVG, max. 512 kB)"),
                     description=_l("Staat op jullie profielpagina en bij jullie bewijzen."))
    remove_logo = BooleanField(_l("Logo weghalen"))
    colour = StringField(_l("Kleur"), validators=[InputRequired(), Length(max=7)],
                         description=_l("Voor standaardafbeeldingen, bijv. #1f5f8b."))
    description = TextAreaField(_l("Over de organisatie"), validators=[Length(max=4000)])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=500)])


class AssessorConsentForm(FlaskForm):
    """Which organisations may name this one as assessing organisation (choices per request)."""

    allowed = MultiCheckboxField(_l("Deze organisaties mogen ons noemen"), choices=[],
                                 coerce=int, validate_choice=True)


KIND_CHOICES = [SelectChoice("college", _l("School (ROC, AOC, vakschool) of een deel ervan")),
                SelectChoice("employer", _l("Werkgever of leerbedrijf")),
                SelectChoice("community", _l("Vereniging of stichting (sport, bibliotheek)")),
                SelectChoice("municipality", _l("Gemeente")),
                SelectChoice("training_provider", _l("Opleider"))]


class _OrganisationFields(FlaskForm):
    name = StringField(_l("Naam van de organisatie"), validators=[InputRequired(),
                                                                    Length(max=200)])
    kind = SelectField(_l("Soort organisatie"), choices=KIND_CHOICES)
    kvk = StringField(_l("KvK-nummer"), validators=[Optional(), Length(max=8)],
                      description=_l("8 cijfers."))
    brin = StringField(_l("BRIN-code"), validators=[Optional(), Length(max=6)],
                       description=_l("Alleen voor scholen, bijv. 25LX."))
    website = URLField(_l("Website"), validators=[Optional(), Length(max=500)])
    city = StringField(_l("Plaats"), validators=[Optional(), Length(max=120)])


class NewOrganisationForm(_OrganisationFields):
    """The platform admin creates an organisation and invites its first admin."""

    parent = SelectField(_l("Onderdeel van"), choices=[], coerce=str)
    admin_email = EmailField(_l("E-mailadres van de eerste beheerder"),
                             validators=[InputRequired(), Email(), Length(max=254)])
    admin_name = StringField(_l("Naam van de eerste beheerder"),
                             validators=[Optional(), Length(max=200)])


class SignupForm(_OrganisationFields):
    """An organisation asks to join (reviewed by the platform admin)."""

    contact_name = StringField(_l("Je naam"), validators=[InputRequired(), Length(max=200)])
    contact_email = EmailField(_l("Je e-mailadres"),
                               validators=[InputRequired(), Email(), Length(max=254)],
                               description=_l("Hier sturen we het antwoord en, als we "
                                              "goedkeuren, de uitnodiging om te beheren."))
    reason = TextAreaField(_l("Waarvoor wil je Skillspas gebruiken?"),
                           validators=[InputRequired(), Length(max=4000)])


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reden (de aanvrager leest dit)"),
                           validators=[InputRequired(), Length(max=2000)])


class VerifyForm(FlaskForm):
    note = StringField(_l("Hoe gecontroleerd?"), validators=[Optional(), Length(max=500)],
                       description=_l("Bijv. 'KvK-register bekeken op 4-12-2026'."))


class UnitForm(FlaskForm):
    name = StringField(_l("Naam van de nieuwe eenheid"), validators=[InputRequired(),
                                                                      Length(max=200)])
    parent = SelectField(_l("Onder"), choices=[], coerce=int, validate_choice=True)


class MoveForm(FlaskForm):
    parent = SelectField(_l("Verplaats naar"), choices=[], coerce=int, validate_choice=True)

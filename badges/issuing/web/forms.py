"""Forms for issuing: one credential, a change of state, a reissue, an endorsement."""


from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

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
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from badges.issuing import rules
from badges.kernel.forms import int_or_none
from badges.kernel.models import utcnow

RESULT_CHOICES = [SelectChoice("", _l("Geen uitslag")), SelectChoice("voldoende", _l("Voldoende")),
                  SelectChoice("goed", _l("Goed")), SelectChoice("uitstekend", _l("Uitstekend")),
                  SelectChoice("other", _l("Ander cijfer of oordeel"))]


class Rule:
    """A WTForms validator from an issuing rule (the message in the page's language).

    ``maxlength`` is rendered on the input, as WTForms' ``Length`` would, so the
    browser stops at the same limit the rule checks.
    """

    def __init__(self, check: Callable[[Any], rules.Message | None], maxlength: int | None = None):
        self.check = check
        self.field_flags = {"maxlength": maxlength} if maxlength else {}

    def __call__(self, _form: Any, field: Any) -> None:
        problem = self.check(field.data)
        if problem is not None:
            raise ValidationError(str(problem))


def _in_the_future(day: date | None) -> rules.Message | None:
    return rules.valid_until_problem(rules.end_of_day(day), utcnow()) if day else None


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _email(value: Any) -> Any:
    return rules.normalise_email(value) if isinstance(value, str) else value


class IssueForm(FlaskForm):
    """One credential; the rules are issuing/rules.py, shared with the API and the CSV."""

    achievement = SelectField(_l("Prestatie"), choices=[], coerce=int_or_none,
                              validators=[InputRequired()])
    recipient_name = StringField(_l("Naam van de ontvanger"), filters=[_strip],
                                 validators=[InputRequired(), Rule(rules.name_problem, rules.NAME_MAX)])
    # Shown only after the name differed from the recipient's account (see issue_one)
    name_confirmed = BooleanField(_l("Ja, deze naam klopt: toch uitgeven"))
    recipient_email = EmailField(_l("E-mailadres van de ontvanger"),
                                 filters=[_email],
                                 validators=[InputRequired(), Rule(rules.email_problem, rules.EMAIL_MAX)])
    # Shown only when this person already holds this achievement (see issue_one)
    again_confirmed = BooleanField(_l("Ja, ik weet het: toch nog een keer uitgeven"))
    evidence_url = URLField(_l("Link naar bewijs (optioneel)"), filters=[_strip],
                            validators=[Optional(), Rule(rules.evidence_url_problem, rules.EVIDENCE_URL_MAX)])
    evidence_text = TextAreaField(_l("Toelichting op het bewijs (optioneel)"),
                                  validators=[Optional(), Rule(rules.narrative_problem, rules.NARRATIVE_MAX)],
                                  description=_l("Komt ondertekend in het bewijs: de ontvanger en "
                                                 "iedereen aan wie die het laat zien, kan deze "
                                                 "tekst lezen. Schrijf er geen gevoelige "
                                                 "gegevens in."))
    result = SelectField(_l("Uitslag"), choices=RESULT_CHOICES, validators=[Optional()])
    result_other = StringField(_l("Ander cijfer of oordeel"), filters=[_strip],
                               validators=[Optional(), Rule(rules.result_value_problem, rules.RESULT_MAX)],
                               description=_l("Bijv. 7,5. Alleen als je hierboven 'Ander' kiest."))
    assessor = StringField(_l("Beoordelaar"), filters=[_strip],
                           validators=[Optional(), Rule(rules.assessor_problem, rules.ASSESSOR_MAX)],
                           description=_l("Deze naam komt in het ondertekende bewijs: iedereen "
                                          "met wie de deelnemer het deelt, ziet hem."))
    # Any id is passed on: issuing says in plain words when that organisation has not
    # agreed to be named (WTForms would only say "Not a valid choice").
    source = SelectField(_l("Beoordeeld door (organisatie, optioneel)"), choices=[],
                         coerce=int_or_none, validators=[Optional()], validate_choice=False,
                         description=_l("Bijv. het leerbedrijf dat de beoordeling deed."))
    # Co-issuing: the partner is asked first; nothing is signed until it agrees.
    partner = SelectField(_l("Samen uitgeven met (partner, optioneel)"), choices=[],
                          coerce=int_or_none, validators=[Optional()], validate_choice=False,
                          description=_l("Bijv. het leerbedrijf van een praktijkverklaring. "
                                         "Het bewijs wacht op de partner: pas als die instemt, "
                                         "ondertekenen jullie het allebei en krijgt de ontvanger "
                                         "het."))
    valid_until = DateField(_l("Geldig tot (optioneel)"),
                            validators=[Optional(), Rule(_in_the_future)],
                            description=_l("Leeg? Dan geldt de standaard geldigheid van de "
                                           "prestatie (of het verloopt niet)."))


class StateForm(FlaskForm):
    # Only what can be undone; revoking is its own step with a confirmation (RevokeForm).
    state = SelectField(_l("Wat wil je doen?"), choices=[
        SelectChoice("suspended", _l("Tijdelijk schorsen")),
        SelectChoice("active", _l("Weer geldig maken"))], validators=[InputRequired()])
    # Its own id: the reissue form on the same page has a "reason" too
    reason = TextAreaField(_l("Reden"), validators=[InputRequired(), Length(max=1000)],
                           description=_l("De ontvanger krijgt deze reden per e-mail."),
                           id="state-reason")


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reden van intrekken"), validators=[InputRequired(), Length(max=1000)],
                           description=_l("De ontvanger krijgt deze reden per e-mail."))


class ReissueForm(FlaskForm):
    recipient_name = StringField(_l("Naam van de ontvanger"), filters=[_strip],
                                 validators=[InputRequired(), Rule(rules.name_problem, rules.NAME_MAX)])
    recipient_email = EmailField(_l("E-mailadres van de ontvanger"), filters=[_email],
                                 validators=[InputRequired(), Rule(rules.email_problem, rules.EMAIL_MAX)])
    revoke_old = BooleanField(_l("Het oude bewijs intrekken"), default=False)
    reason = TextAreaField(_l("Reden"), validators=[InputRequired(), Length(max=1000)],
                           id="reissue-reason")


class EndorseForm(FlaskForm):
    achievement = SelectField(_l("Prestatie van een andere organisatie"), choices=[],
                              coerce=int_or_none, validators=[InputRequired()])
    comment = TextAreaField(_l("Waarom onderschrijven jullie dit?"),
                            validators=[Optional(), Length(max=1000)])


class CoIssueDeclineForm(FlaskForm):
    reason = TextAreaField(_l("Waarom niet?"), validators=[InputRequired(), Length(max=1000)],
                           description=_l("De uitgever ziet deze reden."))

"""Forms for applications and adviser access (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import Email, InputRequired, Length, Optional


class DescriptionForm(FlaskForm):
    description = TextAreaField(
        _l("Wat heb je gedaan?"), validators=[Optional(), Length(max=10_000)],
        description=_l("Vertel in je eigen woorden wat je hebt gedaan, waar en hoe lang. "
                       "Bijvoorbeeld: welk werk, welke taken, wie je begeleidde. Wordt je "
                       "aanvraag toegekend, dan komt deze tekst in je bewijs: iedereen aan wie "
                       "je het bewijs laat zien, kan hem lezen."))


class FileForm(FlaskForm):
    file = FileField(_l("Bestand"), description=_l(
        "PDF, PNG, JPEG of gewone tekst. Hoogstens 5 MB per bestand, 10 bestanden."))
    note = StringField(_l("Wat laat dit bestand zien? (optioneel)"),
                       validators=[Optional(), Length(max=500)])


class LinkForm(FlaskForm):
    url = URLField(_l("Webadres"), validators=[InputRequired(), Length(max=500)],
                   description=_l("Bijvoorbeeld een foto-album of een website van je werk."))
    name = StringField(_l("Naam van de link (optioneel)"), validators=[Optional(), Length(max=200)])


class PassportCredentialForm(FlaskForm):
    credential = SelectField(_l("Bewijs uit je pas"), validators=[InputRequired()],
                             validate_choice=False)


class StatementForm(FlaskForm):
    text = TextAreaField(_l("Verklaring"), validators=[InputRequired(), Length(max=5000)],
                         description=_l("Wat de werkgever of coach over je werk zegt."))
    name = StringField(_l("Naam van wie de verklaring geeft"),
                       validators=[InputRequired(), Length(max=200)])
    role = StringField(_l("Functie (bijvoorbeeld uitvoerder, trainer)"),
                       validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mailadres van wie de verklaring geeft"),
                       validators=[InputRequired(), Email(), Length(max=254)],
                       description=_l("Die persoon krijgt een e-mail om de verklaring te "
                                      "bevestigen. Tot dan staat erbij: niet bevestigd door "
                                      "werkgever."))
    # A third party's words, under their name, go into a signed document others read:
    # the learner confirms the person knows.
    agreed = BooleanField(
        _l("Degene die de verklaring geeft, weet dat die met naam en functie in mijn bewijs "
           "komt en dat iedereen aan wie ik het bewijs laat zien, de verklaring kan lezen."),
        validators=[InputRequired(message=_l("Vink aan dat de gever van de verklaring dit "
                                             "weet."))])


class SubmitForm(FlaskForm):
    understood = BooleanField(
        _l("Ik begrijp dat mijn beschrijving, de verklaringen en de namen en notities bij mijn "
           "bestanden en links in mijn bewijs komen als het wordt toegekend. Het bewijs is "
           "ondertekend en kan daarna niet meer worden aangepast."),
        validators=[InputRequired(message=_l("Vink dit aan om je aanvraag in te dienen."))])


class MessageForm(FlaskForm):
    text = TextAreaField(_l("Je bericht"), validators=[InputRequired(), Length(max=10_000)])


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reden van afwijzen"), validators=[InputRequired(),
                           Length(max=10_000)],
                           description=_l("De aanvrager krijgt deze reden te lezen."))


class GrantForm(FlaskForm):
    email = EmailField(_l("E-mailadres van de adviseur"),
                       validators=[InputRequired(), Email(), Length(max=254)])
    organisation = SelectField(_l("Organisatie van de adviseur"), coerce=int,
                               validators=[InputRequired()])
    expires = DateField(_l("Toegang tot en met"), validators=[InputRequired()],
                        description=_l("Hoogstens een jaar. Je kunt de toegang altijd eerder "
                                       "intrekken."))

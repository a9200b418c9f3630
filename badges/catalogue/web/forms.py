"""Issuer workspace forms. Kind-specific required fields are checked by the service."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
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
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from badges.catalogue.labels import KIND_LABELS
from badges.catalogue.microcredentials import BY_KEY as MC
from badges.catalogue.microcredentials import LEVELS, PARTICIPATION, SUPERVISION
from badges.catalogue.models import AchievementKind
from badges.kernel.forms import int_or_none

LEVEL_CHOICES = [SelectChoice("", _l("Geen"))] + [SelectChoice(v, v) for v in LEVELS]

TEMPLATE_LABELS = {"circle": _l("Cirkel"), "hexagon": _l("Zeshoek"), "shield": _l("Schild"),
                   "ribbon": _l("Medaille met lint")}
COLOUR_LABELS = [_l("Huiskleur"), _l("Donkerder"), _l("Lichter"), _l("Tegenkleur"),
                 _l("Buurkleur 1"), _l("Buurkleur 2")]
ICON_LABELS = {
    "award": _l("Onderscheiding"), "bike": _l("Fiets"), "book-open": _l("Boek"),
    "brain": _l("Hersenen"), "camera": _l("Camera"), "chef-hat": _l("Koksmuts"),
    "clock": _l("Klok"), "code": _l("Code"), "dumbbell": _l("Halter"), "flag": _l("Vlag"),
    "goal": _l("Doel"), "graduation-cap": _l("Afstudeerhoed"), "hammer": _l("Hamer"),
    "handshake": _l("Handdruk"), "hard-hat": _l("Bouwhelm"), "heart": _l("Hart"),
    "languages": _l("Talen"), "laptop": _l("Laptop"), "leaf": _l("Blad"),
    "lightbulb": _l("Lamp (idee)"), "medal": _l("Medaille"), "message-circle": _l("Gesprek"),
    "music": _l("Muziek"), "palette": _l("Palet"), "puzzle": _l("Puzzelstuk"),
    "rocket": _l("Raket"), "shield-check": _l("Schild met vinkje"), "sparkles": _l("Sterretjes"),
    "star": _l("Ster"), "stethoscope": _l("Stethoscoop"), "target": _l("Roos (mikpunt)"),
    "trophy": _l("Beker"), "truck": _l("Vrachtwagen"), "users": _l("Groep mensen"),
    "wrench": _l("Moersleutel"), "zap": _l("Bliksem"),
}


class AchievementForm(FlaskForm):
    kind = SelectField(_l("Soort"), choices=[SelectChoice(k.value, KIND_LABELS[k])
                                             for k in AchievementKind],
                       validators=[InputRequired()])
    name = StringField(_l("Naam"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(_l("Beschrijving"), validators=[Length(max=4000)],
                                description=_l("Wat kan iemand die dit heeft? Een paar zinnen."))
    criteria = TextAreaField(_l("Wat moet iemand ervoor doen?"), validators=[Length(max=4000)])
    # English (optional); the credential carries both, tagged with their language
    name_en = StringField(_l("Naam in het Engels"), validators=[Optional(), Length(max=200)],
                          render_kw={"lang": "en"},  # spelling and voice of what is typed
                          description=_l("Leeg laten? Dan zien Engelstalige lezers de "
                                         "Nederlandse tekst."))
    description_en = TextAreaField(_l("Beschrijving in het Engels"),
                                   validators=[Length(max=4000)], render_kw={"lang": "en"})
    criteria_en = TextAreaField(_l("Wat moet iemand ervoor doen? (Engels)"),
                                validators=[Length(max=4000)], render_kw={"lang": "en"})
    mbo_level = SelectField(_l("Niveau"), choices=[SelectChoice("", _l("Geen")),
                                                   SelectChoice("entree", _l("Entree")),
                                                   *(SelectChoice(n, n) for n in "1234")],
                            validators=[Optional()])
    validity_months = IntegerField(_l("Geldig (maanden)"), validators=[Optional(),
                                   NumberRange(1, 600)],
                                   description=_l("Leeg laten als het niet verloopt."))
    field_of_study = StringField(_l("Vakgebied"), validators=[Optional(), Length(max=200)])
    keuzedeel_code = StringField(_l("Keuzedeelcode"), validators=[Optional(), Length(max=10)],
                                 description=_l("K met 4 cijfers, bijv. K0123."))
    sbu = IntegerField(_l("Studielast (SBU)"), validators=[Optional(), NumberRange(1, 100000)])
    ec = DecimalField(_l("Studiepunten (EC)"), places=2,
                      validators=[Optional(), NumberRange(0, 1000)])
    crebo = StringField(_l("Crebonummer"), validators=[Optional(), Length(max=5)],
                        description=_l("5 cijfers, bijv. 25491."))
    qualification_name = StringField(_l("Naam van de kwalificatie"),
                                     validators=[Optional(), Length(max=200)])
    qualification_part = StringField(_l("Deel van de kwalificatie"),
                                     validators=[Optional(), Length(max=200)],
                                     description=_l("Bijv. B1-K1 Biedt zorg en ondersteuning."))
    work_tasks = TextAreaField(_l("Werkprocessen of taken"), validators=[Length(max=4000)],
                               description=_l("Eén per regel."))
    workplace = StringField(_l("Werkplek"), validators=[Optional(), Length(max=200)],
                            description=_l("Afdeling en locatie."))
    college_slug = SelectField(_l("School"), choices=[], validators=[Optional()])
    pathway_id = SelectField(_l("Leerroute"), choices=[], coerce=int_or_none,
                             validators=[Optional()])
    new_pathway_name = StringField(_l("Of: naam van een nieuwe leerroute"),
                                   validators=[Optional(), Length(max=200)])
    skills = SelectMultipleField(_l("Vaardigheden"), choices=[], coerce=int,
                                 validate_choice=False)
    new_skills = StringField(_l("Andere vaardigheden"), validators=[Length(max=600)],
                             description=_l("Scheid met komma's."))
    new_skills_en = StringField(_l("Andere vaardigheden in het Engels"),
                                validators=[Length(max=600)], render_kw={"lang": "en"},
                                description=_l("In dezelfde volgorde, gescheiden met komma's."))
    image = FileField(_l("Afbeelding (PNG of SVG, max. 512 kB)"),
                      description=_l("Geen afbeelding? Dan maken we er een in de kleur van je "
                                     "organisatie."))
    remove_image = BooleanField(_l("Eigen afbeelding weghalen"))
    # the badge designer (colour choices come from the organisation's palette)
    design_template = SelectField(
        _l("Vorm"), choices=[SelectChoice("", _l("Geen ontwerp: eigen afbeelding of standaard")),
                             *(SelectChoice(k, v) for k, v in TEMPLATE_LABELS.items())],
        validators=[Optional()])
    design_colour = SelectField(_l("Kleur"), choices=[], validators=[Optional()],
                                validate_choice=False)
    design_icon = SelectField(_l("Pictogram"), validators=[Optional()], default="award",
                              choices=[SelectChoice("", _l("Geen")),
                                       *(SelectChoice(k, v) for k, v in ICON_LABELS.items())])
    design_line1 = StringField(_l("Tekst, regel 1"), validators=[Optional(), Length(max=18)],
                               description=_l("Kort, bijv. Samenwerken. Maximaal 18 tekens."))
    design_line2 = StringField(_l("Tekst, regel 2"), validators=[Optional(), Length(max=18)],
                               description=_l("Mag leeg blijven, bijv. Niveau 2."))
    publish = BooleanField(_l("Publiceren: direct uit te geven"), default=True)
    four_eyes = SelectField(
        _l("Vier ogen: wacht een uitgifte op een tweede persoon?"),
        choices=[SelectChoice("", _l("Zoals de soort: ja voor certificaten en verklaringen")),
                 SelectChoice("on", _l("Ja, altijd")), SelectChoice("off", _l("Nee"))],
        validators=[Optional()],
        description=_l("Alleen beheerders kunnen dit veranderen."))
    # EU micro-credential elements (help texts from badges.catalogue.microcredentials)
    eqf_level = SelectField(_l("EQF-niveau"), choices=LEVEL_CHOICES, validators=[Optional()],
                            description=_l("Europees niveau 1 tot 8 (mbo 2 = EQF 2)."))
    nlqf_level = SelectField(_l("NLQF-niveau"), choices=LEVEL_CHOICES, validators=[Optional()],
                             description=_l("Nederlands niveau; meestal gelijk aan EQF."))
    mc_learning_outcomes = TextAreaField(MC["learning_outcomes"].label, validators=[
        Length(max=4000)], description=MC["learning_outcomes"].help)
    mc_assessment_type = StringField(MC["assessment_type"].label, validators=[Length(max=300)],
                                     description=MC["assessment_type"].help)
    mc_participation_form = SelectField(
        MC["participation_form"].label, validators=[Optional()],
        choices=[SelectChoice("", _l("Kies")), *(SelectChoice(k, v) for k, v in PARTICIPATION.items())],
        description=MC["participation_form"].help)
    mc_quality_assurance = StringField(MC["quality_assurance"].label,
                                       validators=[Length(max=300)],
                                       description=MC["quality_assurance"].help)
    mc_country = StringField(MC["country"].label, default="NL", validators=[Length(max=2)],
                             description=MC["country"].help)
    mc_exam_board = StringField(MC["exam_board"].label, validators=[Length(max=200)],
                                description=MC["exam_board"].help)
    mc_supervision = SelectField(MC["supervision"].label,
                                 choices=[SelectChoice(k, v) for k, v in SUPERVISION.items()],
                                 validators=[Optional()], description=MC["supervision"].help)
    mc_identity_verified = BooleanField(MC["identity_verified"].label,
                                        description=MC["identity_verified"].help)
    mc_prerequisites = TextAreaField(MC["prerequisites"].label, validators=[Length(max=1000)],
                                     description=MC["prerequisites"].help)
    mc_grading = StringField(MC["grading"].label, validators=[Length(max=300)],
                             description=MC["grading"].help)
    mc_stackability = TextAreaField(MC["stackability"].label, validators=[Length(max=1000)],
                                    description=MC["stackability"].help)
    mc_further_info = StringField(MC["further_info"].label, validators=[Length(max=500)],
                                  description=MC["further_info"].help)

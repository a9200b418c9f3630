"""Microcredentials: the EU standard elements, and where they go in the signed credential.

Rules (Council Recommendation of 16 June 2022 on micro-credentials, annex I,
plus the Dutch mbo pilot framework of Npuls):

- Mandatory: learner identification, title, country and awarding body, date of
  issue (these four come from the credential itself: subject, name, issuer,
  validFrom), learning outcomes, notional workload (ECTS where possible),
  level (EQF/NLQF), type of assessment, form of participation and type of
  quality assurance. The mbo pilot adds: at least 240 SBU, and the
  examencommissie guarantees the level.
- Optional: prerequisites, supervision and identity verification during
  assessment, grade (a result when issuing), integration/stackability
  options, further information.
- A draft may be incomplete; an achievement of kind microcredential is never
  *published* while a mandatory element is missing (checked by
  :func:`publish_errors`, called from ``achievements.create/update``).

Where each element goes: OB 3.0 terms where they exist (``creditsAvailable``
for ECTS, ``alignment`` for the EQF/NLQF level and each learning outcome,
``resultDescription`` for the grading scheme, ``criteria``, ``inLanguage``,
``achievementType`` MicroCredential); the rest as properties of the
Achievement whose terms the Achievement itself defines, in an embedded context
(``documents.EXTENSION_CONTEXT``): any verifier processes them with only the
standard contexts. Credentials issued before name the same terms by the URL of
our frozen ``MICROCREDENTIAL_V1`` context, which stays bundled so they still
verify here. OB's Achievement allows additional properties, so the schema
still validates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from badges.catalogue.models import Achievement, AchievementKind
from badges.credentials.documents import AlignmentData
from badges.organisations.models import OrganisationKind

SBU_PER_EC = 28
MIN_SBU_MBO = 240  # Npuls pilot framework for mbo microcredentials
PARTICIPATION = {"online": _l("Online"), "onsite": _l("Op locatie"),
                 "blended": _l("Gemengd (online en op locatie)")}
SUPERVISION = {"": _l("Niet opgegeven"), "none": _l("Zonder toezicht"),
               "online": _l("Met toezicht, online"),
               "onsite": _l("Met toezicht, op locatie")}
LEVELS = ("1", "2", "3", "4", "5", "6", "7", "8")
EQF_URL = "https://europa.eu/europass/en/description-eight-eqf-levels"
NLQF_URL = "https://www.nlqf.nl/nlqf-niveaus"


@dataclass(frozen=True)
class Element:
    key: str  # in details["microcredential"]; the form field is "mc_" + key
    label: Any
    help: Any
    mandatory: bool


#: The elements a person fills in (the other mandatory ones come from the credential).
ELEMENTS: tuple[Element, ...] = (
    Element("learning_outcomes", _l("Leerresultaten"), _l(
        "Wat kan iemand na afloop? Eén resultaat per regel, bijv. 'Je maakt een "
        "begeleidingsplan'. Een andere school of werkgever ziet zo wat je kunt."), True),
    Element("assessment_type", _l("Manier van toetsen"), _l(
        "Hoe is getoetst? Bijv. 'Portfolio en praktijkbeoordeling' of 'Schriftelijk examen'."),
        True),
    Element("participation_form", _l("Vorm van deelname"), _l(
        "Hoe volgde de deelnemer het onderwijs: online, op locatie of gemengd?"), True),
    Element("quality_assurance", _l("Kwaliteitsborging"), _l(
        "Wie bewaakt de kwaliteit? Bijv. 'Examencommissie, toezicht Inspectie van het "
        "Onderwijs'."), True),
    Element("country", _l("Land van de uitgever"), _l(
        "Landcode van twee letters, bijv. NL."), True),
    Element("exam_board", _l("Examencommissie die het niveau borgt"), _l(
        "Verplicht voor een mbo-school (pilotkader Npuls): welke examencommissie staat in "
        "voor het niveau?"), False),
    Element("supervision", _l("Toezicht bij de toets"), _l(
        "Was er toezicht tijdens de toets, en zo ja online of op locatie?"), False),
    Element("identity_verified", _l("Identiteit gecontroleerd bij de toets"), _l(
        "Aanvinken als de identiteit van de deelnemer is gecontroleerd (bijv. met een "
        "identiteitsbewijs)."), False),
    Element("prerequisites", _l("Toelatingseisen"), _l(
        "Wat moet iemand al kunnen of hebben voordat hij begint? Leeg als er geen eisen zijn."),
        False),
    Element("grading", _l("Mogelijke uitslagen"), _l(
        "Welke uitslagen zijn er? Gescheiden door komma's, bijv. 'voldoende, goed'."), False),
    Element("stackability", _l("Stapelen en inpassen"), _l(
        "Waar telt dit bij mee? Bijv. 'Telt mee voor het mbo-certificaat ...' of "
        "'Vrijstelling voor keuzedeel K0123'."), False),
    Element("further_info", _l("Meer informatie"), _l(
        "Een link of korte tekst met meer informatie."), False),
)
BY_KEY = {e.key: e for e in ELEMENTS}


def _filled(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(str(v).strip() for v in value)
    return value not in (None, "") and (not isinstance(value, str) or bool(value.strip()))


def study_load_sbu(sbu: int | None, ec: Decimal | float | None) -> int | None:
    if sbu:
        return sbu
    return round(float(ec) * SBU_PER_EC) if ec else None


def publish_errors(*, kind: AchievementKind, elements: dict[str, Any], sbu: int | None,
                   ec: Decimal | float | None, eqf_level: str | None, nlqf_level: str | None,
                   college: bool) -> dict[str, str]:
    """Form field → plain-Dutch message for every missing mandatory element (pure)."""
    if kind != AchievementKind.MICROCREDENTIAL:
        return {}
    errors: dict[str, str] = {}
    for element in ELEMENTS:
        if element.mandatory and not _filled(elements.get(element.key)):
            errors["mc_" + element.key] = _(
                "Vul '%(element)s' in: dat is verplicht voor een microcredential "
                "(Europese standaard).", element=element.label)
    if elements.get("participation_form") and elements["participation_form"] not in PARTICIPATION:
        errors["mc_participation_form"] = _("Kies online, op locatie of gemengd.")
    load = study_load_sbu(sbu, ec)
    if not load:
        errors["sbu"] = _("Vul de studielast in (SBU of EC): dat is verplicht voor een "
                          "microcredential.")
    elif college and load < MIN_SBU_MBO:
        errors["sbu"] = _("Een mbo-microcredential heeft minstens %(n)d SBU studielast.",
                          n=MIN_SBU_MBO)
    if not eqf_level and not nlqf_level:
        errors["eqf_level"] = _("Kies het niveau (EQF of NLQF): dat is verplicht voor een "
                                "microcredential.")
    if college and not _filled(elements.get("exam_board")):
        errors["mc_exam_board"] = _("Noem de examencommissie die het niveau borgt: dat is "
                                    "verplicht voor een mbo-microcredential.")
    return errors


def achievement_errors(a: Achievement) -> dict[str, str]:
    """:func:`publish_errors` for a stored achievement."""
    return publish_errors(
        kind=a.kind, elements=(a.details or {}).get("microcredential", {}), sbu=a.sbu, ec=a.ec,
        eqf_level=a.eqf_level, nlqf_level=a.nlqf_level,
        college=a.organisation.kind == OrganisationKind.COLLEGE)


def level_alignments(a: Achievement) -> list[AlignmentData]:
    found = []
    if a.eqf_level:
        found.append(AlignmentData(target_name=f"EQF-niveau {a.eqf_level}", target_url=EQF_URL,
                                   target_code=a.eqf_level, target_framework="EQF",
                                   target_type="ext:QualificationLevel"))
    if a.nlqf_level:
        found.append(AlignmentData(target_name=f"NLQF-niveau {a.nlqf_level}",
                                   target_url=NLQF_URL, target_code=a.nlqf_level,
                                   target_framework="NLQF", target_type="ext:QualificationLevel"))
    return found


def outcome_alignments(a: Achievement, achievement_url: str) -> list[AlignmentData]:
    outcomes = (a.details or {}).get("microcredential", {}).get("learning_outcomes") or []
    return [AlignmentData(target_name=text, target_url=f"{achievement_url}#leerresultaat-{i}",
                          target_framework="Leerresultaten", target_type="ext:LearningOutcome")
            for i, text in enumerate(outcomes, start=1) if str(text).strip()]


def result_descriptions(a: Achievement, achievement_url: str) -> list[dict[str, Any]]:
    grading = (a.details or {}).get("microcredential", {}).get("grading") or ""
    values = [v.strip() for v in grading.split(",") if v.strip()]
    if not values:
        return []
    return [{"id": f"{achievement_url}#uitslag", "type": ["ResultDescription"],
             "name": "Uitslag", "resultType": "Result", "allowedValue": values}]


def extensions(a: Achievement) -> dict[str, Any]:
    """Terms of ``EXTENSION_CONTEXT`` for this achievement (empty for other kinds)."""
    if a.kind != AchievementKind.MICROCREDENTIAL:
        return {}
    mc = (a.details or {}).get("microcredential", {})
    found: dict[str, Any] = {
        "awardingCountry": (mc.get("country") or "").upper() or None,
        "studyLoadHours": study_load_sbu(a.sbu, a.ec),
        "assessmentType": mc.get("assessment_type"),
        "participationForm": mc.get("participation_form"),
        "qualityAssurance": mc.get("quality_assurance"),
        "levelGuaranteedBy": mc.get("exam_board"),
        "assessmentSupervision": mc.get("supervision"),
        "identityVerified": bool(mc["identity_verified"]) if "identity_verified" in mc else None,
        "prerequisites": mc.get("prerequisites"),
        "stackability": mc.get("stackability"),
        "furtherInformation": mc.get("further_info"),
    }
    return {k: v for k, v in found.items() if v not in (None, "")}

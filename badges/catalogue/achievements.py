"""Achievements: create, edit (with versions), publish, archive; the organisation's profile.

Invariants:
- A published achievement is never changed in place: editing it creates a new
  row with the same ``lineage`` and ``version + 1``, and the old row is
  archived for new issuing. Credentials keep pointing at the version they were
  issued for, so what a learner holds never changes under them.
- Drafts are edited in place (nobody holds them yet).
- Each kind has its own required fields, checked here (the form only helps):
  a keuzedeel has a code ``K`` + 4 digits and a study load; a certificate a
  5-digit crebo and the qualification part; a praktijkverklaring work tasks,
  a workplace and the college and qualification it refers to; an LLO-traject
  the pathway it belongs to. Microcredential details are stored as given (the
  EU elements are checked elsewhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from badges.catalogue import microcredentials
from badges.catalogue.models import Achievement, AchievementKind, AchievementState, Pathway, Skill
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import InvalidInput, ServiceError
from badges.kernel.media import badge_design
from badges.organisations.models import Organisation, OrganisationKind

KEUZEDEEL_RE = re.compile(r"^K\d{4}$")
CREBO_RE = re.compile(r"^\d{5}$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MBO_LEVELS = ("entree", "1", "2", "3", "4")
CERTIFICATES = {AchievementKind.MBO_CERTIFICAAT, AchievementKind.DEELCERTIFICAAT}


class InvalidAchievement(InvalidInput):
    """An achievement's fields are wrong; ``errors`` maps field name → message."""


@dataclass
class AchievementInput:
    kind: AchievementKind
    name: str
    description: str = ""
    criteria: str = ""
    name_en: str = ""
    description_en: str = ""
    criteria_en: str = ""
    publish: bool = True
    keuzedeel_code: str = ""
    sbu: int | None = None
    ec: Decimal | None = None
    crebo: str = ""
    qualification_name: str = ""
    qualification_part: str = ""
    mbo_level: str = ""
    eqf_level: str = ""
    nlqf_level: str = ""
    validity_months: int | None = None
    field_of_study: str = ""
    language: str = "nl"
    work_tasks: list[str] = field(default_factory=list)
    workplace: str = ""
    college_slug: str = ""
    pathway_id: int | None = None
    new_pathway_name: str = ""
    microcredential: dict[str, Any] = field(default_factory=dict)  # hook for EU elements
    skill_ids: list[int] = field(default_factory=list)
    new_skills: list[str] = field(default_factory=list)
    new_skills_en: list[str] = field(default_factory=list)  # same order as new_skills
    image: tuple[bytes, str] | None = None  # checked (data, mime)
    remove_image: bool = False
    # the badge designer: applied only when set_design (the workspace form always sets it);
    # None or {} takes a design away
    design: dict[str, str] | None = None
    set_design: bool = False
    # four-eyes: None follows the kind; applied only when set_four_eyes (admins decide it)
    four_eyes: bool | None = None
    set_four_eyes: bool = False


def _validate(org: Organisation, data: AchievementInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    data.name = data.name.strip()
    if not data.name:
        errors["name"] = _("Geef de prestatie een naam.")
    if not data.description.strip():
        errors["description"] = _("Beschrijf in een paar zinnen wat iemand kan.")
    if data.mbo_level and data.mbo_level not in MBO_LEVELS:
        errors["mbo_level"] = _("Kies een niveau uit de lijst.")
    if data.validity_months is not None and not 1 <= data.validity_months <= 600:
        errors["validity_months"] = _("Kies een geldigheid tussen 1 en 600 maanden.")
    kind = data.kind
    if kind == AchievementKind.KEUZEDEEL:
        data.keuzedeel_code = data.keuzedeel_code.strip().upper()
        if not KEUZEDEEL_RE.match(data.keuzedeel_code):
            errors["keuzedeel_code"] = _("Een keuzedeelcode is een K met 4 cijfers, bijv. K0123.")
        if not data.sbu or data.sbu <= 0:
            errors["sbu"] = _("Vul de studielast in SBU in (een heel getal, bijv. 240).")
    if kind in CERTIFICATES or kind == AchievementKind.PRAKTIJKVERKLARING:
        data.crebo = data.crebo.strip()
        if not CREBO_RE.match(data.crebo):
            errors["crebo"] = _("Een crebonummer heeft 5 cijfers, bijv. 25491.")
    if kind in CERTIFICATES and not data.qualification_part.strip():
        errors["qualification_part"] = _("Noem het deel van de kwalificatie, bijv. B1-K1.")
    if kind == AchievementKind.PRAKTIJKVERKLARING:
        data.work_tasks = [t.strip() for t in data.work_tasks if t.strip()]
        if not data.work_tasks:
            errors["work_tasks"] = _("Noem minstens één werkproces of taak, één per regel.")
        if not data.workplace.strip():
            errors["workplace"] = _("Noem de werkplek (afdeling, locatie).")
        if college_by_slug(data.college_slug) is None:
            errors["college_slug"] = _("Kies de school waar deze verklaring bij hoort.")
    if kind == AchievementKind.LLO_TRAJECT:
        pathway = db.session.get(Pathway, data.pathway_id) if data.pathway_id else None
        if pathway is not None and pathway.organisation_id != org.id:
            pathway = None
        if pathway is None and not data.new_pathway_name.strip():
            errors["pathway_id"] = _("Kies de leerroute of geef een nieuwe een naam.")
    if data.set_design and data.design:
        errors |= design_errors(org, data.design)
    return errors


def design_errors(org: Organisation, design: dict[str, str]) -> dict[str, str]:
    """Check a badge design: a template, a colour of the organisation's palette, a bundled
    icon (or none) and short lines of text."""
    errors: dict[str, str] = {}
    if design.get("template") not in badge_design.TEMPLATES:
        errors["design_template"] = _("Kies een vorm uit de lijst.")
    if design.get("colour") not in badge_design.palette(org.colour):
        errors["design_colour"] = _("Kies een kleur uit het palet van je organisatie.")
    if design.get("icon") and design["icon"] not in badge_design.icons():
        errors["design_icon"] = _("Kies een pictogram uit de lijst.")
    for key in ("line1", "line2"):
        if len(design.get(key, "")) > badge_design.MAX_LINE:
            errors[f"design_{key}"] = _("Maximaal %(n)d tekens per regel.", n=badge_design.MAX_LINE)
    return errors


def college_by_slug(slug: str) -> Organisation | None:
    if not slug:
        return None
    return db.session.scalar(db.select(Organisation).filter_by(
        slug=slug, kind=OrganisationKind.COLLEGE))


def _details(data: AchievementInput, previous: dict[str, Any]) -> dict[str, Any]:
    details = dict(previous)
    kind = data.kind
    if kind in CERTIFICATES:
        details["qualification_part"] = data.qualification_part.strip()
    if kind == AchievementKind.PRAKTIJKVERKLARING:
        college = college_by_slug(data.college_slug)
        details.update(work_tasks=data.work_tasks, workplace=data.workplace.strip(),
                       college_slug=college.slug if college else "",
                       college_name=college.name if college else "")
    if kind == AchievementKind.MICROCREDENTIAL:
        details["microcredential"] = {**details.get("microcredential", {}),
                                      **data.microcredential}
    return details


def _criteria(data: AchievementInput, details: dict[str, Any]) -> str:
    """The criteria text; for a praktijkverklaring the work tasks and the college are in it,
    so they travel inside the signed credential (OB 3.0 has no field of their own)."""
    text = data.criteria.strip()
    if data.kind != AchievementKind.PRAKTIJKVERKLARING or text:
        return text
    tasks = "\n".join(f"- {t}" for t in details.get("work_tasks", []))
    qualification = data.qualification_name.strip() or _("kwalificatie")
    return _("Op de werkplek (%(place)s) laten zien:\n%(tasks)s\n\nHoort bij %(q)s "
             "(crebo %(crebo)s) van %(college)s.", place=details.get("workplace", ""),
             tasks=tasks, q=qualification, crebo=data.crebo,
             college=details.get("college_name", ""))


def resolve_skills(skill_ids: list[int], new_labels: list[str]) -> list[Skill]:
    """Skills picked from the list, plus typed-in ones (created with framework "")."""
    skills = list(db.session.scalars(db.select(Skill).where(Skill.id.in_(skill_ids)))) \
        if skill_ids else []
    for label in {lbl.strip()[:200] for lbl in new_labels if lbl.strip()}:
        skill = db.session.scalar(db.select(Skill).filter(
            db.func.lower(Skill.label) == label.lower()).order_by(Skill.framework.desc()))
        if skill is None:
            skill = Skill(label=label, framework="", code="")
            db.session.add(skill)
        skills.append(skill)
    unique: dict[int | str, Skill] = {}
    for s in skills:
        unique[s.id or s.label] = s
    return list(unique.values())


def _name_skills_in_english(skills: list[Skill], dutch: list[str], english: list[str]) -> None:
    """English labels typed beside typed-in skills (same order). Only skills typed in by
    issuers (no framework) take one: a taxonomy's labels are the taxonomy's."""
    pairs = {d.strip().lower(): e.strip()[:200] for d, e in zip(dutch, english, strict=False)
             if d.strip() and e.strip()}
    for skill in skills:
        english_label = pairs.get(skill.label.lower())
        if english_label and not skill.framework:
            skill.label_en = english_label


def _apply(row: Achievement, data: AchievementInput, org: Organisation) -> None:
    details = _details(data, row.details or {})
    row.kind = data.kind
    row.name = data.name
    row.description = data.description.strip()
    row.criteria_md = _criteria(data, details)
    row.name_en = data.name_en.strip()[:200]
    row.description_en = data.description_en.strip()
    row.criteria_en = data.criteria_en.strip()
    # Fields of another kind (typed before the kind was changed) are not kept.
    qualified = data.kind in CERTIFICATES or data.kind == AchievementKind.PRAKTIJKVERKLARING
    row.keuzedeel_code = (data.keuzedeel_code or None) if data.kind == AchievementKind.KEUZEDEEL \
        else None
    row.sbu = data.sbu
    row.ec = data.ec
    row.crebo = (data.crebo.strip() or None) if qualified else None
    row.qualification_name = data.qualification_name.strip() or None
    row.mbo_level = data.mbo_level or None
    row.eqf_level = data.eqf_level or None
    row.nlqf_level = data.nlqf_level or None
    row.validity_months = data.validity_months
    row.field_of_study = data.field_of_study.strip() or None
    row.language = data.language or "nl"
    row.skills = resolve_skills(data.skill_ids, data.new_skills)
    _name_skills_in_english(row.skills, data.new_skills, data.new_skills_en)
    if data.image is not None:
        row.image, row.image_mime = data.image
    elif data.remove_image:
        row.image, row.image_mime = None, None
    if data.set_four_eyes:
        row.four_eyes = data.four_eyes
    if data.set_design:
        details.pop("design", None)
        # A new upload wins; a chosen design replaces an earlier upload.
        if data.design and data.image is None:
            details["design"] = {k: data.design.get(k, "").strip() for k in
                                 ("template", "colour", "icon", "line1", "line2")}
            row.image, row.image_mime = None, None
    row.details = details


def _link_pathway(row: Achievement, data: AchievementInput, org: Organisation) -> None:
    if row.kind != AchievementKind.LLO_TRAJECT:
        return
    pathway = db.session.get(Pathway, data.pathway_id) if data.pathway_id else None
    if pathway is None or pathway.organisation_id != org.id:
        pathway = Pathway(organisation_id=org.id, name=data.new_pathway_name.strip()[:200])
        db.session.add(pathway)
    db.session.flush()
    if pathway.target_achievement_id is None:
        pathway.target_achievement_id = row.id
    row.details = {**row.details, "pathway_id": pathway.id, "pathway_name": pathway.name}


def _publish_errors(org: Organisation, data: AchievementInput,
                    previous: dict[str, Any]) -> dict[str, str]:
    """A microcredential is published only with every mandatory EU element (drafts may lack
    them); the messages name the missing elements in plain Dutch."""
    return microcredentials.publish_errors(
        kind=data.kind, elements=_details(data, previous).get("microcredential", {}),
        sbu=data.sbu, ec=data.ec, eqf_level=data.eqf_level, nlqf_level=data.nlqf_level,
        college=org.kind == OrganisationKind.COLLEGE)


def create(org: Organisation, data: AchievementInput, *, actor_id: int | None) -> Achievement:
    errors = _validate(org, data)
    if data.publish:
        errors |= _publish_errors(org, data, {})
    if errors:
        raise InvalidAchievement(errors)
    row = Achievement(organisation_id=org.id, details={},
                      state=AchievementState.PUBLISHED if data.publish else AchievementState.DRAFT)
    _apply(row, data, org)
    db.session.add(row)
    db.session.flush()
    _link_pathway(row, data, org)
    audit.record("achievement.create", actor_id=actor_id, organisation_id=org.id,
                 subject_type="achievement", subject_id=row.uuid, name=row.name,
                 state=row.state.value)
    db.session.commit()
    return row


def update(row: Achievement, data: AchievementInput, *, actor_id: int | None) -> Achievement:
    """Edit a draft in place; a published achievement gets a new version (returned)."""
    org = row.organisation
    if row.state == AchievementState.ARCHIVED:
        raise ServiceError(_("Een gearchiveerde versie kun je niet meer wijzigen."),
                           code="archived")
    if latest_version(row).id != row.id:
        raise ServiceError(_("Er is al een nieuwere versie; wijzig die."), code="stale")
    errors = _validate(org, data)
    if data.publish or row.state == AchievementState.PUBLISHED:
        errors |= _publish_errors(org, data, row.details or {})
    if errors:
        raise InvalidAchievement(errors)
    if row.state == AchievementState.DRAFT:
        _apply(row, data, org)
        if data.publish:
            row.state = AchievementState.PUBLISHED
        _link_pathway(row, data, org)
        audit.record("achievement.edit", actor_id=actor_id, organisation_id=org.id,
                     subject_type="achievement", subject_id=row.uuid, version=row.version)
        db.session.commit()
        return row
    new = Achievement(organisation_id=org.id, lineage=row.lineage, version=row.version + 1,
                      state=AchievementState.PUBLISHED, details=dict(row.details or {}),
                      image=row.image, image_mime=row.image_mime, four_eyes=row.four_eyes)
    _apply(new, data, org)
    row.state = AchievementState.ARCHIVED
    db.session.add(new)
    db.session.flush()
    for pathway in db.session.scalars(db.select(Pathway).filter_by(target_achievement_id=row.id)):
        pathway.target_achievement_id = new.id
    _link_pathway(new, data, org)
    audit.record("achievement.version", actor_id=actor_id, organisation_id=org.id,
                 subject_type="achievement", subject_id=new.uuid, previous=row.uuid,
                 version=new.version)
    db.session.commit()
    return new


def archive(row: Achievement, *, actor_id: int | None) -> None:
    """Stop issuing this achievement; credentials already issued stay valid."""
    if row.state == AchievementState.ARCHIVED:
        return
    row.state = AchievementState.ARCHIVED
    audit.record("achievement.archive", actor_id=actor_id, organisation_id=row.organisation_id,
                 subject_type="achievement", subject_id=row.uuid)
    db.session.commit()


def latest_version(row: Achievement) -> Achievement:
    return db.session.scalar(db.select(Achievement).filter_by(lineage=row.lineage)
                             .order_by(Achievement.version.desc()).limit(1))


def versions(row: Achievement) -> list[Achievement]:
    return list(db.session.scalars(db.select(Achievement).filter_by(lineage=row.lineage)
                                   .order_by(Achievement.version.desc())))


def current_of(org: Organisation, state: AchievementState | None = None) -> list[Achievement]:
    """The newest version of each of the organisation's achievements."""
    newest = (db.select(Achievement.lineage, db.func.max(Achievement.version).label("v"))
              .where(Achievement.organisation_id == org.id).group_by(Achievement.lineage)
              .subquery())
    query = db.select(Achievement).join(
        newest, (Achievement.lineage == newest.c.lineage) & (Achievement.version == newest.c.v))
    if state is not None:
        query = query.where(Achievement.state == state)
    return list(db.session.scalars(query.order_by(Achievement.name)))


def issuable(org: Organisation) -> list[Achievement]:
    return list(db.session.scalars(db.select(Achievement).filter_by(
        organisation_id=org.id, state=AchievementState.PUBLISHED).order_by(Achievement.name)))


def get(achievement_id: int | None) -> Achievement | None:
    return db.session.get(Achievement, achievement_id) if achievement_id is not None else None


def by_uuid(uuid: str, org: Organisation | None = None) -> Achievement | None:
    """The achievement (one version) with this id; with ``org``, only if it is theirs."""
    query = db.select(Achievement).filter_by(uuid=uuid)
    if org is not None:
        query = query.filter_by(organisation_id=org.id)
    return db.session.scalar(query)


def pathways_of(org: Organisation) -> list[Pathway]:
    return list(db.session.scalars(db.select(Pathway).filter_by(organisation_id=org.id)
                                   .order_by(Pathway.name)))


def all_skills() -> list[Skill]:
    """Every skill, by group and label (the achievement form's choices)."""
    return list(db.session.scalars(db.select(Skill).order_by(Skill.group, Skill.label)))

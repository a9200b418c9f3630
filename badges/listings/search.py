"""The public catalogue ("Aanbod"): search and show listed achievements and trajectories.

Invariants:
- Only what an issuer listed (``Listing.listed``) appears, and for an
  achievement only its one *published* version; drafts and archived versions
  never show.
- Every filter is SQL (portable between SQLite and PostgreSQL: ILIKE via
  SQLAlchemy's ``ilike``, EXISTS subqueries for skills and funding), so the
  catalogue stays fast as it grows.
- Privacy: nothing here reads credentials or users. The catalogue describes
  offerings, never who holds them or how many people do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from badges.catalogue.models import (
    Achievement,
    AchievementKind,
    AchievementState,
    Pathway,
    PathwayStep,
    Skill,
    achievement_skill,
)
from badges.kernel.db import db
from badges.listings.models import CostKind, Listing, ListingFunding
from badges.organisations.models import Organisation

PATHWAY_TYPE = "traject"  # the type filter value for trajectories (pathways)
MBO_LEVELS = ("entree", "1", "2", "3", "4")
QF_LEVELS = tuple(str(n) for n in range(1, 9))
SBU_PER_EC = 28


@dataclass
class Filters:
    """What a visitor asked for; empty values mean "no filter"."""

    q: str = ""
    skill: int | None = None
    sector: str = ""
    level: str = ""  # "mbo:2", "mbo:entree" or "qf:3" (NLQF or EQF)
    type: str = ""  # an AchievementKind value or PATHWAY_TYPE
    format: str = ""
    place: str = ""
    max_weeks: int | None = None
    max_sbu: int | None = None
    free: bool = False
    funding: str = ""
    language: str = ""
    issuer: str = ""

    @property
    def active(self) -> bool:
        return any(v not in ("", None, False) for v in vars(self).values())


@dataclass
class Entry:
    """One result: a listed achievement, or a listed trajectory with its target."""

    listing: Listing
    organisation: Organisation
    achievement: Achievement | None = None  # the achievement, or the trajectory's target
    pathway: Pathway | None = None
    skills: list[Skill] = field(default_factory=list)

    @property
    def is_pathway(self) -> bool:
        return self.pathway is not None

    @property
    def name(self) -> str:
        return self.pathway.name if self.pathway else self.achievement.shown_name  # type: ignore[union-attr]

    @property
    def description(self) -> str:
        if self.pathway and self.pathway.description:
            return self.pathway.description
        return self.achievement.shown_description if self.achievement else ""


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _achievement_has_skill(achievement_id: Any, condition: ColumnElement[bool]) -> Any:
    return exists(select(1).select_from(achievement_skill.join(
        Skill, Skill.id == achievement_skill.c.skill_id)).where(
        achievement_skill.c.achievement_id == achievement_id, condition))


def _steps_have_skill(pathway_id: Any, condition: ColumnElement[bool]) -> Any:
    return exists(select(1).select_from(PathwayStep).join(
        achievement_skill, achievement_skill.c.achievement_id == PathwayStep.achievement_id).join(
        Skill, Skill.id == achievement_skill.c.skill_id).where(
        PathwayStep.pathway_id == pathway_id, condition))


def _listing_conditions(f: Filters) -> list[ColumnElement[bool]]:
    """Filters on the listing itself (shared by achievements and trajectories)."""
    cond: list[ColumnElement[bool]] = [Listing.listed.is_(True)]
    if f.sector:
        cond.append(Listing.sector == f.sector)
    if f.format:
        cond.append(Listing.format == f.format)
    if f.place:
        cond.append(func.lower(Listing.city) == f.place.strip().lower())
    if f.max_weeks:
        cond.append(Listing.duration_weeks <= f.max_weeks)
    if f.free:
        cond.append(Listing.cost_kind == CostKind.FREE)
    if f.funding:
        cond.append(exists(select(1).where(ListingFunding.listing_id == Listing.id,
                                           ListingFunding.tag == f.funding)))
    if f.language:
        cond.append(Listing.language.in_([f.language, "nl-en"]) if f.language in ("nl", "en")
                    else Listing.language == f.language)
    if f.issuer:
        cond.append(Organisation.slug == f.issuer)
    return cond


def _achievement_conditions(f: Filters, a: Any) -> list[ColumnElement[bool]]:
    """Level, study load and type, on an achievement (or a trajectory's target)."""
    cond: list[ColumnElement[bool]] = []
    kind, _, value = f.level.partition(":")
    if kind == "mbo" and value in MBO_LEVELS:
        cond.append(a.mbo_level == value)
    elif kind == "qf" and value in QF_LEVELS:
        cond.append(or_(a.nlqf_level == value, a.eqf_level == value))
    elif f.level:
        cond.append(false())
    if f.max_sbu:
        load = func.coalesce(a.sbu, a.ec * SBU_PER_EC)
        cond.append(load <= f.max_sbu)
    return cond


def _text_terms(f: Filters) -> list[str]:
    return [t for t in f.q.split() if t][:8]


def _search_achievements(f: Filters) -> list[Entry]:
    if f.type == PATHWAY_TYPE:
        return []
    query = (select(Listing, Achievement, Organisation)
             .join(Achievement, and_(Achievement.lineage == Listing.achievement_lineage,
                                     Achievement.state == AchievementState.PUBLISHED))
             .join(Organisation, Organisation.id == Achievement.organisation_id)
             .where(*_listing_conditions(f), *_achievement_conditions(f, Achievement))
             .options(selectinload(Achievement.skills)))
    if f.type:
        query = query.where(Achievement.kind == f.type) if f.type in set(AchievementKind) \
            else query.where(false())
    if f.skill:
        query = query.where(_achievement_has_skill(Achievement.id, Skill.id == f.skill))
    for term in _text_terms(f):
        like = _like(term)
        query = query.where(or_(
            Achievement.name.ilike(like, escape="\\"),
            Achievement.description.ilike(like, escape="\\"),
            Achievement.name_en.ilike(like, escape="\\"),  # English searches find it too
            Organisation.name.ilike(like, escape="\\"),
            _achievement_has_skill(Achievement.id, Skill.label.ilike(like, escape="\\"))))
    return [Entry(listing, org, achievement, skills=list(achievement.skills))
            for listing, achievement, org in db.session.execute(query)]


def _search_pathways(f: Filters) -> list[Entry]:
    if f.type and f.type != PATHWAY_TYPE:
        return []
    target = aliased(Achievement)
    query = (select(Listing, Pathway, Organisation, target)
             .join(Pathway, Pathway.id == Listing.pathway_id)
             .join(Organisation, Organisation.id == Pathway.organisation_id)
             .outerjoin(target, target.id == Pathway.target_achievement_id)
             .where(*_listing_conditions(f), *_achievement_conditions(f, target))
             .options(selectinload(Pathway.steps).selectinload(PathwayStep.achievement)
                      .selectinload(Achievement.skills)))
    if f.skill:
        query = query.where(or_(_steps_have_skill(Pathway.id, Skill.id == f.skill),
                                _achievement_has_skill(target.id, Skill.id == f.skill)))
    for term in _text_terms(f):
        like = _like(term)
        label = Skill.label.ilike(like, escape="\\")
        query = query.where(or_(
            Pathway.name.ilike(like, escape="\\"), Pathway.description.ilike(like, escape="\\"),
            target.name.ilike(like, escape="\\"), Organisation.name.ilike(like, escape="\\"),
            _steps_have_skill(Pathway.id, label), _achievement_has_skill(target.id, label)))
    return [Entry(listing, org, tgt, pathway, skills=pathway_skills(pathway, tgt))
            for listing, pathway, org, tgt in db.session.execute(query)]


def pathway_skills(pathway: Pathway, target: Achievement | None) -> list[Skill]:
    """The skills a trajectory teaches: its target's and its steps', once each."""
    found: dict[int, Skill] = {}
    for a in ([target] if target else []) + [s.achievement for s in pathway.steps]:
        for skill in a.skills:
            found.setdefault(skill.id, skill)
    return sorted(found.values(), key=lambda s: s.label)


def search(f: Filters) -> list[Entry]:
    """Listed achievements and trajectories matching every given filter, by name."""
    entries = _search_achievements(f) + _search_pathways(f)
    entries.sort(key=lambda e: (e.name.casefold(), e.organisation.name))
    return entries


# --- detail pages --------------------------------------------------------------------------


def achievement_entry(uuid: str) -> Entry | None:
    """A listed, published achievement by uuid (None: the page is a 404)."""
    row = db.session.execute(
        select(Listing, Achievement)
        .join(Achievement, Achievement.lineage == Listing.achievement_lineage)
        .where(Achievement.uuid == uuid, Achievement.state == AchievementState.PUBLISHED,
               Listing.listed.is_(True))).first()
    if row is None:
        return None
    listing, achievement = row
    return Entry(listing, achievement.organisation, achievement, skills=list(achievement.skills))


def pathway_entry(pathway_id: int) -> Entry | None:
    listing = db.session.scalar(select(Listing).where(Listing.pathway_id == pathway_id,
                                                      Listing.listed.is_(True)))
    if listing is None:
        return None
    pathway = cast(Pathway, db.session.get(Pathway, pathway_id))  # the listing's, so it exists
    return Entry(listing, pathway.organisation, pathway.target, pathway,
                 skills=pathway_skills(pathway, pathway.target))


def stacks_into(achievement: Achievement) -> list[tuple[Pathway, Listing | None]]:
    """Trajectories that contain (any version of) this achievement, with their listing
    when it is listed (so the page can link to it)."""
    pathways = db.session.scalars(
        select(Pathway).join(PathwayStep).join(Achievement, Achievement.id == PathwayStep.achievement_id)
        .where(Achievement.lineage == achievement.lineage).order_by(Pathway.name)).unique()
    listed = listed_pathway_ids()
    return [(p, listed.get(p.id)) for p in pathways]


def listed_pathway_ids() -> dict[int, Listing]:
    return {cast(int, row.pathway_id): row for row in db.session.scalars(
        select(Listing).where(Listing.pathway_id.is_not(None), Listing.listed.is_(True)))}


def listed_uuids(lineages: set[str]) -> dict[str, str]:
    """lineage → uuid of the published, listed version (for links from steps)."""
    if not lineages:
        return {}
    rows = db.session.execute(
        select(Achievement.lineage, Achievement.uuid)
        .join(Listing, Listing.achievement_lineage == Achievement.lineage)
        .where(Achievement.lineage.in_(lineages), Listing.listed.is_(True),
               Achievement.state == AchievementState.PUBLISHED))
    return dict(rows.all())


# --- choices for the search form ------------------------------------------------------------


@dataclass
class Options:
    skills: list[tuple[str, list[Skill]]]
    places: list[str]
    issuers: list[tuple[str, str]]
    kinds: list[str]


def options() -> Options:
    """What the filters offer: the seeded skills by group, and the places, issuers and
    types that occur in listed entries (so no choice leads to nothing by itself)."""
    grouped: dict[str, list[Skill]] = {}
    for skill in db.session.scalars(select(Skill).where(Skill.framework != "")
                                    .order_by(Skill.group, Skill.label)):
        grouped.setdefault(skill.group, []).append(skill)
    places: dict[str, str] = {}
    for city in db.session.scalars(select(Listing.city).where(Listing.listed.is_(True),
                                                              Listing.city != "")):
        places.setdefault(city.strip().lower(), city.strip())
    issuers = db.session.execute(
        select(Organisation.slug, Organisation.name).join(
            Listing, Listing.organisation_id == Organisation.id)
        .where(Listing.listed.is_(True)).distinct().order_by(Organisation.name)).all()
    kinds = db.session.scalars(
        select(Achievement.kind).join(Listing, Listing.achievement_lineage == Achievement.lineage)
        .where(Listing.listed.is_(True), Achievement.state == AchievementState.PUBLISHED)
        .distinct()).all()
    return Options(list(grouped.items()), sorted(places.values()),
                   [(slug, name) for slug, name in issuers],
                   [k.value for k in AchievementKind if k in set(kinds)])


def study_load_sbu(a: Achievement | None) -> int | None:
    if a is None:
        return None
    if a.sbu:
        return a.sbu
    return int(a.ec * SBU_PER_EC) if a.ec is not None and a.ec > Decimal(0) else None

"""Defining LLO trajectories: create and change a Pathway with award rules and partners.

The issuer workspace calls :func:`create` / :func:`update`; both check the whole
input at once (:class:`InvalidTrajectory` maps field → Dutch message), own the
commit and record an audit event. Components may be published achievements of
any organisation; the target must be a published achievement of the owner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from badges.catalogue.models import Achievement, AchievementState, Pathway, PathwayStep
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.organisations.models import Organisation
from badges.trajectories.models import AwardMode, PathwayPartner

RULES = ("all", "any", "ordered")  # all steps / any N of these / all, in this order


class InvalidTrajectory(ServiceError):
    """Several fields are wrong at once; ``errors`` maps field name → message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), code="invalid", field=next(iter(errors)))
        self.errors = errors


@dataclass
class TrajectoryInput:
    name: str
    description: str = ""
    target_id: int | None = None
    component_ids: list[int] = field(default_factory=list)
    rule: str = "all"
    min_required: int | None = None  # only for rule "any"
    max_months: int | None = None
    partner_ids: list[int] = field(default_factory=list)
    award_mode: str = AwardMode.OFF.value


def published_achievements() -> list[Achievement]:
    """Every published achievement, by organisation and name (for the component choice)."""
    return list(db.session.scalars(
        db.select(Achievement).join(Organisation, Achievement.organisation_id == Organisation.id)
        .where(Achievement.state == AchievementState.PUBLISHED)
        .order_by(Organisation.name, Achievement.name)))


def of_org(org: Organisation) -> list[Pathway]:
    """The organisation's trajectories (pathways), by name."""
    return list(db.session.scalars(
        db.select(Pathway).filter_by(organisation_id=org.id).order_by(Pathway.name)))


def rule_of(pathway: Pathway) -> str:
    if pathway.min_required:
        return "any"
    return "ordered" if pathway.ordered else "all"


def _check(org: Organisation, data: TrajectoryInput
           ) -> tuple[Achievement, list[Achievement], list[Organisation]]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = "Geef het traject een naam."
    elif len(name) > 200:
        errors["name"] = "De naam is te lang (hoogstens 200 tekens)."
    target = db.session.get(Achievement, data.target_id) if data.target_id else None
    if target is None or target.organisation_id != org.id \
            or target.state != AchievementState.PUBLISHED:
        errors["target"] = "Kies een gepubliceerde prestatie van je eigen organisatie als einddoel."
        target = None
    ids = list(dict.fromkeys(data.component_ids))
    components = list(db.session.scalars(db.select(Achievement).where(
        Achievement.id.in_(ids), Achievement.state == AchievementState.PUBLISHED))) if ids else []
    by_id = {a.id: a for a in components}
    components = [by_id[i] for i in ids if i in by_id]
    if len(components) != len(ids):
        errors["components"] = "Kies alleen gepubliceerde prestaties als onderdeel."
    elif len(components) < 2:
        errors["components"] = "Kies minstens 2 onderdelen."
    elif target is not None and any(a.lineage == target.lineage for a in components):
        errors["components"] = "Het einddoel kan niet ook een onderdeel zijn."
    if data.rule not in RULES:
        errors["rule"] = "Kies een regel."
    elif data.rule == "any" and "components" not in errors and (
            data.min_required is None or not 1 <= data.min_required <= len(components)):
        errors["min_required"] = (f"Vul een aantal in van 1 tot en met {len(components)} "
                                  "(het aantal gekozen onderdelen).")
    if data.max_months is not None and not 1 <= data.max_months <= 240:
        errors["max_months"] = "Vul een aantal maanden in van 1 tot en met 240, of laat het leeg."
    if data.award_mode not in {m.value for m in AwardMode}:
        errors["award_mode"] = "Kies hoe het traject wordt toegekend."
    partner_ids = [i for i in dict.fromkeys(data.partner_ids) if i != org.id]
    partners = list(db.session.scalars(
        db.select(Organisation).where(Organisation.id.in_(partner_ids)))) if partner_ids else []
    if len(partners) != len(partner_ids):
        errors["partners"] = "Kies alleen organisaties uit de lijst."
    if errors:
        raise InvalidTrajectory(errors)
    assert target is not None
    return target, components, partners


def _apply(pathway: Pathway, data: TrajectoryInput, target: Achievement,
           components: list[Achievement], partners: list[Organisation]) -> None:
    pathway.name, pathway.description = data.name.strip(), data.description.strip()
    pathway.target_achievement_id = target.id
    pathway.ordered = data.rule == "ordered"
    pathway.min_required = data.min_required if data.rule == "any" else None
    pathway.max_months = data.max_months
    pathway.award_mode = data.award_mode
    old_steps = {s.achievement_id: s for s in pathway.steps}
    pathway.steps = [old_steps.get(a.id) or PathwayStep(achievement_id=a.id)
                     for a in components]
    for i, step in enumerate(pathway.steps):
        step.position = i
    old_partners = {p.organisation_id: p for p in pathway.partners}
    pathway.partners = [old_partners.get(o.id) or PathwayPartner(organisation_id=o.id)
                        for o in partners]


def _details(pathway: Pathway) -> dict:
    return {"name": pathway.name, "rule": rule_of(pathway), "min_required": pathway.min_required,
            "max_months": pathway.max_months, "award_mode": pathway.award_mode,
            "target": pathway.target_achievement_id,
            "components": [s.achievement_id for s in pathway.steps],
            "partners": [p.organisation_id for p in pathway.partners]}


def create(org: Organisation, data: TrajectoryInput, *, actor_id: int | None = None) -> Pathway:
    target, components, partners = _check(org, data)
    pathway = Pathway(organisation_id=org.id)
    db.session.add(pathway)
    _apply(pathway, data, target, components, partners)
    db.session.flush()
    audit.record("trajectory.create", actor_id=actor_id, organisation_id=org.id,
                 subject_type="pathway", subject_id=pathway.id, **_details(pathway))
    db.session.commit()
    return pathway


def update(pathway: Pathway, data: TrajectoryInput, *, actor_id: int | None = None) -> Pathway:
    target, components, partners = _check(pathway.organisation, data)
    _apply(pathway, data, target, components, partners)
    db.session.flush()
    audit.record("trajectory.update", actor_id=actor_id,
                 organisation_id=pathway.organisation_id, subject_type="pathway",
                 subject_id=pathway.id, **_details(pathway))
    db.session.commit()
    return pathway

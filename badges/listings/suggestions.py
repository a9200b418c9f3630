""""What could I do next?": suggestions from the catalogue for one learner.

Two reasons to suggest something, both explained to the learner:
- a trajectory they are part way through misses a step that is listed
  ("Nog 1 stap voor …"), or the trajectory itself is listed;
- a listed achievement teaches skills next to ones they already hold
  ("Je hebt al …"), plus what would be new for them.

``suggest`` is pure (plain values in, plain values out) so the rules are unit
tested without a database; ``for_user`` gathers the values, scoped to one user
id. Only listed offerings are suggested, and what the learner already holds
(any version of it) never is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from badges.catalogue.models import Achievement, Skill, achievement_skill
from badges.kernel.db import db
from badges.listings import search as catalogue
from badges.trajectories import pathways
from badges.trajectories.pathways import PathwayProgress

LIMIT = 8


@dataclass
class Candidate:
    """A listed achievement, as the rules need it."""

    lineage: str
    uuid: str
    name: str
    organisation_name: str
    skills: dict[int, str]  # skill id → label


@dataclass
class Suggestion:
    kind: str  # "achievement" | "pathway"
    name: str
    organisation_name: str
    uuid: str = ""  # achievement (catalogue.achievement)
    pathway_id: int | None = None  # trajectory (catalogue.pathway)
    reasons: list[str] = field(default_factory=list)
    steps_left: int | None = None  # for ranking: the fewer, the sooner it pays off
    overlap: int = 0

    @property
    def rank(self) -> tuple[int, int, str]:
        return (self.steps_left if self.steps_left is not None else 1000, -self.overlap,
                self.name.casefold())


def _labels(labels: Iterable[str], most: int = 3) -> str:
    items = sorted(labels)
    shown = ", ".join(items[:most])
    return shown + (_(" en %(n)d meer", n=len(items) - most) if len(items) > most else "")


def _trajectory_reasons(progress: list[PathwayProgress], listed: dict[str, Candidate],
                        held: set[str], listed_pathways: set[int],
                        found: dict[tuple[str, str], Suggestion], about: str | None) -> None:
    for p in progress:
        if p.complete:
            continue
        left = p.required - p.count
        goal = p.pathway.target.name if p.pathway.target else p.pathway.name
        reason = ngettext("Nog %(num)d stap voor %(goal)s", "Nog %(num)d stappen voor %(goal)s",
                          left, goal=goal)
        for a in p.missing:
            candidate = listed.get(a.lineage)
            if candidate is None or a.lineage in held:
                continue
            s = found.setdefault(("a", a.lineage), Suggestion(
                "achievement", candidate.name, candidate.organisation_name, uuid=candidate.uuid))
            s.reasons.append(reason)
            s.steps_left = min(left, s.steps_left or left)
        if p.pathway.id in listed_pathways:
            s = found.setdefault(("p", str(p.pathway.id)), Suggestion(
                "pathway", p.pathway.name, p.pathway.organisation.name,
                pathway_id=p.pathway.id))
            s.reasons.append(
                _("%(name)s heeft al %(done)d van %(total)d onderdelen", name=about,
                  done=p.count, total=p.required) if about else
                _("Je hebt al %(done)d van %(total)d onderdelen", done=p.count,
                  total=p.required))
            s.steps_left = left


def suggest(held: set[str], held_skills: dict[int, str], candidates: list[Candidate],
            progress: list[PathwayProgress], listed_pathways: set[int],
            limit: int = LIMIT, about: str | None = None) -> list[Suggestion]:
    """Rank listed offerings for a learner; each suggestion says why (pure).

    The reasons speak to the learner ("Je hebt al"), or, with ``about`` (the learner's
    name), about them to someone else, such as their adviser ("Sanne heeft al")."""
    listed = {c.lineage: c for c in candidates}
    found: dict[tuple[str, str], Suggestion] = {}
    _trajectory_reasons(progress, listed, held, listed_pathways, found, about)
    for c in candidates:
        if c.lineage in held:
            continue
        common = {i: label for i, label in c.skills.items() if i in held_skills}
        if not common:
            continue
        s = found.setdefault(("a", c.lineage), Suggestion(
            "achievement", c.name, c.organisation_name, uuid=c.uuid))
        s.overlap = len(common)
        have, new = _labels(common.values()), [
            label for i, label in c.skills.items() if i not in held_skills]
        s.reasons.append(_("%(name)s heeft al: %(skills)s", name=about, skills=have) if about
                         else _("Je hebt al: %(skills)s", skills=have))
        if new:
            s.reasons.append(_("Nieuw voor %(name)s: %(skills)s", name=about,
                               skills=_labels(new)) if about
                             else _("Nieuw voor jou: %(skills)s", skills=_labels(new)))
    return sorted(found.values(), key=lambda s: s.rank)[:limit]


def held_skills(lineages: set[str]) -> dict[int, str]:
    """Skills of the achievements (any version) the learner holds now."""
    if not lineages:
        return {}
    rows = db.session.execute(
        select(Skill.id, Skill.label).join(achievement_skill, achievement_skill.c.skill_id == Skill.id)
        .join(Achievement, Achievement.id == achievement_skill.c.achievement_id)
        .where(Achievement.lineage.in_(lineages)))
    return dict(rows.all())


def for_user(user_id: int, limit: int = LIMIT, about: str | None = None) -> list[Suggestion]:
    """Suggestions for this learner (their own credentials only); ``about``: see ``suggest``."""
    held = pathways.held_lineages(user_id)
    entries = catalogue.search(catalogue.Filters())
    candidates = [Candidate(e.achievement.lineage, e.achievement.uuid, e.achievement.name,
                            e.organisation.name, {s.id: s.label for s in e.skills})
                  for e in entries if not e.is_pathway and e.achievement is not None]
    listed_pathways = {e.pathway.id for e in entries if e.pathway is not None}
    return suggest(held, held_skills(held), candidates, pathways.for_user(user_id),
                   listed_pathways, limit, about)

"""Skills as things a credential points to: which URL and framework an alignment names,
and what a skill's own page shows (which achievements teach it)."""

from __future__ import annotations

import re
from collections import defaultdict

from badges.catalogue.models import Achievement, AchievementState, Skill, achievement_skill
from badges.kernel.db import db

#: An ESCO skill concept; anything else is not labelled ESCO in a credential.
ESCO_URI = re.compile(r"http://data\.europa\.eu/esco/skill/"
                      r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: Achievements in these states are public (a draft is the issuer's own business).
PUBLIC_STATES = (AchievementState.PUBLISHED, AchievementState.ARCHIVED)


def is_esco_uri(url: str | None) -> bool:
    return bool(url and ESCO_URI.fullmatch(url))


def esco_uri(skill: Skill) -> str | None:
    """The ESCO concept ``skill`` is, or None (also for a row labelled ESCO without one)."""
    return skill.url if skill.framework == "ESCO" and is_esco_uri(skill.url) else None


def _in_public_use():
    return db.select(achievement_skill.c.skill_id).join(
        Achievement, Achievement.id == achievement_skill.c.achievement_id).where(
        Achievement.state.in_(PUBLIC_STATES))


def public(skill_id: int) -> Skill | None:
    """A skill with a page: from the seed list (it has a group) or on a public achievement.
    A label typed into a draft stays private."""
    skill = db.session.get(Skill, skill_id)
    if skill is None or skill.group:
        return skill
    used = db.session.scalar(_in_public_use().where(
        achievement_skill.c.skill_id == skill_id).limit(1))
    return skill if used is not None else None


def overview() -> dict[str, list[Skill]]:
    """Every skill with a page, by group (typed-in ones under "")."""
    rows = db.session.scalars(db.select(Skill).where(
        (Skill.group != "") | Skill.id.in_(_in_public_use())).order_by(Skill.group, Skill.label))
    groups: dict[str, list[Skill]] = defaultdict(list)
    for s in rows:
        groups[s.group].append(s)
    return dict(groups)


def taught_by(skill_id: int) -> list[Achievement]:
    """Published achievements that teach the skill, the newest version of each."""
    rows = db.session.scalars(db.select(Achievement).join(
        achievement_skill, achievement_skill.c.achievement_id == Achievement.id).where(
        achievement_skill.c.skill_id == skill_id,
        Achievement.state == AchievementState.PUBLISHED).order_by(
        Achievement.name, Achievement.lineage, Achievement.version.desc()))
    newest: dict[str, Achievement] = {}
    for a in rows:
        newest.setdefault(a.lineage, a)
    return list(newest.values())

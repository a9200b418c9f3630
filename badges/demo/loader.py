"""``badges demo``: load the demo world, idempotently.

Every record is looked up by a natural key (slug, email, organisation and
name) before it is created, so a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from badges.accounts.models import LinkedIdentity, User
from badges.accounts.passwords import hash_password
from badges.catalogue.models import Achievement, AchievementKind, Pathway, PathwayStep, Skill
from badges.catalogue.skills_seed import SKILLS
from badges.demo import world as demo_world
from badges.demo.applications import seed_applications
from badges.demo.claimcodes import seed_claim_codes
from badges.demo.trajectories import seed_trajectories
from badges.kernel import events
from badges.kernel.db import db
from badges.kernel.media.badge_design import palette
from badges.kernel.models import utcnow
from badges.organisations.models import (
    AssessorConsent,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    RequestState,
    Role,
)

# Later stages of the demo (credentials, imports, trajectories) register here.
# Applications for recognition and an adviser; LLO trajectories (award modes, partners).
EXTRA_STEPS: list[Callable[[dict[str, Any]], None]] = [seed_applications, seed_trajectories,
                                                       seed_claim_codes]


def seed_skills() -> dict[str, Skill]:
    existing = {s.label: s for s in db.session.scalars(db.select(Skill))}
    for seed in SKILLS:
        if seed.label not in existing:
            esco = seed.esco_uri
            # "Skillspas": our own list (typed-in skills have framework "")
            skill = Skill(label=seed.label, framework="ESCO" if esco else "Skillspas",
                          code=esco.rsplit("/", 1)[1] if esco else "", url=esco or None,
                          group=seed.group)
            db.session.add(skill)
            existing[seed.label] = skill
    for label, english in demo_world.SKILLS_EN.items():
        if label in existing and not existing[label].label_en:
            existing[label].label_en = english
    return existing


def seed_organisations() -> dict[str, Organisation]:
    orgs = {o.slug: o for o in db.session.scalars(db.select(Organisation))}
    for spec in demo_world.ORGANISATIONS:
        if spec["slug"] in orgs:
            continue
        fields = {k: v for k, v in spec.items() if k not in {"parent", "kind"}}
        org = Organisation(kind=OrganisationKind(spec["kind"]), **fields)
        if spec.get("verified"):
            org.verified_at = utcnow()
        if spec.get("parent"):
            org.parent = orgs[spec["parent"]]
        db.session.add(org)
        orgs[spec["slug"]] = org
    db.session.flush()
    return orgs


def seed_assessor_consents(orgs: dict[str, Organisation]) -> None:
    """Leerbedrijven that agreed to be named as assessing organisation by their colleges."""
    for named, allowed in demo_world.ASSESSOR_CONSENTS:
        exists = db.session.scalar(db.select(AssessorConsent.id).filter_by(
            organisation_id=orgs[named].id, allowed_id=orgs[allowed].id))
        if exists is None:
            db.session.add(AssessorConsent(organisation_id=orgs[named].id,
                                           allowed_id=orgs[allowed].id))


def seed_achievements(
    orgs: dict[str, Organisation], skills: dict[str, Skill]
) -> dict[str, Achievement]:
    found = {
        (a.organisation_id, a.name): a
        for a in db.session.scalars(db.select(Achievement).filter_by(version=1))
    }
    result: dict[str, Achievement] = {}
    for spec in demo_world.ACHIEVEMENTS:
        org = orgs[spec["org"]]
        achievement = found.get((org.id, spec["name"]))
        if achievement is None:
            fields = {k: v for k, v in spec.items() if k not in {"org", "kind", "skills", "ec"}}
            achievement = Achievement(
                organisation=org, kind=AchievementKind(spec["kind"]), **fields
            )
            if "ec" in spec:
                achievement.ec = Decimal(spec["ec"])
            achievement.skills = [skills[label] for label in spec.get("skills", [])]
            if spec["name"] in demo_world.DESIGNS:  # the demo's badges come from the designer
                template, icon, line1, line2 = demo_world.DESIGNS[spec["name"]]
                achievement.details = {**(achievement.details or {}), "design": {
                    "template": template, "colour": palette(org.colour)[0], "icon": icon,
                    "line1": line1, "line2": line2}}
            db.session.add(achievement)
        result[spec["name"]] = achievement
    db.session.flush()
    return result


def seed_pathways(
    orgs: dict[str, Organisation], achievements: dict[str, Achievement]
) -> dict[str, Pathway]:
    found = {p.name: p for p in db.session.scalars(db.select(Pathway))}
    for spec in demo_world.PATHWAYS:
        if spec["name"] in found:
            continue
        pathway = Pathway(
            organisation=orgs[spec["org"]], name=spec["name"],
            target=achievements[spec["target"]], ordered=spec["ordered"],
            max_months=spec.get("max_months"),
        )
        pathway.steps = [
            PathwayStep(achievement=achievements[name], position=i)
            for i, name in enumerate(spec["steps"])
        ]
        db.session.add(pathway)
        found[spec["name"]] = pathway
    db.session.flush()
    return found


def seed_accounts(orgs: dict[str, Organisation]) -> dict[str, User]:
    users = {u.email: u for u in db.session.scalars(db.select(User))}
    password_hash: str | None = None
    for spec in demo_world.ACCOUNTS:
        user = users.get(spec["email"])
        if user is None:
            password_hash = password_hash or hash_password(demo_world.DEMO_PASSWORD)
            user = User(
                email=spec["email"], name=spec["name"], password_hash=password_hash,
                is_platform_admin=spec["role"] == "platform_admin",
                email_confirmed_at=utcnow(),  # demo people own their (example) addresses
            )
            db.session.add(user)
            db.session.flush()
            users[spec["email"]] = user
        for slug, role in spec.get("orgs", {}).items():
            org = orgs[slug]
            exists = db.session.scalar(
                db.select(Membership).filter_by(user_id=user.id, organisation_id=org.id)
            )
            if exists is None:
                db.session.add(Membership(user=user, organisation=org, role=Role(role)))
        for provider, subject in spec.get("identities", {}).items():
            if not db.session.scalar(db.select(LinkedIdentity.id).filter_by(
                    provider=provider, subject=subject)):
                db.session.add(LinkedIdentity(user=user, provider=provider, subject=subject,
                                              email=user.email))
    db.session.flush()
    return users


def seed_signups(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """The sign-up requests behind clubs that joined by themselves, approved."""
    for spec in demo_world.SIGNUPS:
        org = orgs[spec["org"]]
        if db.session.scalar(db.select(OrganisationRequest.id).filter_by(organisation_id=org.id)):
            continue
        db.session.add(OrganisationRequest(
            name=org.name, kind=org.kind, kvk=org.kvk, brin=org.brin, city=org.city,
            website=org.website, contact_name=spec["contact_name"],
            contact_email=spec["contact_email"], reason=spec["reason"],
            state=RequestState.APPROVED, decided_by_id=users[spec["decided_by"]].id,
            decided_at=utcnow(), organisation_id=org.id))


def load_demo() -> dict[str, Any]:
    """Load (or complete) the demo world and return what exists, for ``--json``."""
    with events.muted():  # demo data is nobody's news: no mail, no awards by event
        skills = seed_skills()
        orgs = seed_organisations()
        seed_assessor_consents(orgs)
        achievements = seed_achievements(orgs, skills)
        pathways = seed_pathways(orgs, achievements)
        users = seed_accounts(orgs)
        seed_signups(orgs, users)
        db.session.commit()
        context = {"orgs": orgs, "achievements": achievements, "pathways": pathways, "users": users}
        from badges.demo.credentials import seed_credentials

        seed_credentials(context)
        from badges.demo.listings import seed_listings

        seed_listings(context)
        for step in EXTRA_STEPS:
            step(context)
            db.session.commit()
        # Muted events counted nothing: give the dashboards the demo's figures.
        from badges.insight.counting import rebuild

        rebuild()
    return summary()


def summary() -> dict[str, Any]:
    slugs = [spec["slug"] for spec in demo_world.ORGANISATIONS]
    orgs = {o.slug: o for o in db.session.scalars(db.select(Organisation))}
    return {
        "issuers": [
            {"slug": s, "name": orgs[s].name, "kind": orgs[s].kind.value} for s in slugs if s in orgs
        ],
        "achievements": [
            {"id": a.uuid, "name": a.name, "type": a.kind.value, "issuer": a.organisation.slug}
            for a in db.session.scalars(db.select(Achievement).order_by(Achievement.id))
        ],
        "accounts": [
            {"email": spec["email"], "password": demo_world.DEMO_PASSWORD, "name": spec["name"],
             "role": spec["role"]}
            for spec in demo_world.ACCOUNTS
        ],
    }


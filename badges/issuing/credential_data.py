"""Mapping our models onto the engine's plain dataclasses (and nothing else)."""

from __future__ import annotations

from badges.catalogue.models import Achievement, AchievementKind, Skill
from badges.credentials.documents import AchievementData, IssuerData, SkillData
from badges.kernel import urls
from badges.organisations.models import Organisation

ESCO_SKILL_BASE = "https://esco.ec.europa.eu/nl/classification/skill?code="


def issuer_data(org: Organisation) -> IssuerData:
    return IssuerData(
        id=urls.issuer_id(org.slug), name=org.name, url=org.website or urls.issuer_id(org.slug),
        email=org.email, brin=org.brin, kvk=org.kvk,
        image=urls.issuer_logo_url(org.slug) if org.logo else None,
    )


def skill_data(skill: Skill) -> SkillData:
    return SkillData(
        name=skill.label,
        url=skill.url or (ESCO_SKILL_BASE + skill.code if skill.code else urls.base_url() + "/skills"),
        code=skill.code or None,
        framework=skill.framework or "Skillspas",
    )


def achievement_data(a: Achievement) -> AchievementData:
    """What a credential (or the achievement's own document) says of ``a``, with the
    standing endorsements of its lineage embedded as signed."""
    from badges.catalogue import microcredentials as mc
    from badges.issuing.endorsements import of_achievement  # it needs issuer_data from here

    credits = float(a.ec) if a.ec is not None else None
    url = urls.achievement_url(a.uuid)
    extra: dict = {}
    if a.kind == AchievementKind.MICROCREDENTIAL:
        # EU elements: standard OB terms first, our context for the rest.
        load = mc.study_load_sbu(a.sbu, a.ec)
        if credits is None and load:
            credits = round(load / mc.SBU_PER_EC, 1)
        extra = {"alignments": mc.level_alignments(a) + mc.outcome_alignments(a, url),
                 "result_descriptions": mc.result_descriptions(a, url),
                 "extensions": mc.extensions(a)}
    return AchievementData(
        id=url,
        name=a.name,
        description=a.description or a.name,
        criteria_narrative=a.criteria_md or a.description or a.name,
        kind=a.kind.value if a.kind.value != "open_badge" else "badge",
        image_url=urls.achievement_image_url(a.uuid),
        crebo=a.crebo,
        crebo_name=(f"{a.qualification_name} ({a.crebo})" if a.qualification_name and a.crebo
                    else None),
        keuzedeel_code=a.keuzedeel_code,
        skills=[skill_data(s) for s in a.skills],
        credits_available=credits,
        human_code=a.keuzedeel_code or a.crebo,
        field_of_study=a.field_of_study,
        in_language=a.language or "nl",
        version=str(a.version),
        endorsements=[e.document for e in of_achievement(a)],
        **extra,
    )

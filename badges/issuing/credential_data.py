"""Mapping our models onto the engine's plain dataclasses (and nothing else)."""

from __future__ import annotations

from typing import Any

from badges.catalogue import skills
from badges.catalogue.models import Achievement, AchievementKind, Skill
from badges.credentials.documents import AchievementData, AlignmentData, IssuerData, SkillData
from badges.kernel import urls
from badges.kernel.media.badge_design import Design
from badges.organisations.models import Organisation

#: The mbo levels (entree, 1-4) are set by the WEB (Wet educatie en beroepsonderwijs, art. 7.2.2).
MBO_LEVELS_URL = "https://wetten.overheid.nl/BWBR0007625"
#: ``creditsAvailable`` is a bare number in OB 3.0 (the spec says "credit hours"); ours are EC.
CREDITS_UNIT = "ECTS"


def issuer_data(org: Organisation) -> IssuerData:
    return IssuerData(
        id=urls.issuer_id(org.slug), name=org.name, url=org.website or urls.issuer_id(org.slug),
        email=org.email, brin=org.brin, kvk=org.kvk,
        image=urls.issuer_logo_url(org.slug) if org.logo else None,
    )


def skill_data(skill: Skill) -> SkillData:
    """An ESCO skill points to its ESCO concept; any other skill to its page here, unless a
    framework gave it a URL. A row labelled ESCO without an ESCO URI is not called ESCO."""
    esco = skills.esco_uri(skill)
    if esco:
        return SkillData(name=skill.label, url=esco, code=esco.rsplit("/", 1)[1], framework="ESCO")
    framework = "" if skill.framework == "ESCO" else skill.framework
    own = not (framework and skill.url)
    return SkillData(
        name=skill.label,
        url=urls.skill_url(skill.id) if own else str(skill.url),
        code=(skill.code or None) if framework else None,
        framework=framework or "Skillspas",
        translations={"en": skill.label_en} if skill.label_en else {},
    )


def achievement_data(a: Achievement) -> AchievementData:
    """What a credential (or the achievement's own document) says of ``a``, with the
    standing endorsements of its lineage embedded as signed."""
    from badges.catalogue import microcredentials as mc
    from badges.issuing.endorsements import of_achievement  # it needs issuer_data from here

    credits = float(a.ec) if a.ec is not None else None
    url = urls.achievement_url(a.uuid)
    # Every fact a learner's page shows is signed: standard OB terms first (alignment
    # for levels and work tasks), the embedded EXTENSION_CONTEXT for the rest.
    alignments = level_alignments(a) + work_task_alignments(a, url)
    extensions: dict[str, Any] = {"studyLoadHours": a.sbu} if a.sbu else {}
    if (a.details or {}).get("workplace"):
        extensions["workplace"] = a.details["workplace"]
    extra: dict = {}
    if a.kind == AchievementKind.MICROCREDENTIAL:
        # EU elements: standard OB terms first, the embedded context for the rest.
        load = mc.study_load_sbu(a.sbu, a.ec)
        if credits is None and load:
            credits = round(load / mc.SBU_PER_EC, 1)
        alignments += mc.outcome_alignments(a, url)
        extensions.update(mc.extensions(a))
        extra = {"result_descriptions": mc.result_descriptions(a, url)}
    if credits is not None:
        extensions["creditsUnit"] = CREDITS_UNIT
    return AchievementData(
        id=url,
        name=a.name,
        description=a.description or a.name,
        criteria_narrative=a.criteria_md or a.description or a.name,
        kind=a.kind.value if a.kind.value != "open_badge" else "badge",
        image_url=urls.achievement_image_url(a.uuid),
        image_caption=_image_caption(a),
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
        translations=_english(a),
        alignments=alignments,
        extensions=extensions,
        **extra,
    )


def _english(a: Achievement) -> dict[str, dict[str, str]]:
    """The achievement's English wording, signed beside the Dutch when there is any."""
    english = {"name": a.name_en, "description": a.description_en, "criteria": a.criteria_en}
    english = {k: v.strip() for k, v in english.items() if (v or "").strip()}
    return {"en": english} if english and (a.language or "nl") != "en" else {}


def level_alignments(a: Achievement) -> list[AlignmentData]:
    """The mbo, NLQF and EQF levels as alignments to those frameworks."""
    from badges.catalogue import microcredentials as mc

    found = []
    if a.mbo_level:
        name = "Entreeniveau (mbo)" if a.mbo_level == "entree" else f"mbo-niveau {a.mbo_level}"
        found.append(AlignmentData(target_name=name, target_url=MBO_LEVELS_URL,
                                   target_code=a.mbo_level, target_framework="mbo-niveaus (WEB)",
                                   target_type="ext:QualificationLevel"))
    return found + mc.level_alignments(a)


def work_task_alignments(a: Achievement, achievement_url: str) -> list[AlignmentData]:
    """A praktijkverklaring's work tasks, each an alignment (as learning outcomes are)."""
    tasks = (a.details or {}).get("work_tasks") or []
    return [AlignmentData(target_name=str(task), target_url=f"{achievement_url}#werktaak-{i}",
                          target_framework="Werktaken", target_type="ext:WorkTask")
            for i, task in enumerate(tasks, start=1) if str(task).strip()]


def _image_caption(a: Achievement) -> str | None:
    """The designed badge's alt text travels in the credential (image.caption)."""
    design = Design.from_dict((a.details or {}).get("design"))
    return design.alt_text(a.name) if design is not None and not a.image else None

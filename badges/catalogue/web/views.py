"""Achievement pages of the issuer workspace: list, create, edit (versions), archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from badges.catalogue import achievements
from badges.catalogue.achievements import AchievementInput, InvalidAchievement
from badges.catalogue.models import Achievement, AchievementKind, AchievementState, Skill
from badges.catalogue.web.forms import COLOUR_LABELS, AchievementForm
from badges.kernel.errors import ServiceError
from badges.kernel.media import badge_design
from badges.kernel.media.image_checks import check_image
from badges.organisations import services as organisations
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import bp, can, confirm_page, confirmed, in_org, org_route

STATE_LABELS = {AchievementState.DRAFT: _l("concept"),
                AchievementState.PUBLISHED: _l("gepubliceerd"),
                AchievementState.ARCHIVED: _l("gearchiveerd")}


@bp.context_processor
def _state_labels() -> dict[str, Any]:
    return {"state_label": lambda s: str(STATE_LABELS.get(s, s))}


def _prepare(form: AchievementForm, org: Organisation) -> dict[str, list[Skill]]:
    form.college_slug.choices = [SelectChoice("", _("Kies een school"))] + [
        SelectChoice(c.slug, c.name) for c in organisations.colleges()]
    form.pathway_id.choices = [SelectChoice("", _("Nieuwe leerroute"))] + [
        SelectChoice(p.id, p.name) for p in achievements.pathways_of(org)]
    skills = achievements.all_skills()
    form.skills.choices = [SelectChoice(s.id, s.label) for s in skills]
    form.design_colour.choices = colour_choices(org)
    grouped: dict[str, list[Skill]] = {}
    for s in skills:
        grouped.setdefault(s.group or _("Zelf toegevoegd"), []).append(s)
    return grouped


def colour_choices(org: Organisation) -> list[SelectChoice]:
    """The organisation's palette, each colour named (not shown by colour alone)."""
    return [SelectChoice(c, f"{COLOUR_LABELS[i]} ({c})" if i < len(COLOUR_LABELS) else c)
            for i, c in enumerate(badge_design.palette(org.colour))]


def _design(form: AchievementForm) -> dict[str, str] | None:
    if not form.design_template.data:
        return None
    return {"template": form.design_template.data, "colour": form.design_colour.data or "",
            "icon": form.design_icon.data or "", "line1": form.design_line1.data or "",
            "line2": form.design_line2.data or ""}


def _input(form: AchievementForm) -> AchievementInput:
    image = None
    upload = request.files.get(form.image.name)
    if upload and upload.filename:
        image = check_image(upload.read(), upload.filename)
    return AchievementInput(
        kind=AchievementKind(form.kind.data), name=form.name.data or "",
        description=form.description.data or "", criteria=form.criteria.data or "",
        name_en=form.name_en.data or "", description_en=form.description_en.data or "",
        criteria_en=form.criteria_en.data or "",
        publish=bool(form.publish.data), keuzedeel_code=form.keuzedeel_code.data or "",
        sbu=form.sbu.data, ec=form.ec.data, crebo=form.crebo.data or "",
        qualification_name=form.qualification_name.data or "",
        qualification_part=form.qualification_part.data or "",
        mbo_level=form.mbo_level.data or "", eqf_level=form.eqf_level.data or "",
        nlqf_level=form.nlqf_level.data or "", microcredential=_mc_input(form),
        validity_months=form.validity_months.data,
        field_of_study=form.field_of_study.data or "",
        work_tasks=(form.work_tasks.data or "").splitlines(),
        workplace=form.workplace.data or "", college_slug=form.college_slug.data or "",
        pathway_id=form.pathway_id.data, new_pathway_name=form.new_pathway_name.data or "",
        skill_ids=list(form.skills.data or []),
        new_skills=(form.new_skills.data or "").split(","),
        new_skills_en=(form.new_skills_en.data or "").split(","),
        image=image, remove_image=bool(form.remove_image.data),
        design=_design(form), set_design=True,
        four_eyes={"on": True, "off": False}.get(form.four_eyes.data or ""),
    )


def _mc_input(form: AchievementForm) -> dict:
    """The EU micro-credential elements as typed (the service decides what is missing)."""
    if form.kind.data != AchievementKind.MICROCREDENTIAL.value:
        return {}
    found: dict = {key: (getattr(form, "mc_" + key).data or "").strip()
                   for key in MC_TEXT_KEYS}
    found["learning_outcomes"] = [line.strip() for line in
                                  (form.mc_learning_outcomes.data or "").splitlines()
                                  if line.strip()]
    found["country"] = found["country"].upper()
    found["identity_verified"] = bool(form.mc_identity_verified.data)
    return found


MC_TEXT_KEYS = ("assessment_type", "participation_form", "quality_assurance", "country",
                "exam_board", "supervision", "prerequisites", "grading", "stackability",
                "further_info")


def _fill(form: AchievementForm, a: Achievement) -> None:
    details = a.details or {}
    form.process(obj=a)
    form.kind.data = a.kind.value
    form.criteria.data = a.criteria_md
    form.mbo_level.data = a.mbo_level or ""
    form.qualification_part.data = details.get("qualification_part", "")
    form.work_tasks.data = "\n".join(details.get("work_tasks", []))
    form.workplace.data = details.get("workplace", "")
    form.college_slug.data = details.get("college_slug", "")
    form.pathway_id.data = details.get("pathway_id")
    form.eqf_level.data, form.nlqf_level.data = a.eqf_level or "", a.nlqf_level or ""
    mc = details.get("microcredential", {})
    for key in MC_TEXT_KEYS:
        getattr(form, "mc_" + key).data = mc.get(key, "NL" if key == "country" else "")
    form.mc_learning_outcomes.data = "\n".join(mc.get("learning_outcomes", []))
    form.mc_identity_verified.data = bool(mc.get("identity_verified"))
    form.skills.data = [s.id for s in a.skills]
    form.publish.data = a.state == AchievementState.PUBLISHED
    form.four_eyes.data = "" if a.four_eyes is None else ("on" if a.four_eyes else "off")
    design = details.get("design") or {}
    form.design_template.data = design.get("template", "")
    form.design_colour.data = design.get("colour", "")
    form.design_icon.data = design.get("icon", "award" if not design else "")
    form.design_line1.data, form.design_line2.data = design.get("line1", ""), design.get("line2", "")


def _save(form: AchievementForm, save: Callable[[AchievementInput], Achievement],
          member: Membership) -> Achievement | None:
    try:
        data = _input(form)
        # Four-eyes is a control on issuers: only an admin may switch it.
        data.set_four_eyes = can(member, Role.ADMIN)
        return save(data)
    except InvalidAchievement as exc:
        for name, message in exc.errors.items():
            getattr(form, name, form.name).errors.append(message)
    except ServiceError as exc:
        getattr(form, exc.field or "name", form.name).errors.append(exc.message)
    return None


@org_route("/achievements", Role.VIEWER)
def achievement_list(org: Organisation, member: Membership):
    """List the newest version of each achievement."""
    return render_template("issuer/achievements.html", org=org, member=member,
                           achievements=achievements.current_of(org))


@org_route("/achievements/new", Role.ISSUER, methods=["GET", "POST"])
def achievement_new(org: Organisation, member: Membership):
    """Create an achievement; the form adapts to its kind."""
    form = AchievementForm()
    grouped = _prepare(form, org)
    if request.method == "GET" and request.args.get("kind") in {k.value for k in AchievementKind}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        row = _save(form, lambda data: achievements.create(org, data, actor_id=current_user.id),
                    member)
        if row is not None:
            flash(_("'%(name)s' is opgeslagen.", name=row.name), "success")
            return redirect(url_for("issuer.achievement_detail", slug=org.slug, uuid=row.uuid))
    return render_template("issuer/achievement_form.html", org=org, member=member, form=form,
                           grouped=grouped, achievement=None), 200 if not form.errors else 422


@org_route("/achievements/<uuid>/edit", Role.ISSUER, methods=["GET", "POST"])
def achievement_edit(org: Organisation, member: Membership, uuid: str):
    """Edit a draft, or make a new version of a published achievement."""
    a = in_org(Achievement, org, uuid=uuid)
    if a.state == AchievementState.ARCHIVED:
        flash(_("Deze versie is gearchiveerd en kan niet meer veranderen."), "error")
        return redirect(url_for("issuer.achievement_detail", slug=org.slug, uuid=uuid))
    form = AchievementForm()
    grouped = _prepare(form, org)
    if request.method == "GET":
        _fill(form, a)
    if form.validate_on_submit():
        row = _save(form, lambda data: achievements.update(a, data, actor_id=current_user.id),
                    member)
        if row is not None:
            flash(_("Nieuwe versie %(v)d gemaakt; bewijzen die al zijn uitgegeven blijven bij "
                    "hun versie.", v=row.version) if row.id != a.id else _("Opgeslagen."),
                  "success")
            return redirect(url_for("issuer.achievement_detail", slug=org.slug, uuid=row.uuid))
    return render_template("issuer/achievement_form.html", org=org, member=member, form=form,
                           grouped=grouped, achievement=a), 200 if not form.errors else 422


@org_route("/achievements/<uuid>/archive", Role.ISSUER, methods=["GET", "POST"])
def achievement_archive(org: Organisation, member: Membership, uuid: str):
    """Stop issuing an achievement (issued credentials stay valid), after a confirmation."""
    a = in_org(Achievement, org, uuid=uuid)
    if not confirmed():
        return confirm_page(
            org, member, title=_("'%(name)s' archiveren?", name=a.name),
            facts=[(_("Prestatie"), a.name), (_("Versie"), str(a.version))],
            consequence=_("Niemand kan deze prestatie daarna nog uitgeven; archiveren kan niet "
                          "ongedaan worden gemaakt. Bewijzen die al zijn uitgegeven blijven geldig."),
            button=_("Ja, archiveren"),
            cancel=url_for("issuer.achievement_detail", slug=org.slug, uuid=uuid))
    if FlaskForm().validate_on_submit():
        achievements.archive(a, actor_id=current_user.id)
        flash(_("'%(name)s' wordt niet meer uitgegeven.", name=a.name), "success")
    return redirect(url_for("issuer.achievement_detail", slug=org.slug, uuid=uuid))


@org_route("/achievements/design-preview.svg", Role.ISSUER)
def achievement_design_preview(org: Organisation, member: Membership):
    """The badge as designed so far (the form's live preview); nothing is saved."""
    # What is not chosen yet takes the form's defaults.
    defaults = {"template": "circle", "colour": badge_design.palette(org.colour)[0],
                "icon": "award", "line1": "", "line2": ""}
    design = {key: request.args.get(key, value)[:40] or (value if key != "icon" else "")
              for key, value in defaults.items()}
    errors = achievements.design_errors(org, design)
    designed = badge_design.Design.from_dict(design)
    if errors or designed is None:
        return Response(next(iter(errors.values()), ""), status=400, mimetype="text/plain")
    name = request.args.get("name", "")[:200] or designed.line1 or _("Badge")
    response = Response(badge_design.design_svg(designed, name), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response

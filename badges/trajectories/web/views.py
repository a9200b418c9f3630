"""LLO trajectories in the issuer workspace: define them (list, new, edit) and the assessor's
queue of trajectories waiting for approval (approve → issue, or decline)."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from badges.catalogue.models import Achievement, Pathway
from badges.kernel.errors import ServiceError
from badges.organisations import services as organisations
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import in_org, org_route
from badges.trajectories import admin as trajectory_admin
from badges.trajectories import services as trajectories
from badges.trajectories.admin import InvalidTrajectory, TrajectoryInput
from badges.trajectories.models import AwardMode, TrajectoryAward
from badges.trajectories.web.forms import TrajectoryForm


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reden"), validators=[InputRequired(), Length(max=1000)],
                           description=_l("De deelnemer krijgt deze reden per e-mail."))


def _award(org: Organisation, uuid: str) -> TrajectoryAward:
    return trajectories.award_in_org(org.id, uuid) or abort(404)


@org_route("/trajectories", Role.ISSUER)
def trajectory_queue(org: Organisation, member: Membership):
    """List trajectories whose components are complete and wait for an assessor."""
    awards = trajectories.queue(org.id)
    components = {a.id: trajectories.component_credentials(a.pathway, a.user_id)
                  for a in awards}
    return render_template("issuer/trajectory_queue.html", org=org, member=member,
                           awards=awards, components=components, form=FlaskForm(),
                           decline_form=DeclineForm())


@org_route("/trajectories/<uuid>/approve", Role.ISSUER, methods=["POST"])
def trajectory_approve(org: Organisation, member: Membership, uuid: str):
    """Approve: issue the trajectory credential now."""
    award = _award(org, uuid)
    if FlaskForm().validate_on_submit():
        try:
            trajectories.approve(award, actor_id=current_user.id)
            flash(_("Toegekend: %(name)s heeft het bewijs gekregen.", name=award.user.name),
                  "success")
        except ServiceError as exc:
            flash(exc.message, "error")
    return redirect(url_for("issuer.trajectory_queue", slug=org.slug))


@org_route("/trajectories/<uuid>/decline", Role.ISSUER, methods=["POST"])
def trajectory_decline(org: Organisation, member: Membership, uuid: str):
    """Decline, with a reason the learner reads."""
    award = _award(org, uuid)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            trajectories.decline(award, form.reason.data or "", actor_id=current_user.id)
            flash(_("Niet toegekend; %(name)s krijgt de reden per e-mail.",
                    name=award.user.name), "success")
        except ServiceError as exc:
            flash(exc.message, "error")
    elif request.method == "POST":
        flash(_("Schrijf op waarom je het niet toekent."), "error")
    return redirect(url_for("issuer.trajectory_queue", slug=org.slug))


# --- defining trajectories (list, new, edit) -------------------------------------------------

RULE_LABELS = {"all": _l("alle onderdelen"), "ordered": _l("alle onderdelen, in volgorde")}
AWARD_LABELS = {AwardMode.OFF.value: _l("niet: alleen voortgang"),
                AwardMode.AUTOMATIC.value: _l("automatisch"),
                AwardMode.APPROVAL.value: _l("na goedkeuring")}


def _prepare(form: TrajectoryForm, org: Organisation) -> None:
    published = trajectory_admin.published_achievements()
    own = [a for a in published if a.organisation_id == org.id]
    form.target.choices = [SelectChoice("", _("Kies het einddoel"))] + [
        SelectChoice(a.id, a.name) for a in own]
    grouped: dict[str, list[Achievement]] = {org.name: own}
    for a in published:
        if a.organisation_id != org.id:
            grouped.setdefault(a.organisation.name, []).append(a)
    form.components.choices = [SelectChoice(a.id, a.name, optgroup=name)
                               for name, rows in grouped.items() for a in rows]
    form.partners.choices = [SelectChoice(o.id, o.name) for o in organisations.others_than(org)]


def _fill(form: TrajectoryForm, pathway: Pathway) -> None:
    form.name.data, form.description.data = pathway.name, pathway.description
    form.target.data = pathway.target_achievement_id
    form.components.data = [s.achievement_id for s in pathway.steps]
    form.rule.data = trajectory_admin.rule_of(pathway)
    form.min_required.data = pathway.min_required
    form.max_months.data = pathway.max_months
    form.partners.data = [p.organisation_id for p in pathway.partners]
    form.award_mode.data = pathway.award_mode


def _save(form: TrajectoryForm, save: Callable[[TrajectoryInput], Pathway]) -> Pathway | None:
    data = TrajectoryInput(
        name=form.name.data or "", description=form.description.data or "",
        target_id=form.target.data, component_ids=list(form.components.data or []),
        rule=form.rule.data or "all", min_required=form.min_required.data,
        max_months=form.max_months.data, partner_ids=list(form.partners.data or []),
        award_mode=form.award_mode.data or AwardMode.OFF.value)
    try:
        return save(data)
    except InvalidTrajectory as exc:
        for name, message in exc.errors.items():
            getattr(form, name, form.name).errors.append(message)
    except ServiceError as exc:
        getattr(form, exc.field or "name", form.name).errors.append(exc.message)
    return None


def _rule_text(pathway: Pathway) -> str:
    if pathway.min_required:
        return _("%(n)d van de %(m)d onderdelen", n=pathway.min_required, m=len(pathway.steps))
    return str(RULE_LABELS[trajectory_admin.rule_of(pathway)])


@org_route("/trajecten", Role.VIEWER)
def llo_trajectories(org: Organisation, member: Membership):
    """List this organisation's trajectories with their rules."""
    return render_template("issuer/trajectories.html", org=org, member=member,
                           pathways=trajectory_admin.of_org(org), rule_text=_rule_text,
                           award_labels=AWARD_LABELS)


@org_route("/trajecten/new", Role.ISSUER, methods=["GET", "POST"])
def llo_trajectory_new(org: Organisation, member: Membership):
    """Define a new trajectory: components, rule, time limit, partners, award mode."""
    form = TrajectoryForm()
    _prepare(form, org)
    if form.validate_on_submit():
        row = _save(form, lambda data: trajectory_admin.create(org, data,
                                                               actor_id=current_user.id))
        if row is not None:
            flash(_("Traject '%(name)s' is opgeslagen.", name=row.name), "success")
            return redirect(url_for("issuer.llo_trajectories", slug=org.slug))
    return render_template("issuer/trajectory_form.html", org=org, member=member, form=form,
                           pathway=None), 200 if not form.errors else 422


@org_route("/trajecten/<int:pathway_id>/edit", Role.ISSUER, methods=["GET", "POST"])
def llo_trajectory_edit(org: Organisation, member: Membership, pathway_id: int):
    """Change a trajectory; awards already given stay as they are."""
    pathway = in_org(Pathway, org, id=pathway_id)
    form = TrajectoryForm()
    _prepare(form, org)
    if request.method == "GET":
        _fill(form, pathway)
    if form.validate_on_submit():
        row = _save(form, lambda data: trajectory_admin.update(pathway, data,
                                                               actor_id=current_user.id))
        if row is not None:
            flash(_("Traject '%(name)s' is opgeslagen.", name=row.name), "success")
            return redirect(url_for("issuer.llo_trajectories", slug=org.slug))
    return render_template("issuer/trajectory_form.html", org=org, member=member, form=form,
                           pathway=pathway), 200 if not form.errors else 422

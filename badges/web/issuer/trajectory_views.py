"""The assessor's queue of LLO trajectories waiting for approval: approve → issue, or decline."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from badges.errors import ServiceError
from badges.extensions import db
from badges.models import Membership, Organisation, Pathway, Role, TrajectoryAward
from badges.services import trajectories
from badges.web.issuer.routes import org_route


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reden"), validators=[InputRequired(), Length(max=1000)],
                           description=_l("De deelnemer krijgt deze reden per e-mail."))


def _award(org: Organisation, uuid: str) -> TrajectoryAward:
    award = db.session.scalar(db.select(TrajectoryAward).join(Pathway).where(
        TrajectoryAward.uuid == uuid, Pathway.organisation_id == org.id))
    return award or abort(404)


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

"""Advisers: the learner grants and withdraws access; the adviser reads, and is logged.

The adviser's pages find a learner only through ``advisers.grant_for_adviser``
(active grants of the signed-in adviser): an expired or withdrawn grant is a
404 at once. Each adviser page view is written to the learner's log first.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from badges.applications import advisers
from badges.applications import services as applications
from badges.applications.web.forms import GrantForm
from badges.kernel.errors import ServiceError
from badges.kernel.forms import EmptyForm
from badges.kernel.i18n import end_of_local_day
from badges.kernel.models import utcnow
from badges.listings import suggestions
from badges.organisations import services as organisations
from badges.passport import services as passport
from badges.trajectories import pathways

bp = Blueprint("advisers", __name__)


def _organisation_choices() -> list[SelectChoice]:
    return [SelectChoice(o.id, o.name) for o in organisations.all_by_name()]


@bp.route("/passport/adviseurs", methods=["GET", "POST"])
@login_required
def grants():
    """Give an adviser access for a while; see who looked, and when; withdraw."""
    form = GrantForm()
    form.organisation.choices = _organisation_choices()
    if not form.is_submitted():
        form.expires.data = (utcnow() + timedelta(days=90)).date()
    if form.validate_on_submit():
        org = organisations.get(form.organisation.data) or abort(400)
        end_of_day = end_of_local_day(form.expires.data)
        try:
            advisers.give(current_user, form.email.data, org, end_of_day)
        except ServiceError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            flash(_("De adviseur heeft nu toegang en krijgt een e-mail."), "success")
            return redirect(url_for("advisers.grants"))
    return render_template("applications/grants.html", form=form, button=EmptyForm(),
                           items=advisers.grants_of_learner(current_user.id), now=utcnow())


@bp.post("/passport/adviseurs/<int:grant_id>/intrekken")
@login_required
def withdraw_grant(grant_id: int):
    """End an adviser's access now."""
    grant = advisers.own_grant(current_user.id, grant_id) or abort(404)
    if EmptyForm().validate_on_submit():
        advisers.withdraw(grant)
        flash(_("De adviseur heeft geen toegang meer."), "success")
    return redirect(url_for("advisers.grants"))


@bp.get("/adviseur")
@login_required
def index():
    """List the learners who gave me (the adviser) access, active grants only."""
    return render_template("applications/adviser_index.html",
                           items=advisers.active_for_adviser(current_user))


@bp.get("/adviseur/<int:grant_id>")
@login_required
def learner(grant_id: int):
    """Read-only: a learner's passport, what it adds up to (skills, pathways, "Wat nu?") and
    application statuses; all of it derived from the passport the grant covers (no files)."""
    grant = advisers.grant_for_adviser(current_user, grant_id) or abort(404)
    advisers.log_view(grant, "Pas en aanvragen")
    return render_template("applications/adviser_learner.html", grant=grant,
                           cards=passport.cards(grant.learner_id),
                           skills=passport.skills_overview(grant.learner_id),
                           progress=pathways.for_user(grant.learner_id),
                           ideas=suggestions.for_user(grant.learner_id, about=grant.learner.name),
                           items=applications.for_learner(grant.learner_id),
                           status=passport.STATUS)

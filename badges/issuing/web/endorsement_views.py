"""Endorsements in the issuer workspace: endorse another organisation's achievement, revoke."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from badges.catalogue import achievements
from badges.issuing import endorsements
from badges.issuing.web.forms import EndorseForm
from badges.kernel.errors import ServiceError
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.permissions import require_role
from badges.organisations.web.workspace import org_route


@org_route("/endorsements", Role.VIEWER, methods=["GET", "POST"])
def endorsement_list(org: Organisation, member: Membership):
    """Endorsements we gave and received; admins endorse another organisation's achievement."""
    form = EndorseForm()
    q = request.args.get("q", "").strip()[:100]
    form.achievement.choices = [SelectChoice("", _("Kies een prestatie"))] + [
        SelectChoice(a.id, f"{a.name} — {a.organisation.name}")
        for a in endorsements.endorsable(org, q)]
    if request.method == "POST":
        require_role(org, Role.ADMIN)
        if form.validate_on_submit():
            target = achievements.get(form.achievement.data)
            try:
                if target is None:
                    raise ServiceError(_("Kies een prestatie."), field="achievement")
                endorsements.endorse(org, target, form.comment.data or "",
                                     actor_id=current_user.id)
            except ServiceError as exc:
                getattr(form, exc.field or "achievement").errors.append(exc.message)
            else:
                flash(_("Jullie onderschrijven nu '%(name)s'.", name=target.name), "success")
                return redirect(url_for("issuer.endorsement_list", slug=org.slug))
    return render_template("issuer/endorsements.html", org=org, member=member, form=form, q=q,
                           given=endorsements.given_by(org), received=endorsements.received_by(org),
                           plain_form=FlaskForm(formdata=None)), 200 if not form.errors else 422


@org_route("/endorsements/<uuid>/revoke", Role.ADMIN, methods=["POST"])
def endorsement_revoke(org: Organisation, member: Membership, uuid: str):
    """Withdraw an endorsement we gave."""
    row = endorsements.given_one(org, uuid)
    if row is not None and FlaskForm().validate_on_submit():
        endorsements.revoke(row, actor_id=current_user.id)
        flash(_("De onderschrijving is ingetrokken."), "success")
    return redirect(url_for("issuer.endorsement_list", slug=org.slug))

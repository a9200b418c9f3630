"""Goedkeuren: awards that wait for a second person; approve (sign and deliver) or reject."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from badges.issuing import approvals
from badges.kernel.errors import ServiceError
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import org_route


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reden (de uitgever leest dit)"),
                           validators=[InputRequired(), Length(max=2000)])


@org_route("/approvals", Role.APPROVER)
def approvals_page(org: Organisation, member: Membership):
    """What waits for a second person: single awards and whole bulk jobs."""
    return render_template("issuer/approvals.html", org=org, member=member,
                           awards=approvals.waiting(org), form=FlaskForm(formdata=None),
                           reject_form=RejectForm(formdata=None))


@org_route("/approvals/<uuid>/approve", Role.APPROVER, methods=["POST"])
def approval_approve(org: Organisation, member: Membership, uuid: str):
    """Approve: the credential is signed and delivered now (a bulk job starts)."""
    if FlaskForm().validate_on_submit():
        try:
            approvals.approve(org, uuid, current_user)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            flash(exc.message, "error")
        else:
            flash(_("Goedgekeurd: het is ondertekend en verstuurd."), "success")
    return redirect(url_for("issuer.approvals_page", slug=org.slug))


@org_route("/approvals/<uuid>/reject", Role.APPROVER, methods=["POST"])
def approval_reject(org: Organisation, member: Membership, uuid: str):
    """Reject with a reason; nothing is signed and the issuer gets the reason by mail."""
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("Geef een reden op."), "error")
        return redirect(url_for("issuer.approvals_page", slug=org.slug))
    try:
        approvals.reject(org, uuid, current_user, form.reason.data)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
    else:
        flash(_("Afgewezen. De uitgever krijgt de reden per e-mail."), "success")
    return redirect(url_for("issuer.approvals_page", slug=org.slug))

"""The invited person's page: accept or decline an invitation from the mailed link."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from badges.kernel.errors import ServiceError
from badges.kernel.extensions import limiter
from badges.organisations import invitations

bp = Blueprint("invitations", __name__)


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def show(token: str):
    """Show the invitation; its owner (logged in, address confirmed) accepts or declines."""
    invitation = invitations.for_token(token)
    if invitation is None:
        return render_template("invitations/show.html", invitation=None), 404
    form = FlaskForm()
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            if request.form.get("answer") == "accept":
                member = invitations.accept(token, current_user)
                flash(_("Welkom! Je werkt nu voor %(org)s.", org=member.organisation.name),
                      "success")
                return redirect(url_for("issuer.org_dashboard", slug=member.organisation.slug))
            invitations.decline(token, current_user)
            flash(_("Je hebt de uitnodiging afgeslagen."), "success")
            return redirect(url_for("public.home"))
        except ServiceError as exc:
            flash(exc.message, "error")
            return redirect(url_for("invitations.show", token=token))
    may_answer = current_user.is_authenticated and invitations.may_answer(invitation,
                                                                          current_user)
    return render_template("invitations/show.html", invitation=invitation, form=form,
                           may_answer=may_answer, role=invitations.role_label(invitation.role))

"""The platform admin's pages: verify organisations, create them, review sign-up requests."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from badges.kernel.errors import InvalidInput, ServiceError
from badges.organisations import services as organisations
from badges.organisations import setup, signup
from badges.organisations.models import OrganisationKind
from badges.organisations.permissions import platform_admin_required
from badges.organisations.web.forms import DeclineForm, NewOrganisationForm, VerifyForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@platform_admin_required
def index():
    """List organisations with their verification state, and the open sign-up requests."""
    return render_template("admin/index.html", organisations=organisations.all_by_name(),
                           form=VerifyForm(formdata=None), requests=signup.pending(),
                           decline_form=DeclineForm(formdata=None))


@bp.post("/organisations/<int:org_id>/verify")
@platform_admin_required
def toggle_verified(org_id: int):
    """Mark an organisation verified (with how BRIN/KvK were checked), or take that back."""
    form = VerifyForm()
    if not form.validate_on_submit():
        abort(400)
    org = organisations.toggle_verified(org_id, actor_id=current_user.id,
                                        note=form.note.data or "")
    flash(_("%(name)s is nu geverifieerd.", name=org.name) if org.verified
          else _("%(name)s is niet meer geverifieerd.", name=org.name), "success")
    return redirect(url_for("admin.index"))


def _parent_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("Niets: een zelfstandige organisatie"))] + [
        SelectChoice(o.slug, o.name) for o in organisations.all_by_name()]


def _new(form: NewOrganisationForm) -> setup.NewOrganisation:
    return setup.NewOrganisation(name=form.name.data, kind=OrganisationKind(form.kind.data),
                                 brin=form.brin.data or "", kvk=form.kvk.data or "",
                                 website=form.website.data or "", city=form.city.data or "")


@bp.route("/organisations/new", methods=["GET", "POST"])
@platform_admin_required
def organisation_new():
    """Create an organisation and invite its first admin (the link is shown once)."""
    form = NewOrganisationForm()
    form.parent.choices = _parent_choices()
    if form.validate_on_submit():
        parent = organisations.by_slug(form.parent.data) if form.parent.data else None
        try:
            org, invitation, link = setup.create_with_admin(
                _new(form), form.admin_email.data, form.admin_name.data or "", parent=parent,
                actor_id=current_user.id)
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.name).errors.append(message)
        except ServiceError as exc:
            form.admin_email.errors.append(exc.message)
        else:
            return render_template("admin/organisation_created.html", org=org,
                                   invitation=invitation, link=link)
    return render_template("admin/organisation_new.html", form=form), \
        422 if form.errors else 200


@bp.post("/requests/<int:request_id>/approve")
@platform_admin_required
def request_approve(request_id: int):
    """Approve a sign-up: the organisation is created and its contact invited as admin."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        org, _link = signup.approve(request_id, actor_id=current_user.id)
    except ServiceError as exc:
        flash(exc.message, "error")
        if exc.status == 404:
            abort(404)
    else:
        flash(_("%(name)s is aangemaakt; de contactpersoon is uitgenodigd als beheerder.",
                name=org.name), "success")
    return redirect(url_for("admin.index"))


@bp.post("/requests/<int:request_id>/decline")
@platform_admin_required
def request_decline(request_id: int):
    """Decline a sign-up with a reason; the contact gets it by mail."""
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("Geef een reden op."), "error")
        return redirect(url_for("admin.index"))
    try:
        row = signup.decline(request_id, form.reason.data, actor_id=current_user.id)
    except ServiceError as exc:
        if exc.status == 404:
            abort(404)
        flash(exc.message, "error")
    else:
        flash(_("De aanmelding van %(name)s is afgewezen.", name=row.name), "success")
    return redirect(url_for("admin.index"))

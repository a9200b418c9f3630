"""Sub-units of an organisation (ROC → college → team): add, move, archive."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from badges.kernel.errors import InvalidInput, ServiceError
from badges.organisations import setup
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.forms import MoveForm, UnitForm
from badges.organisations.web.workspace import confirm_page, confirmed, org_route


def _choices(org: Organisation) -> list[SelectChoice]:
    return [SelectChoice(o.id, "— " * depth + o.name) for o, depth in setup.tree_of(org)
            if o.archived_at is None]


@org_route("/units", Role.ADMIN, methods=["GET", "POST"])
def units(org: Organisation, member: Membership):
    """This organisation's tree of units; add one under any of them."""
    form = UnitForm()
    form.parent.choices = _choices(org)
    if form.validate_on_submit():
        parent = org if form.parent.data == org.id else setup.unit_in_tree(org, form.parent.data)
        try:
            if parent is None:
                abort(404)
            unit = setup.add_unit(parent, form.name.data, actor=current_user)
        except (InvalidInput, ServiceError) as exc:
            form.name.errors.append(" ".join(exc.errors.values())
                                    if isinstance(exc, InvalidInput) else exc.message)
        else:
            flash(_("%(name)s is toegevoegd. Nodig er mensen voor uit bij Mensen van die eenheid.",
                    name=unit.name), "success")
            return redirect(url_for("issuer.units", slug=org.slug))
    move_form = MoveForm(formdata=None)
    move_form.parent.choices = form.parent.choices
    return render_template("issuer/units.html", org=org, member=member, form=form,
                           tree=setup.tree_of(org), move_form=move_form,
                           plain_form=FlaskForm(formdata=None)), 422 if form.errors else 200


def _unit(org: Organisation, unit_id: int) -> Organisation:
    return setup.unit_in_tree(org, unit_id) or abort(404)


@org_route("/units/<int:unit_id>/move", Role.ADMIN, methods=["POST"])
def unit_move(org: Organisation, member: Membership, unit_id: int):
    """Hang a unit under another unit of this organisation."""
    unit, form = _unit(org, unit_id), MoveForm()
    form.parent.choices = _choices(org)
    if form.validate_on_submit():
        target = org if form.parent.data == org.id else _unit(org, form.parent.data)
        try:
            setup.move(org, unit, target, actor_id=current_user.id)
            flash(_("%(name)s is verplaatst.", name=unit.name), "success")
        except ServiceError as exc:
            flash(exc.message, "error")
    return redirect(url_for("issuer.units", slug=org.slug))


@org_route("/units/<int:unit_id>/archive", Role.ADMIN, methods=["GET", "POST"])
def unit_archive(org: Organisation, member: Membership, unit_id: int):
    """Archive a unit and the units below it (after a confirmation); credentials stay valid."""
    unit = _unit(org, unit_id)
    if not confirmed():
        return confirm_page(
            org, member, title=_("%(name)s archiveren?", name=unit.name),
            facts=[(_("Eenheid"), unit.name)],
            consequence=_("De eenheid en alle eenheden eronder kunnen daarna niets meer uitgeven; "
                          "archiveren kan niet ongedaan worden gemaakt. Bewijzen die al zijn "
                          "uitgegeven blijven geldig."),
            button=_("Ja, archiveren"), cancel=url_for("issuer.units", slug=org.slug))
    if FlaskForm().validate_on_submit():
        setup.archive(org, unit, actor_id=current_user.id)
        flash(_("%(name)s is gearchiveerd.", name=unit.name), "success")
    return redirect(url_for("issuer.units", slug=org.slug))

"""The platform admin's page: mark organisations as verified."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from badges.organisations import services as organisations
from badges.organisations.permissions import platform_admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@platform_admin_required
def index():
    """List organisations with their verification state."""
    return render_template("admin/index.html", organisations=organisations.all_by_name(),
                           form=FlaskForm())


@bp.post("/organisations/<int:org_id>/verify")
@platform_admin_required
def toggle_verified(org_id: int):
    """Mark an organisation verified (BRIN/KvK checked), or take that back."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    org = organisations.toggle_verified(org_id, actor_id=current_user.id)
    flash(_("%(name)s is nu geverifieerd.", name=org.name) if org.verified
          else _("%(name)s is niet meer geverifieerd.", name=org.name), "success")
    return redirect(url_for("admin.index"))

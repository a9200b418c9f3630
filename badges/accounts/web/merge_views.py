"""Merge another passport into the one I am signed in with (``accounts.merging``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from badges.accounts import merging
from badges.accounts.web.forms import MergeForm
from badges.accounts.web.routes import bp
from badges.kernel.errors import ServiceError
from badges.kernel.extensions import limiter


@bp.route("/account/merge", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def merge_passports():
    """Prove the other passport with its password; its contents move here and it closes."""
    form = MergeForm()
    if form.validate_on_submit():
        try:
            merging.merge(current_user._get_current_object(), form.email.data,
                          form.password.data, get_remote_address() or "unknown")
        except ServiceError as exc:
            getattr(form, exc.field or "password").errors.append(exc.message)
        else:
            flash(_("De passen zijn samengevoegd. Alles van %(email)s staat nu in deze pas; "
                    "die andere pas bestaat niet meer.", email=form.email.data.strip().lower()),
                  "success")
            return redirect(url_for("passport.index"))
    return render_template("auth/merge.html", form=form), 422 if form.errors else 200

"""Merge another passport into the one I am signed in with (``accounts.merging``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from badges.accounts import merging
from badges.accounts.web.forms import MergeForm, MergeLinkForm
from badges.accounts.web.routes import bp
from badges.kernel.errors import ServiceError
from badges.kernel.extensions import limiter
from badges.kernel.forms import EmptyForm
from badges.kernel.tokens import TokenError


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
    return render_template("auth/merge.html", form=form, link_form=MergeLinkForm()), \
        422 if form.errors else 200


@bp.post("/account/merge/link")
@login_required
@limiter.limit("5 per minute")
def merge_link():
    """No password on the other passport: mail its address a link that proves it."""
    form = MergeLinkForm()
    if form.validate_on_submit():
        merging.request_merge_link(current_user._get_current_object(), form.other_email.data)
        flash(_("Als er een pas bij dit e-mailadres hoort, hebben we er een link naartoe "
                "gestuurd. Open die link terwijl je met deze pas bent ingelogd."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/merge.html", form=MergeForm(), link_form=form), 422


@bp.route("/account/merge/confirm/<token>", methods=["GET", "POST"])
@login_required
def merge_confirm(token: str):
    """The mailed link: show what will be merged, merge on the button (CSRF-checked)."""
    user = current_user._get_current_object()
    try:
        other = merging.other_for_link(user, token)
    except TokenError as exc:
        flash(_("Deze link is verlopen. Vraag een nieuwe aan.") if exc.reason == "expired" else
              _("Deze link werkt niet (meer), of je bent met een andere pas ingelogd dan toen je "
                "hem aanvroeg."), "error")
        return redirect(url_for("auth.merge_passports"))
    form = EmptyForm()
    if form.validate_on_submit():
        merging.merge_by_link(user, token)
        flash(_("De passen zijn samengevoegd. Alles van %(email)s staat nu in deze pas; "
                "die andere pas bestaat niet meer.", email=other.email), "success")
        return redirect(url_for("passport.index"))
    return render_template("auth/merge_confirm.html", form=form, other=other)

"""The learner's side of the Open Badges 3.0 API: the consent page and the connected apps."""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from badges.kernel.forms import EmptyForm
from badges.kernel.security import page_policy
from badges.obapi import oauth
from badges.obapi import services as obapi

bp = Blueprint("ob_consent", __name__)


@bp.app_template_global()
def ob_scope_label(scope: str) -> str:
    return obapi.scope_label(scope)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"  # no clickjacking of the consent button
    return response


def _bad_request(error: OAuth2Error) -> Response:
    back = oauth.error_redirect(error)
    if back is not None:
        return back
    html = render_template("obapi/refused.html", description=error.description or error.error)
    return _no_store(Response(html, status=400))


@bp.route("/ims/ob/v3p0/authorize", methods=["GET", "POST"])
@login_required
def authorize():
    """Ask the learner whether the app may have what it asks for; send the answer back."""
    try:
        consent = oauth.consent_request(current_user)
    except OAuth2Error as error:
        return _bad_request(error)
    form = EmptyForm()
    if form.validate_on_submit():
        allow = request.form.get("decision") == "allow"
        return _no_store(oauth.decide(consent, current_user, allow))
    html = render_template("obapi/consent.html", consent=consent, form=form)
    response = _no_store(Response(html, status=400 if form.is_submitted() else 200))
    # the answer is a redirect to the app, which the browser checks against form-action
    response.headers["Content-Security-Policy"] = page_policy(f"'self' {consent.redirect_origin}")
    return response


@bp.get("/passport/apps")
@login_required
def apps():
    """The apps with access to the passport, what they may do, and a way to stop each."""
    return render_template("obapi/apps.html", apps=obapi.connected_apps(current_user.id), form=EmptyForm())


@bp.post("/passport/apps/<client_id>/withdraw")
@login_required
def withdraw(client_id: str):
    """Stop an app's access: all its tokens for this learner stop working at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not obapi.withdraw(current_user, client_id):
        abort(404)
    flash(_("De app heeft geen toegang meer tot je pas."), "success")
    return redirect(url_for("ob_consent.apps"))

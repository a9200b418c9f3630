"""Claiming with a code: ``/c`` (type it), ``/c/<code>`` (scan it), ``/c/bevestig/<token>``."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from badges.claimcodes import services as codes
from badges.claimcodes.models import EvidenceMode
from badges.claimcodes.web.forms import ClaimForm, EnterCodeForm
from badges.kernel.errors import InvalidInput, ServiceError
from badges.kernel.extensions import limiter

bp = Blueprint("claimcodes", __name__)

# Guessing codes: few tries per address. A class or team behind one address claims one
# by one in a minute or two, well within these limits.
ATTEMPTS = "30 per minute; 300 per hour"


def _not_found(response) -> bool:
    return response.status_code != 302  # a known code redirects to its page


@bp.route("/c", methods=["GET", "POST"])
# Only misses count: a big class behind one address typing the right code gets through.
@limiter.limit(ATTEMPTS, methods=["POST"], deduct_when=_not_found)
def enter():
    """Type the code from the poster."""
    form = EnterCodeForm()
    if form.validate_on_submit():
        found = codes.find(form.code.data or "")
        if found is not None:
            return redirect(url_for("claimcodes.code_page", code=found.code))
        form.code.errors = [_("Deze code kennen we niet. Kijk of je hem goed hebt overgenomen.")]
    return render_template("claimcodes/enter.html", form=form), 422 if form.code.errors else 200


def _unknown(response) -> bool:
    return response.status_code == 404


@bp.route("/c/<code>", methods=["GET", "POST"])
@limiter.limit(ATTEMPTS, methods=["POST"])
# A link to an unknown code answers 404, a known one 200: guessing by link counts too. Only
# misses count, so a class opening the poster's link from one address is never held up.
@limiter.limit(ATTEMPTS, methods=["GET"], deduct_when=_unknown)
def code_page(code: str):
    """What this code gives, and the form to claim it."""
    found = codes.find(code)
    if found is None:
        form = EnterCodeForm(data={"code": code[:32]})
        form.code.errors = [_("Deze code kennen we niet. Kijk of je hem goed hebt overgenomen.")]
        return render_template("claimcodes/enter.html", form=form), 404
    if found.code != code:  # typed in lower case, with a dash or an O for a 0
        return redirect(url_for("claimcodes.code_page", code=found.code))
    form = ClaimForm()
    user = current_user if current_user.is_authenticated else None
    done = None
    if form.validate_on_submit():
        photo = form.photo.data.read() if form.photo.data else None
        try:
            done = codes.claim(found, codes.ClaimInput(email=form.email.data or "", name=form.name.data or "",
                                                       evidence_text=form.evidence_text.data or "",
                                                       photo=photo), user=user)
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        except ServiceError as exc:
            form.form_errors.append(exc.message)
    return render_template("claimcodes/claim.html", code=found, form=form, user=user, done=done,
                           closed=codes.why_closed(found), EvidenceMode=EvidenceMode), \
        (422 if (form.errors or form.form_errors) else 200)


@bp.get("/c/bevestig/<token>")
def confirm(token: str):
    """The link from the mail: the address is proven; issue (or wait for approval)."""
    try:
        done = codes.confirm(token)
    except ServiceError as exc:
        # A dead link is a page that explains, as for password resets.
        return render_template("claimcodes/confirmed.html", error=exc.message, done=None)
    return render_template("claimcodes/confirmed.html", error=None, done=done)

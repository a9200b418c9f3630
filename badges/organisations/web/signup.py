"""The public sign-up form: an organisation asks to use Skillspas (the platform admin reviews)."""

from __future__ import annotations

from flask import Blueprint, render_template
from wtforms import SelectChoice

from badges.kernel.errors import InvalidInput
from badges.kernel.extensions import limiter
from badges.organisations import setup, signup
from badges.organisations.models import OrganisationKind
from badges.organisations.web.forms import KIND_CHOICES, SignupForm

bp = Blueprint("signup", __name__)


@bp.route("/aanmelden", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def request_access():
    """A sports club or a leerbedrijf asks to issue badges; nothing exists until approved."""
    form = SignupForm()
    kinds = {k.value for k in signup.SELF_SIGNUP_KINDS}
    form.kind.choices = [SelectChoice(c.value, c.label) for c in KIND_CHOICES if c.value in kinds]
    if form.validate_on_submit():
        try:
            row = signup.submit(
                setup.NewOrganisation(name=form.name.data, kind=OrganisationKind(form.kind.data),
                                      brin=form.brin.data or "", kvk=form.kvk.data or "",
                                      website=form.website.data or "", city=form.city.data or ""),
                contact_name=form.contact_name.data, contact_email=form.contact_email.data,
                reason=form.reason.data)
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.name).errors.append(message)
        else:
            return render_template("public/signup_sent.html", row=row)
    return render_template("public/signup.html", form=form), 422 if form.errors else 200

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from badges.kernel.errors import InvalidInput
from badges.kernel.forms import EmptyForm
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import org_route
from badges.reminders import services as reminders
from badges.reminders.models import CLAIM

bp = Blueprint("reminders", __name__)


class SettingsForm(FlaskForm):
    claim_days = StringField(_l("Herinnering als een bewijs nog niet is opgehaald, na … dagen"),
                             validators=[Optional(), Length(max=40)],
                             description=_l("Hoogstens twee, bijvoorbeeld 7, 21. Leeg: geen herinneringen."))
    expiry_days = StringField(_l("Bericht voordat een bewijs verloopt, … dagen ervoor"),
                              validators=[Optional(), Length(max=40)],
                              description=_l("Hoogstens drie, bijvoorbeeld 60, 14. Leeg: geen berichten."))
    renew_text = TextAreaField(_l("Hoe verleng je het? (komt in het bericht)"),
                               validators=[Optional(), Length(max=500)])


@bp.route("/herinneringen/uit/<token>", methods=["GET", "POST"])
def opt_out(token: str):
    """From the link in a notice: stop this kind of notice (a button, so mail scanners don't)."""
    found = reminders.read_opt_out(token)
    form = EmptyForm()
    done = False
    if found is not None and form.validate_on_submit():
        reminders.opt_out(*found)
        done = True
    return render_template("reminders/opt_out.html", found=found, form=form, done=done,
                           is_claim=found is not None and found[1] == CLAIM)


@org_route("/herinneringen", Role.ADMIN, methods=["GET", "POST"])
def reminder_settings(org: Organisation, member: Membership):
    """When this organisation's learners are reminded, and what they read about renewing."""
    current = reminders.settings_of(org)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        try:
            reminders.save_settings(org, claim_days=form.claim_days.data or "",
                                    expiry_days=form.expiry_days.data or "",
                                    renew_text=form.renew_text.data or "", actor_id=current_user.id)
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors = [message]
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("issuer.reminder_settings", slug=org.slug))
    return render_template("reminders/settings.html", org=org, member=member, form=form), \
        422 if form.errors else 200

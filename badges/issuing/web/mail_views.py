"""``/issuer/<slug>/mail``: the organisation's own words in its credential mail, and a preview."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from badges.issuing import notifications
from badges.organisations import profile
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import org_route

# The preview is our own HTML, styled inline as mail is; it may load the organisation's logo.
PREVIEW_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


class MailForm(FlaskForm):
    intro_nl = TextAreaField(_l("Eigen woorden bovenaan de mail (Nederlands)"),
                             validators=[Optional(), Length(max=profile.MAIL_INTRO_MAX)],
                             description=_l("Bijvoorbeeld: Gefeliciteerd met je diploma! Je krijgt dit "
                                            "bewijs van je opleiding."))
    intro_en = TextAreaField(_l("Eigen woorden bovenaan de mail (Engels, mag leeg)"),
                             validators=[Optional(), Length(max=profile.MAIL_INTRO_MAX)])


@org_route("/mail", Role.ADMIN, methods=["GET", "POST"])
def mail_settings(org: Organisation, member: Membership):
    """What learners read when they receive a credential of this organisation."""
    form = MailForm(data={"intro_nl": org.mail_intro_nl, "intro_en": org.mail_intro_en})
    if form.validate_on_submit():
        profile.update_mail_intro(org, dutch=form.intro_nl.data or "", english=form.intro_en.data or "",
                                  actor_id=current_user.id)
        flash(_("Opgeslagen. Zo ziet de mail er nu uit."), "success")
        return redirect(url_for("issuer.mail_settings", slug=org.slug))
    sample = notifications.preview(org)
    return render_template("issuer/mail.html", org=org, member=member, form=form, sample=sample), \
        422 if form.errors else 200


@org_route("/mail/preview", Role.ADMIN)
def mail_preview(org: Organisation, member: Membership):
    """The HTML part of the mail, as a mail program shows it."""
    response = Response(notifications.preview(org).html_part(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # shown in the settings page's frame
    return response

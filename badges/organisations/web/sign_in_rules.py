"""Membership rules: the organisation admin proposes them in the workspace, the platform
admin approves or declines them on /admin/sign-in-rules."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length

from badges.kernel.errors import ServiceError
from badges.kernel.forms import EmptyForm
from badges.organisations import sign_in_rules as rules
from badges.organisations.models import Membership, MembershipRule, Organisation, Role, RuleKind
from badges.organisations.permissions import platform_admin_required
from badges.organisations.web.admin import bp as admin_bp
from badges.organisations.web.workspace import (
    ROLE_LABELS,
    confirm_page,
    confirmed,
    in_org,
    org_route,
)

KIND_LABELS = {RuleKind.EMAIL_DOMAIN: _l("E-maildomein"),
               RuleKind.HOME_ORGANISATION: _l("Instelling (schac)")}


class RuleForm(FlaskForm):
    kind = SelectField(_l("Waarop"), choices=[SelectChoice(k.value, label)
                                              for k, label in KIND_LABELS.items()],
                       description=_l("E-maildomein: alleen als de provider het adres heeft "
                                      "bevestigd. Instelling: de schac_home_organization die "
                                      "SURFconext meegeeft."))
    value = StringField(_l("Domein"), validators=[InputRequired(), Length(max=200)],
                        description=_l("Bijvoorbeeld rocdemaasvallei.nl"))
    role = SelectField(_l("Rol"), choices=[SelectChoice(Role.VIEWER.value, _l("Meekijken")),
                                           SelectChoice(Role.ISSUER.value, _l("Uitgeven"))],
                       default=Role.VIEWER.value)


@org_route("/sign-in-rules", Role.ADMIN, methods=["GET", "POST"])
def sign_in_rules(org: Organisation, member: Membership):
    """Who joins this organisation by signing in with the institution's provider."""
    form = RuleForm()
    if form.validate_on_submit():
        try:
            rules.propose(org, RuleKind(form.kind.data), form.value.data, Role(form.role.data),
                          current_user._get_current_object())
        except ServiceError as exc:
            getattr(form, exc.field or "value").errors.append(exc.message)
        else:
            flash(_("De regel is voorgesteld. Hij werkt zodra het platformbeheer hem heeft "
                    "goedgekeurd."), "success")
            return redirect(url_for("issuer.sign_in_rules", slug=org.slug))
    return render_template("issuer/sign_in_rules.html", org=org, member=member, form=form,
                           rules=rules.for_organisation(org),
                           kind_labels=KIND_LABELS), 422 if form.errors else 200


def _facts(rule: MembershipRule) -> list[tuple[str, str]]:
    return [(_("Organisatie"), rule.organisation.name), (_("Waarop"), str(KIND_LABELS[rule.kind])),
            (_("Domein"), rule.value), (_("Rol"), str(ROLE_LABELS.get(rule.role, rule.role))),
            (_("Status"), _("Goedgekeurd") if rule.approved_at else _("Wacht op goedkeuring"))]


@org_route("/sign-in-rules/<int:rule_id>/remove", Role.ADMIN, methods=["GET", "POST"])
def sign_in_rule_remove(org: Organisation, member: Membership, rule_id: int):
    """Remove a rule, after a confirmation; people who joined by it stay (remove them on
    "Mensen")."""
    rule = in_org(MembershipRule, org, id=rule_id)
    back = url_for("issuer.sign_in_rules", slug=org.slug)
    if not confirmed():
        return confirm_page(
            org, member, title=_("Regel %(value)s verwijderen?", value=rule.value),
            facts=_facts(rule)[1:], consequence=_(
                "Wie via deze instelling inlogt, wordt dan niet meer vanzelf lid. Wie al lid "
                "is, blijft lid (haal die weg bij Mensen). Een nieuwe regel moet het "
                "platformbeheer opnieuw goedkeuren."),
            button=_("Ja, regel verwijderen"), cancel=back)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not rules.remove(org, rule_id, current_user._get_current_object()):
        abort(404)
    flash(_("De regel is verwijderd."), "success")
    return redirect(back)


@admin_bp.get("/sign-in-rules")
@platform_admin_required
def sign_in_rules_review():
    """Every membership rule, waiting ones first."""
    return render_template("admin/sign_in_rules.html", rules=rules.all_rules(),
                           kind_labels=KIND_LABELS, form=EmptyForm())


@admin_bp.route("/sign-in-rules/<int:rule_id>/<any(approve, decline):decision>",
                methods=["GET", "POST"])
@platform_admin_required
def sign_in_rule_decide(rule_id: int, decision: str):
    """Approve a rule (the domain or institution is this organisation's), or decline it:
    declining (or withdrawing an approved rule) deletes it, so a page asks first."""
    back = url_for("admin.sign_in_rules_review")
    rule = rules.get(rule_id)
    if rule is None:
        abort(404)
    if decision == "decline" and not confirmed():
        approved = rule.approved_at is not None
        return render_template(
            "admin/confirm.html", facts=_facts(rule), cancel=back, form=EmptyForm(formdata=None),
            title=(_("Regel %(value)s intrekken?", value=rule.value) if approved else
                   _("Regel %(value)s afwijzen?", value=rule.value)),
            consequence=_("De regel wordt verwijderd: wie via deze instelling inlogt, wordt niet "
                          "meer vanzelf lid van %(org)s. Wie al lid is, blijft lid. De "
                          "organisatie moet de regel opnieuw voorstellen.", org=rule.organisation.name),
            button=_("Ja, intrekken") if approved else _("Ja, afwijzen"))
    if request.method == "GET":  # approving is a button on the list, never a link
        return redirect(back)
    if not EmptyForm().validate_on_submit():
        abort(400)
    actor = current_user._get_current_object()
    value, org_name = rule.value, rule.organisation.name  # a declined rule is deleted
    if (rules.approve(rule_id, actor) if decision == "approve"
            else rules.decline(rule_id, actor)) is None:
        abort(404)
    flash(_("Goedgekeurd: %(value)s voor %(org)s.", value=value, org=org_name)
          if decision == "approve" else
          _("Afgewezen: %(value)s voor %(org)s.", value=value, org=org_name), "success")
    return redirect(back)

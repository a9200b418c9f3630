"""Organisation admin pages: people, API tokens, audit log, settings."""

from __future__ import annotations

import io
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from badges.kernel import spreadsheet
from badges.kernel.errors import InvalidInput, ServiceError
from badges.kernel.i18n import end_of_local_day, local
from badges.kernel.media.image_checks import check_image
from badges.kernel.models import utcnow
from badges.organisations import api_tokens as tokens
from badges.organisations import assessors, invitations, members, oauth_clients, profile
from badges.organisations import audit_log as audit_log_rows
from badges.organisations.audit_log import AuditFilter
from badges.organisations.models import (
    ApiToken,
    Invitation,
    Membership,
    OAuthClient,
    Organisation,
    Role,
)
from badges.organisations.permissions import membership
from badges.organisations.web.forms import (
    AssessorConsentForm,
    MemberForm,
    OAuthClientForm,
    ProfileForm,
    RoleForm,
    TokenForm,
)
from badges.organisations.web.workspace import confirm_page, confirmed, in_org, org_route


@org_route("/people", Role.ADMIN, methods=["GET", "POST"])
def people(org: Organisation, member: Membership):
    """List the people who work here and the open invitations; invite someone by email.

    The answer is the same whether or not the address has an account.
    """
    form = MemberForm()
    if form.validate_on_submit():
        try:
            sent, _link = invitations.invite(org, form.email.data, form.name.data or "",
                                             Role(form.role.data), inviter=current_user)
        except ServiceError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            flash(_("We hebben een uitnodiging gestuurd naar %(who)s. Zodra die persoon haar "
                    "aanneemt, staat hij of zij hier.", who=sent.email), "success")
            return redirect(url_for("issuer.people", slug=org.slug))
    return render_template("issuer/people.html", org=org, member=member, form=form,
                           people=members.members_of(org),
                           invited=invitations.open_invitations(org),
                           role_label=invitations.role_label,
                           role_form=RoleForm(formdata=None)), 200 if not form.errors else 422


@org_route("/people/invitations/<int:invitation_id>/withdraw", Role.ADMIN,
           methods=["GET", "POST"])
def invitation_withdraw(org: Organisation, member: Membership, invitation_id: int):
    """Withdraw an open invitation, after a confirmation: its link stops working at once."""
    invitation = in_org(Invitation, org, id=invitation_id)
    back = url_for("issuer.people", slug=org.slug)
    if not invitation.is_open(utcnow()):
        flash(_("Deze uitnodiging staat niet (meer) open."), "error")
        return redirect(back)
    if not confirmed():
        return confirm_page(
            org, member, title=_("Uitnodiging voor %(email)s intrekken?", email=invitation.email),
            facts=[(_("E-mailadres"), invitation.email), (_("Naam"), invitation.name or "—"),
                   (_("Rol"), str(invitations.role_label(invitation.role))),
                   (_("Geldig tot"), local(invitation.expires_at, "%d-%m-%Y"))],
            consequence=_("De link in de uitnodiging werkt dan meteen niet meer. Wil je deze "
                          "persoon later toch uitnodigen? Dan stuur je een nieuwe uitnodiging."),
            button=_("Ja, uitnodiging intrekken"), cancel=back)
    if FlaskForm().validate_on_submit():
        try:
            invitations.withdraw(org, invitation_id, actor_id=current_user.id)
            flash(_("De uitnodiging is ingetrokken."), "success")
        except ServiceError as exc:
            flash(exc.message, "error")
    return redirect(back)


def _member(org: Organisation, user_id: int) -> Membership:
    return in_org(Membership, org, user_id=user_id)


@org_route("/people/<int:user_id>/role", Role.ADMIN, methods=["POST"])
def people_role(org: Organisation, member: Membership, user_id: int):
    """Change someone's role (an organisation keeps at least one admin)."""
    target, form = _member(org, user_id), RoleForm()
    if form.validate_on_submit():
        try:
            members.change_role(target, Role(form.role.data), actor_id=current_user.id)
            flash(_("De rol is aangepast."), "success")
        except ServiceError as exc:
            flash(exc.message, "error")
    return redirect(url_for("issuer.people", slug=org.slug))


@org_route("/people/<int:user_id>/remove", Role.ADMIN, methods=["GET", "POST"])
def people_remove(org: Organisation, member: Membership, user_id: int):
    """Remove someone from the organisation (not the last admin), after a confirmation."""
    target = _member(org, user_id)
    if not confirmed():
        return confirm_page(
            org, member, title=_("%(name)s uit %(org)s verwijderen?", name=target.user.name,
                                 org=org.name),
            facts=[(_("Naam"), target.user.name), (_("E-mailadres"), target.user.email),
                   (_("Rol"), str(invitations.role_label(target.role)))],
            consequence=_("Deze persoon kan dan niets meer in deze organisatie. Om terug te "
                          "komen is een nieuwe uitnodiging nodig."),
            button=_("Ja, verwijderen"), cancel=url_for("issuer.people", slug=org.slug))
    if FlaskForm().validate_on_submit():
        try:
            members.remove_member(target, actor_id=current_user.id)
            flash(_("Verwijderd uit de organisatie."), "success")
        except ServiceError as exc:
            flash(exc.message, "error")
    if user_id == current_user.id and membership(current_user, org) is None:
        return redirect(url_for("issuer.dashboard"))
    return redirect(url_for("issuer.people", slug=org.slug))


def _tokens_page(org: Organisation, member: Membership, *, form: TokenForm | None = None,
                 client_form: OAuthClientForm | None = None, **shown: object):
    return render_template("issuer/tokens.html", org=org, member=member,
                           form=form or TokenForm(formdata=None),
                           client_form=client_form or OAuthClientForm(formdata=None),
                           rows=tokens.tokens_of(org), clients=oauth_clients.clients_of(org),
                           now=utcnow(), plain_form=FlaskForm(formdata=None), **shown)


@org_route("/tokens", Role.ADMIN, methods=["GET", "POST"])
def api_tokens(org: Organisation, member: Membership):
    """List API tokens and OAuth clients; create a token (shown once)."""
    form = TokenForm()
    if form.validate_on_submit():
        expires = form.expires.data
        new_token = tokens.issue_api_token(
            org, form.name.data.strip(), actor_id=current_user.id, scopes=form.scopes.data,
            expires_at=end_of_local_day(expires) if expires else None)
        return _tokens_page(org, member, new_token=new_token)
    return _tokens_page(org, member, form=form)


@org_route("/oauth-clients", Role.ADMIN, methods=["POST"])
def oauth_client_create(org: Organisation, member: Membership):
    """Register an OAuth client; its id and secret are shown once."""
    client_form = OAuthClientForm()
    if client_form.validate_on_submit():
        client_id, secret = oauth_clients.register_client(
            org, client_form.client_name.data.strip(), client_form.client_scopes.data,
            actor_id=current_user.id)
        return _tokens_page(org, member, new_client=(client_id, secret))
    return _tokens_page(org, member, client_form=client_form), 422


@org_route("/oauth-clients/<int:client_id>/revoke", Role.ADMIN, methods=["GET", "POST"])
def oauth_client_revoke(org: Organisation, member: Membership, client_id: int):
    """Revoke an OAuth client and its access tokens at once, after a confirmation."""
    row = in_org(OAuthClient, org, id=client_id)
    if not confirmed():
        return confirm_page(
            org, member, title=_("Koppeling %(name)s intrekken?", name=row.name),
            facts=[(_("Naam"), row.name), (_("Client-id"), row.client_id)],
            consequence=_("Het programma dat deze koppeling gebruikt, kan meteen niets meer. "
                          "Intrekken kan niet ongedaan worden gemaakt."),
            button=_("Ja, definitief intrekken"),
            cancel=url_for("issuer.api_tokens", slug=org.slug))
    if FlaskForm().validate_on_submit() and oauth_clients.revoke_client(
            row, actor_id=current_user.id):
        flash(_("De koppeling %(c)s werkt niet meer.", c=row.client_id), "success")
    return redirect(url_for("issuer.api_tokens", slug=org.slug))


@org_route("/tokens/<int:token_id>/revoke", Role.ADMIN, methods=["GET", "POST"])
def api_token_revoke(org: Organisation, member: Membership, token_id: int):
    """Revoke an API token at once, after a confirmation."""
    row = in_org(ApiToken, org, id=token_id)
    if not confirmed():
        return confirm_page(
            org, member, title=_("API-sleutel %(name)s intrekken?", name=row.name),
            facts=[(_("Naam"), row.name), (_("Begint met"), f"{row.prefix}…")],
            consequence=_("Programma's die deze sleutel gebruiken, kunnen meteen niets meer. "
                          "Intrekken kan niet ongedaan worden gemaakt."),
            button=_("Ja, definitief intrekken"),
            cancel=url_for("issuer.api_tokens", slug=org.slug))
    if FlaskForm().validate_on_submit() and tokens.revoke_api_token(row, actor_id=current_user.id):
        flash(_("De sleutel %(p)s… werkt niet meer.", p=row.prefix), "success")
    return redirect(url_for("issuer.api_tokens", slug=org.slug))


def _audit_filter() -> tuple[AuditFilter, str]:
    """The filter from the query string, and an error message for a date we cannot read."""
    args, days, error = request.args, {}, ""
    for name in ("from", "to"):
        try:
            days[name] = date.fromisoformat(args[name]) if args.get(name) else None
        except ValueError:
            days[name], error = None, _("Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-09-01.")
    person = args.get("person", "")
    return AuditFilter(action=args.get("action", ""),
                       credential=audit_log_rows.credential_key(args.get("credential", "")),
                       person=int(person) if person.isdigit() else None,
                       since=days["from"], until=days["to"]), error


@org_route("/audit", Role.ADMIN)
def audit_log(org: Organisation, member: Membership):
    """The organisation's audit log: filter by action, person, credential and days; page on."""
    wanted, error = _audit_filter()
    shown = audit_log_rows.page_of(org, wanted, request.args.get("page", 1, type=int))
    return render_template("issuer/audit.html", org=org, member=member, wanted=wanted,
                           args=request.args, error=error, shown=shown,
                           label=audit_log_rows.action_label,
                           details=audit_log_rows.readable_details,
                           actions=audit_log_rows.actions_in(org),
                           people=audit_log_rows.people_in(org)), 400 if error else 200


@org_route("/audit.csv", Role.ADMIN)
def audit_log_csv(org: Organisation, member: Membership):
    """The matching events as a CSV file, all of them (no paging), safe for spreadsheets."""
    wanted, error = _audit_filter()
    if error:
        abort(400, error)
    out = io.StringIO()
    sheet = spreadsheet.writer(out)
    sheet.writerow([_("Wanneer"), _("Wie"), _("Wat"), _("Bewijs"), _("Details")])
    for event, user in audit_log_rows.all_of(org, wanted):
        sheet.writerow([local(event.created_at), user.name if user else (
            event.actor_label or _("systeem")), audit_log_rows.action_label(event.action),
            event.subject_id if event.subject_type == "credential" else "",
            "; ".join(f"{k}: {v}" for k, v in audit_log_rows.readable_details(event.details))])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="logboek-{org.slug}.csv"'})


def _logo(form: ProfileForm) -> tuple[bytes, str] | bool | None:
    """The uploaded logo, checked and sanitised; False to remove it; None: keep it."""
    upload = request.files.get(form.logo.name)
    if upload and upload.filename:
        try:
            return check_image(upload.read(), upload.filename)
        except ServiceError as exc:
            raise InvalidInput({"logo": exc.message}) from exc
    return False if form.remove_logo.data else None


@org_route("/settings", Role.ADMIN, methods=["GET", "POST"])
def settings(org: Organisation, member: Membership):
    """Set the organisation's name, numbers, contact, colour, description, website, limits."""
    form = ProfileForm(obj=org)
    if form.validate_on_submit():
        try:
            profile.update_profile(org, colour=form.colour.data,
                                   description=form.description.data or "",
                                   website=form.website.data or "", actor_id=current_user.id,
                                   details={name: getattr(form, name).data for name in (
                                       "name", "short_name", "brin", "kvk", "email", "city",
                                       "award_limit_hour", "award_limit_day")},
                                   logo=_logo(form))
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("issuer.settings", slug=org.slug))
    return _settings_page(org, member, form, _assessor_form(org, formdata=None))


def _assessor_form(org: Organisation, formdata=None) -> AssessorConsentForm:
    form = AssessorConsentForm(formdata=formdata) if formdata is not None \
        else AssessorConsentForm(formdata=None, allowed=[o.id for o in assessors.allowed_by(org)])
    form.allowed.choices = [(o.id, o.name) for o in assessors.candidates(org)]
    return form


def _settings_page(org: Organisation, member: Membership, form: ProfileForm,
                   assessor_form: AssessorConsentForm):
    failed = form.errors or assessor_form.errors
    return render_template("issuer/settings.html", org=org, member=member, form=form,
                           assessor_form=assessor_form), 422 if failed else 200


@org_route("/settings/assessor", Role.ADMIN, methods=["POST"])
def assessor_consent(org: Organisation, member: Membership):
    """Choose which organisations may name us as assessing organisation in credentials."""
    form = _assessor_form(org, formdata=request.form)
    if form.validate_on_submit():
        try:
            assessors.set_allowed(org, form.allowed.data or [], actor_id=current_user.id)
        except ServiceError as exc:
            form.allowed.errors = [*form.allowed.errors, exc.message]
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("issuer.settings", slug=org.slug))
    return _settings_page(org, member, ProfileForm(formdata=None, obj=org), form)

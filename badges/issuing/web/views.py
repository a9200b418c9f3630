"""Credential pages of the issuer workspace: issue one, list, detail, change state, reissue."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from badges.accounts.services import account_name_differs
from badges.catalogue import achievements
from badges.catalogue.models import Achievement
from badges.issuing import approvals, claim_links, co_issuing, endorsements, records, reissuing, rules
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState, PendingAward
from badges.issuing.web.forms import IssueForm, ReissueForm, RevokeForm, StateForm
from badges.kernel.errors import ServiceError
from badges.kernel.i18n import local
from badges.kernel.models import utcnow
from badges.organisations import assessors, audit_log
from badges.organisations import services as organisations
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import confirm_page, confirmed, in_org, org_route

PAGE_SIZE = 50


def _valid_until(form: IssueForm, achievement: Achievement) -> datetime | None:
    if form.valid_until.data:
        return rules.end_of_day(form.valid_until.data)
    if achievement.validity_months:
        return utcnow() + timedelta(days=round(achievement.validity_months * 30.44))
    return None


def _issue_request(form: IssueForm, org: Organisation) -> issuing.IssueRequest:
    achievement = achievements.get(form.achievement.data) if form.achievement.data else None
    if achievement is None or achievement.organisation_id != org.id:
        raise ServiceError(_("Kies een prestatie van jullie organisatie."), field="achievement")
    evidence = []
    if form.evidence_url.data or form.evidence_text.data:
        evidence.append({"url": form.evidence_url.data or None,
                         "narrative": form.evidence_text.data or None,
                         "name": _("Bewijs")})
    result = {}
    if form.result.data == "other":
        if not (form.result_other.data or "").strip():
            raise ServiceError(_("Vul het cijfer of oordeel in."), field="result_other")
        result = {"value": form.result_other.data.strip()}
    elif form.result.data:
        result = {"value": form.result.data}
    if result:
        result["status"] = "Completed"
    source = organisations.get(form.source.data) if form.source.data else None
    if source is not None and source.id == org.id:
        source = None
    return issuing.IssueRequest(
        achievement=achievement, recipient_email=form.recipient_email.data,
        recipient_name=form.recipient_name.data.strip(), evidence=evidence, result=result,
        assessor=(form.assessor.data or "").strip() or None, source=source,
        valid_until=_valid_until(form, achievement))


@org_route("/issue", Role.ISSUER, methods=["GET", "POST"])
def issue_one(org: Organisation, member: Membership):
    """Issue one credential and email the recipient a claim link."""
    form = IssueForm()
    choices = achievements.issuable(org)
    form.achievement.choices = [SelectChoice("", _("Kies een prestatie"))] + [
        SelectChoice(a.id, f"{a.name} (v{a.version})" if a.version > 1 else a.name)
        for a in choices]
    others = assessors.sources_for(org)  # only those that agreed to be named
    form.source.choices = [SelectChoice("", _("Niemand anders"))] + [
        SelectChoice(o.id, o.name) for o in others]
    form.partner.choices = [SelectChoice("", _("Geen partner"))] + [
        SelectChoice(o.id, o.name) for o in assessors.candidates(org)]
    if request.method == "GET" and request.args.get("achievement", "").isdigit():
        form.achievement.data = int(request.args["achievement"])
    if form.validate_on_submit():
        warnings = _before_issuing(form, org)
        if warnings:
            return render_template("issuer/issue.html", org=org, member=member, form=form,
                                   achievements=choices, now=utcnow(), **warnings), 422
    if form.validate_on_submit() and form.partner.data:
        return _ask_partner(form, org, member, choices)
    if form.validate_on_submit():
        try:
            issued = approvals.issue_or_hold(org, _issue_request(form, org),
                                             actor_id=current_user.id)
        except ServiceError as exc:
            getattr(form, exc.field or "recipient_email", form.recipient_email).errors \
                .append(exc.message)
        else:
            if isinstance(issued, PendingAward):
                flash(_("Dit wacht op goedkeuring door een tweede persoon. Pas daarna wordt "
                        "het ondertekend en krijgt %(who)s een e-mail.",
                        who=issued.recipient_email), "success")
                return redirect(url_for("issuer.issue_one", slug=org.slug))
            flash(_("Uitgegeven aan %(who)s. Er is een e-mail verstuurd.",
                    who=issued.credential.recipient_email), "success")
            return redirect(url_for("issuer.credential_detail", slug=org.slug,
                                    uuid=issued.credential.uuid))
    return render_template("issuer/issue.html", org=org, member=member, form=form,
                           achievements=choices), 200 if not form.errors else 422


def _before_issuing(form: IssueForm, org: Organisation) -> dict[str, object]:
    """What to ask before issuing: a name that differs from the recipient's account, and
    the same achievement (any version) held already. Each needs its own tick to go on."""
    warnings: dict[str, object] = {}
    if not form.name_confirmed.data and account_name_differs(form.recipient_email.data,
                                                             form.recipient_name.data):
        # One learner under two names confuses employers: ask before issuing
        form.recipient_name.errors.append(_(
            "Dit e-mailadres hoort bij een Skillspas-account met een andere naam. Controleer "
            "de naam. Klopt hij toch? Vink dan hieronder aan dat je hem wilt gebruiken."))
        warnings["name_warning"] = True
    achievement = achievements.get(form.achievement.data) if form.achievement.data else None
    if achievement is not None and achievement.organisation_id == org.id and \
            not form.again_confirmed.data:
        held = records.held_already(org, achievement, form.recipient_email.data)
        if held:
            # A second copy by mistake is confusing: say what was issued before, and ask
            form.recipient_email.errors.append(_(
                "Deze persoon heeft dit bewijs al eerder gekregen. Kijk hieronder wat er al "
                "is. Wil je het toch nog een keer uitgeven? Vink dat dan aan."))
            warnings["held_already"] = held
    return warnings


def _ask_partner(form: IssueForm, org: Organisation, member: Membership,
                 choices: list[Achievement]):
    """Co-issuing: hold the credential as "wacht op partner" and ask the partner."""
    partner = organisations.get(form.partner.data)
    try:
        if partner is None or partner.id == org.id:
            raise ServiceError(_("Kies een andere organisatie als partner."), field="partner")
        wanted = _issue_request(form, org)
        wanted.source = None  # the partner becomes the source once it agrees
        row = co_issuing.request(org, partner, wanted, actor_id=current_user.id)
    except ServiceError as exc:
        getattr(form, exc.field or "partner", form.partner).errors.append(exc.message)
        return render_template("issuer/issue.html", org=org, member=member, form=form,
                               achievements=choices), 422
    flash(_("Wacht op %(partner)s: het bewijs wordt pas ondertekend en verstuurd als %(partner)s "
            "instemt.", partner=partner.name), "success")
    return redirect(url_for("issuer.co_issue_detail", slug=org.slug, uuid=row.uuid))


@org_route("/credentials", Role.VIEWER)
def credential_list(org: Organisation, member: Membership):
    """List issued credentials, filtered by achievement, state and a search."""
    lineage = request.args.get("achievement", "")
    state = request.args.get("state", "")
    search = request.args.get("q", "").strip()[:100]
    filters = records.CredentialFilters(
        lineage=lineage, search=search,
        state=CredentialState(state) if state in {s.value for s in CredentialState} else None)
    shown = records.credentials_of(org, filters, page=request.args.get("page", 1, type=int),
                                   per_page=PAGE_SIZE)
    return render_template("issuer/credentials.html", org=org, member=member,
                           credentials=shown.items, more=shown.has_next, page=shown.page,
                           achievements=achievements.current_of(org), lineage=lineage,
                           state=state, q=search, states=list(CredentialState))


@org_route("/credentials/<uuid>", Role.VIEWER)
def credential_detail(org: Organisation, member: Membership, uuid: str):
    """Show a credential: status, recipient, the signed document and its audit trail."""
    return _credential_page(org, member, in_org(Credential, org, uuid=uuid))


def _credential_page(org: Organisation, member: Membership, cred: Credential,
                     new_claim_link: str | None = None) -> str:
    trail = records.trail_of(cred)
    reissue = ReissueForm(formdata=None, recipient_name=cred.recipient_name,
                          recipient_email=cred.recipient_email)
    return render_template("issuer/credential_detail.html", org=org, member=member,
                           credential=cred, trail=trail, state_form=StateForm(formdata=None),
                           reissue_form=reissue, claim_form=FlaskForm(formdata=None),
                           can_renew_claim=claim_links.can_renew(cred),
                           claim_expires=(claim_links.sent_at(cred) + claim_links.valid_for()
                                          if cred.claim_token_hash else None),
                           new_claim_link=new_claim_link, action_label=audit_log.action_label,
                           document=json.dumps(cred.document, indent=2, ensure_ascii=False))


@org_route("/credentials/<uuid>/claim-link", Role.ISSUER, methods=["POST"])
def credential_claim_link(org: Organisation, member: Membership, uuid: str):
    """A new claim link (the old one stops): mailed to the recipient, or shown once to copy."""
    cred = in_org(Credential, org, uuid=uuid)
    send = request.form.get("action") != "copy"
    if not FlaskForm().validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return redirect(url_for("issuer.credential_detail", slug=org.slug, uuid=uuid))
    try:
        link = claim_links.renew(cred, actor_id=current_user.id, send=send)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("issuer.credential_detail", slug=org.slug, uuid=uuid))
    if send:
        flash(_("We hebben een nieuwe link gestuurd naar %(email)s. De oude link werkt niet meer.",
                email=cred.recipient_email), "success")
        return redirect(url_for("issuer.credential_detail", slug=org.slug, uuid=uuid))
    # Shown on this answer only (never in a flash: that lives in the session cookie).
    return _credential_page(org, member, cred, new_claim_link=link)


@org_route("/credentials/<uuid>/state", Role.ISSUER, methods=["POST"])
def credential_state(org: Organisation, member: Membership, uuid: str):
    """Revoke, suspend or reinstate, with a reason; the recipient is told by email."""
    cred = in_org(Credential, org, uuid=uuid)
    form = StateForm()
    if not form.validate_on_submit():
        flash(_("Geef een reden op."), "error")
        return redirect(url_for("issuer.credential_detail", slug=org.slug, uuid=uuid))
    before = cred.state
    try:
        issuing.change_state(cred, CredentialState(form.state.data), form.reason.data.strip(),
                             actor_id=current_user.id)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        if cred.state != before:
            flash(_("De status is aangepast en de ontvanger krijgt een e-mail."), "success")
    return redirect(url_for("issuer.credential_detail", slug=org.slug, uuid=uuid))


@org_route("/credentials/<uuid>/revoke", Role.ISSUER, methods=["GET", "POST"])
def credential_revoke(org: Organisation, member: Membership, uuid: str):
    """Revoke for good: a page that names the person and the badge asks first."""
    cred = in_org(Credential, org, uuid=uuid)
    detail = url_for("issuer.credential_detail", slug=org.slug, uuid=uuid)
    if cred.state == CredentialState.REVOKED:
        return redirect(detail)
    form = RevokeForm(formdata=request.form if confirmed() else None)
    if confirmed() and form.validate_on_submit():
        try:
            issuing.change_state(cred, CredentialState.REVOKED, form.reason.data.strip(),
                                 actor_id=current_user.id)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Het bewijs is ingetrokken en de ontvanger krijgt een e-mail."), "success")
        return redirect(detail)
    return confirm_page(
        org, member, title=_("Bewijs van %(name)s intrekken?",
                             name=cred.recipient_name or cred.recipient_email),
        facts=[(_("Bewijs"), cred.achievement.name), (_("Ontvanger"), cred.recipient_name or ""),
               (_("E-mailadres"), cred.recipient_email),
               (_("Uitgegeven"), local(cred.issued_at))],
        consequence=_("Intrekken is definitief en kan niet ongedaan worden gemaakt: wie het "
                      "bewijs controleert, ziet dat het niet meer geldt. Wil je het alleen even "
                      "stopzetten? Kies dan op de vorige pagina 'Tijdelijk schorsen'."),
        button=_("Ja, definitief intrekken"), cancel=detail, form=form,
        status=422 if form.errors else 200)


@org_route("/credentials/<uuid>/reissue", Role.ISSUER, methods=["POST"])
def credential_reissue(org: Organisation, member: Membership, uuid: str):
    """Issue a fresh credential with the same data (after a correction)."""
    cred = in_org(Credential, org, uuid=uuid)
    form = ReissueForm()
    if not form.validate_on_submit():
        flash(_("Vul naam, e-mailadres en reden in."), "error")
        return redirect(url_for("issuer.credential_detail", slug=org.slug, uuid=uuid))
    try:
        issued = reissuing.reissue(
            cred, revoke_old=form.revoke_old.data, reason=form.reason.data,
            actor_id=current_user.id, recipient_name=form.recipient_name.data.strip(),
            recipient_email=form.recipient_email.data)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("issuer.credential_detail", slug=org.slug, uuid=uuid))
    flash(_("Opnieuw uitgegeven."), "success")
    return redirect(url_for("issuer.credential_detail", slug=org.slug,
                            uuid=issued.credential.uuid))


# The achievement page lives here: it shows how often it was issued and who endorsed it.
@org_route("/achievements/<uuid>", Role.VIEWER)
def achievement_detail(org: Organisation, member: Membership, uuid: str):
    """Show one version, its history, endorsements and how often it was issued."""
    a = in_org(Achievement, org, uuid=uuid)
    issued = issuing.count_issued(a)
    return render_template("issuer/achievement_detail.html", org=org, member=member,
                           achievement=a, versions=achievements.versions(a), issued=issued,
                           endorsements=endorsements.of_achievement(a), form=FlaskForm())

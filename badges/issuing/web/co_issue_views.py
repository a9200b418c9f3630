"""Co-issuing in the issuer workspace: requests made and received, accept, decline,
issue alone after a decline, or cancel. Admins and issuers decide; see ``co_issuing``."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from badges.issuing import co_issuing
from badges.issuing.models import CoIssueRequest
from badges.issuing.web.forms import CoIssueDeclineForm
from badges.kernel.errors import ServiceError
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import org_route


def _find(org: Organisation, uuid: str) -> CoIssueRequest:
    return co_issuing.find(org, uuid) or abort(404)


@org_route("/co-issuing", Role.ISSUER)
def co_issue_list(org: Organisation, member: Membership):
    """Requests to issue together: received from others (to decide) and made by us."""
    return render_template("issuer/co_issuing.html", org=org, member=member,
                           incoming=co_issuing.incoming(org), outgoing=co_issuing.outgoing(org))


@org_route("/co-issuing/<uuid>", Role.ISSUER)
def co_issue_detail(org: Organisation, member: Membership, uuid: str):
    """One request: what would be signed, its state and what this side may do now."""
    row = _find(org, uuid)
    return render_template("issuer/co_issue_detail.html", org=org, member=member, row=row,
                           is_partner=row.partner_id == org.id, form=FlaskForm(formdata=None),
                           decline_form=CoIssueDeclineForm(formdata=None))


def _act(org: Organisation, uuid: str, action, done: str):
    row = _find(org, uuid)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        action(row)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("issuer.co_issue_detail", slug=org.slug, uuid=uuid))


@org_route("/co-issuing/<uuid>/accept", Role.ISSUER, methods=["POST"])
def co_issue_accept(org: Organisation, member: Membership, uuid: str):
    """The partner agrees: the credential is issued, signed by both organisations."""
    return _act(org, uuid, lambda row: co_issuing.accept(row, org, actor_id=current_user.id),
                _("Jullie hebben ingestemd. Het bewijs is door beide organisaties ondertekend "
                  "en naar de ontvanger gestuurd."))


@org_route("/co-issuing/<uuid>/decline", Role.ISSUER, methods=["POST"])
def co_issue_decline(org: Organisation, member: Membership, uuid: str):
    """The partner declines, with a reason the issuer sees."""
    row = _find(org, uuid)
    form = CoIssueDeclineForm()
    if form.validate_on_submit():
        try:
            co_issuing.decline(row, org, form.reason.data, actor_id=current_user.id)
        except ServiceError as exc:
            form.reason.errors.append(exc.message)
        else:
            flash(_("Jullie hebben het verzoek afgewezen. De uitgever ziet jullie reden."),
                  "success")
            return redirect(url_for("issuer.co_issue_detail", slug=org.slug, uuid=uuid))
    elif not form.reason.errors:
        form.reason.errors.append(_("Geef een reden op."))
    return render_template("issuer/co_issue_detail.html", org=org, member=member, row=row,
                           is_partner=row.partner_id == org.id, form=FlaskForm(formdata=None),
                           decline_form=form), 422


@org_route("/co-issuing/<uuid>/issue-alone", Role.ISSUER, methods=["POST"])
def co_issue_alone(org: Organisation, member: Membership, uuid: str):
    """After a decline: issue it ourselves, without the partner."""
    return _act(org, uuid, lambda row: co_issuing.issue_alone(row, org, actor_id=current_user.id),
                _("Uitgegeven zonder partner. Er is een e-mail verstuurd."))


@org_route("/co-issuing/<uuid>/cancel", Role.ISSUER, methods=["POST"])
def co_issue_cancel(org: Organisation, member: Membership, uuid: str):
    """Withdraw the request; nothing is issued."""
    return _act(org, uuid, lambda row: co_issuing.cancel(row, org, actor_id=current_user.id),
                _("Het verzoek is ingetrokken. Er is niets uitgegeven."))

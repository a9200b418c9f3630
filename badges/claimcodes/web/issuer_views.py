"""The issuer's claim codes: ``/issuer/<slug>/codes`` (list, new, detail with claims, poster)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from badges.catalogue import achievements as catalogue
from badges.claimcodes import services as codes
from badges.claimcodes.models import ClaimCode, ClaimState, EvidenceMode
from badges.claimcodes.web.forms import CodeForm, DecisionForm
from badges.kernel import i18n
from badges.kernel.errors import InvalidInput, ServiceError
from badges.kernel.forms import EmptyForm
from badges.kernel.media.qr import qr_svg
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import confirm_page, confirmed, org_route


def _code(org: Organisation, code_id: int) -> ClaimCode:
    return codes.code_in(org, code_id) or abort(404)


@org_route("/codes", Role.ISSUER)
def claim_code_list(org: Organisation, member: Membership):
    """Claim codes of this organisation, newest first."""
    return render_template("claimcodes/list.html", org=org, member=member, rows=codes.codes_of(org),
                           counted=codes.counted, why_closed=codes.why_closed, pretty=codes.pretty)


@org_route("/codes/new", Role.ISSUER, methods=["GET", "POST"])
def claim_code_new(org: Organisation, member: Membership):
    """Make a claim code for one achievement."""
    form = CodeForm()
    form.achievement.choices = [SelectChoice(a.uuid, a.name) for a in catalogue.current_of(org)
                                if a.state.value == "published" and not a.needs_second_person]
    if request.method == "GET":
        start, end = codes.default_window()
        form.starts_at.data = start.astimezone(i18n.LOCAL_ZONE).replace(tzinfo=None)
        form.ends_at.data = end.astimezone(i18n.LOCAL_ZONE).replace(tzinfo=None)
        form.max_claims.data = form.max_claims.data or 30
    if form.validate_on_submit():
        try:
            made = codes.create(org, codes.CodeSpec(
                achievement_uuid=form.achievement.data, title=form.title.data or "",
                starts_at=i18n.from_local(form.starts_at.data), ends_at=i18n.from_local(form.ends_at.data),
                max_claims=form.max_claims.data or 0, needs_approval=form.needs_approval.data,
                allowed_domains=form.allowed_domains.data or "",
                allowed_emails=form.allowed_emails.data or "",
                evidence=EvidenceMode(form.evidence.data)), actor_id=current_user.id)
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        else:
            flash(_("De code is klaar. Print de poster of laat hem op een scherm zien."), "success")
            return redirect(url_for("issuer.claim_code_detail", slug=org.slug, code_id=made.id))
    return render_template("claimcodes/new.html", org=org, member=member, form=form), \
        422 if form.errors else 200


@org_route("/codes/<int:code_id>", Role.ISSUER)
def claim_code_detail(org: Organisation, member: Membership, code_id: int):
    """The code, its link and QR, and the claims as they arrive."""
    code = _code(org, code_id)
    return render_template("claimcodes/detail.html", org=org, member=member, code=code,
                           url=codes.claim_url(code), pretty=codes.pretty(code.code),
                           counted=codes.counted(code), closed=codes.why_closed(code),
                           ClaimState=ClaimState, form=EmptyForm(), decision=DecisionForm())


@org_route("/codes/<int:code_id>/poster", Role.ISSUER)
def claim_code_poster(org: Organisation, member: Membership, code_id: int):
    """A printable A4 poster: the badge, a big QR code and the code to type."""
    code = _code(org, code_id)
    return render_template("claimcodes/poster.html", org=org, code=code, url=codes.claim_url(code),
                           pretty=codes.pretty(code.code), qr=qr_svg(codes.claim_url(code), box_size=12))


@org_route("/codes/<int:code_id>/close", Role.ISSUER, methods=["GET", "POST"])
def claim_code_close(org: Organisation, member: Membership, code_id: int):
    """Close a code for good, after a confirmation."""
    code = _code(org, code_id)
    if not confirmed():
        return confirm_page(
            org, member, title=_("Code '%(title)s' sluiten?", title=code.title),
            facts=[(_("Code"), code.title), (_("Bewijs"), code.achievement.name)],
            consequence=_("Niemand kan de code daarna nog gebruiken; sluiten kan niet ongedaan "
                          "worden gemaakt. Wie al een bewijs kreeg, houdt het."),
            button=_("Ja, code sluiten"),
            cancel=url_for("issuer.claim_code_detail", slug=org.slug, code_id=code.id))
    if EmptyForm().validate_on_submit():
        codes.close(code, actor_id=current_user.id)
        flash(_("De code is gesloten: niemand kan hem nog gebruiken."), "success")
    return redirect(url_for("issuer.claim_code_detail", slug=org.slug, code_id=code.id))


@org_route("/codes/<int:code_id>/claims/<int:claim_id>", Role.ISSUER, methods=["POST"])
def claim_code_decide(org: Organisation, member: Membership, code_id: int, claim_id: int):
    code = _code(org, code_id)
    form = DecisionForm()
    if form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        try:
            codes.decide(code, claim_id, approve=approve, reason=form.reason.data or "",
                         actor_id=current_user.id)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Goedgekeurd: het bewijs is uitgegeven.") if approve else _("Afgewezen."), "success")
    return redirect(url_for("issuer.claim_code_detail", slug=org.slug, code_id=code.id))


@org_route("/codes/<int:code_id>/claims/<int:claim_id>/photo", Role.ISSUER)
def claim_code_photo(org: Organisation, member: Membership, code_id: int, claim_id: int):
    code = _code(org, code_id)
    row = next((c for c in code.claims if c.id == claim_id and c.evidence_image), None) or abort(404)
    response = Response(row.evidence_image, mimetype=row.evidence_mime or "image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response

"""The learner's passport: credentials, skills, pathways, imports, claims, addresses.

Every query is scoped to ``current_user.id`` (see services.passport), so one
learner's URLs show nothing to another: a credential that is not yours is a 404.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from badges.catalogue.labels import kind_label
from badges.catalogue.models import AchievementKind
from badges.issuing import claim_links
from badges.kernel.errors import ServiceError
from badges.kernel.forms import EmptyForm
from badges.kernel.media import images
from badges.kernel.tokens import TokenError
from badges.passport import claiming, importing
from badges.passport import services as passport
from badges.passport.web.forms import AddressForm, ImportForm
from badges.trajectories import clr as trajectory_clr_service
from badges.trajectories import pathways
from badges.trajectories import services as trajectories
from badges.verification import services as verification

bp = Blueprint("passport", __name__)


@bp.get("/passport")
@bp.get("/passport/")
@login_required
def index():
    """Show every credential the learner holds, newest first, with filters."""
    all_cards = passport.cards(current_user.id)
    kind, issuer = request.args.get("type", ""), request.args.get("issuer", "")
    shown = passport.filter_cards(all_cards, kind, issuer)
    # labels translated once per page, not once per card (300 cards must stay fast)
    kinds = {k: (_("Van elders") if k == "imported" else kind_label(AchievementKind(k)))
             for k in sorted({c.kind for c in all_cards})}
    issuers = sorted({(c.issuer_key, c.issuer_name) for c in all_cards}, key=lambda i: i[1])
    status = {key: (_(label), icon, mod) for key, (label, icon, mod) in passport.STATUS.items()}
    return render_template("passport/index.html", cards=shown, total=len(all_cards),
                           kinds=kinds, issuers=issuers, kind=kind, issuer=issuer,
                           progress=pathways.for_user(current_user.id), status=status)


@bp.get("/passport/c/<uuid>")
@login_required
def detail(uuid: str):
    """Show one of the learner's credentials in full, verified now."""
    cred = passport.own_credential(current_user.id, uuid) or abort(404)
    report = verification.verify_upload(cred.document)
    return render_template("passport/detail.html", cred=cred, report=report,
                           status=passport.STATUS[passport.credential_status(cred)])


@bp.get("/passport/i/<uuid>")
@login_required
def imported(uuid: str):
    """Show an imported credential with its last verification result."""
    row = passport.own_import(current_user.id, uuid) or abort(404)
    return render_template("passport/imported.html", row=row, form=EmptyForm(),
                           reason=importing.reason(row.report),
                           status=passport.STATUS[passport.imported_status(row.verdict)])


@bp.get("/passport/i/<uuid>/image")
@login_required
def imported_image(uuid: str):
    """A neutral image for an imported badge (we never hotlink an outside image)."""
    row = passport.own_import(current_user.id, uuid) or abort(404)
    return Response(images.default_svg(row.name, "#4a5561"), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=3600"})


@bp.post("/passport/i/<uuid>/recheck")
@login_required
def recheck(uuid: str):
    """Verify an imported credential again."""
    row = passport.own_import(current_user.id, uuid) or abort(404)
    if EmptyForm().validate_on_submit():
        importing.recheck(row)
        flash(_("Opnieuw gecontroleerd."), "success")
    return redirect(url_for("passport.imported", uuid=uuid))


@bp.post("/passport/i/<uuid>/remove")
@login_required
def remove_import(uuid: str):
    """Remove an imported credential from the passport."""
    row = passport.own_import(current_user.id, uuid) or abort(404)
    if EmptyForm().validate_on_submit():
        importing.remove(row)
        flash(_("De badge is uit je pas gehaald."), "success")
    return redirect(url_for("passport.index"))


@bp.route("/passport/import", methods=["GET", "POST"])
@login_required
def import_page():
    """Add a badge from elsewhere: upload a file or paste its text."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(importing.MAX_BYTES + 1) if upload and upload.filename else None
        try:
            row = importing.import_credential(current_user, data or form.text.data or "")
        except importing.DuplicateImport as exc:
            flash(exc.message, "info")
            if exc.existing_uuid:
                return redirect(url_for("passport.imported", uuid=exc.existing_uuid))
            return redirect(url_for("passport.index"))
        except ServiceError as exc:
            form.file.errors = [*form.file.errors, exc.message]
            return render_template("passport/import.html", form=form), 422
        if row.verdict == "valid":
            flash(_("De badge staat in je pas. Hij is gecontroleerd en klopt."), "success")
        else:
            flash(_("De badge staat in je pas, maar we konden niet alles bevestigen. "
                    "Je ziet hieronder waarom."), "info")
        return redirect(url_for("passport.imported", uuid=row.uuid))
    return render_template("passport/import.html", form=form)


@bp.get("/passport/skills")
@login_required
def skills():
    """Show all skills from the learner's credentials, grouped."""
    return render_template("passport/skills.html",
                           groups=passport.skills_overview(current_user.id))


@bp.get("/passport/pathways")
@login_required
def pathways_page():
    """Show progress toward larger achievements."""
    return render_template("passport/pathways.html", progress=pathways.for_user(current_user.id),
                           awards=trajectories.awards_of(current_user.id), form=EmptyForm())


@bp.post("/passport/trajectories/<uuid>/clr")
@login_required
def trajectory_clr(uuid: str):
    """Download a completed trajectory as a CLR signed by the trajectory's issuer."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    doc = trajectory_clr_service.build(trajectory_clr_service.award_of(current_user, uuid))
    body = json.dumps(doc, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/ld+json", headers={
        "Content-Disposition": 'attachment; filename="skillspas-traject-clr.json"'})


@bp.route("/claim/<token>", methods=["GET", "POST"])
def claim(token: str):
    """Put a credential that was sent by email into the learner's passport."""
    cred = claiming.credential_for_token(token)
    if cred is None or cred.recipient_user_id is not None:
        return render_template("passport/claim.html", cred=None, token=token), 404
    if claiming.is_revoked(cred):
        return render_template("passport/claim.html", cred=cred, revoked=True), 410
    if claim_links.is_expired(cred):
        return render_template("passport/claim.html", cred=cred, expired=True), 410
    form = EmptyForm()
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            claiming.claim(token, current_user)
        except claiming.ClaimError as exc:
            if exc.code in ("revoked", "expired"):
                return render_template("passport/claim.html", cred=cred,
                                       **{exc.code: True}), 410
            flash(exc.message, "error")
            return redirect(url_for("passport.index"))
        flash(_("Het bewijs staat nu in je pas."), "success")
        return redirect(url_for("passport.detail", uuid=cred.uuid))
    return render_template("passport/claim.html", cred=cred, token=token, form=form)


@bp.route("/passport/emails", methods=["GET", "POST"])
@login_required
def emails():
    """List, add and remove the learner's extra email addresses."""
    form = AddressForm()
    if form.validate_on_submit():
        try:
            claiming.add_address(current_user, form.email.data, form.label.data)
        except ServiceError as exc:
            form.email.errors = [*form.email.errors, exc.message]
        else:
            flash(_("We hebben een link gestuurd naar %(email)s. Klik daarop om het adres te "
                    "bevestigen.", email=form.email.data), "success")
            return redirect(url_for("passport.emails"))
    return render_template("passport/emails.html", form=form, button=EmptyForm(),
                           addresses=claiming.addresses(current_user))


@bp.post("/passport/emails/<int:address_id>/remove")
@login_required
def remove_email(address_id: int):
    """Remove an extra email address."""
    if EmptyForm().validate_on_submit():
        try:
            claiming.remove_address(current_user, address_id)
        except ServiceError:
            abort(404)
        flash(_("Het adres is verwijderd."), "success")
    return redirect(url_for("passport.emails"))


@bp.post("/passport/emails/<int:address_id>/resend")
@login_required
def resend_email(address_id: int):
    """Send the confirmation link again."""
    if EmptyForm().validate_on_submit():
        try:
            claiming.resend(current_user, address_id)
        except ServiceError:
            abort(404)
        flash(_("We hebben de link opnieuw gestuurd."), "success")
    return redirect(url_for("passport.emails"))


@bp.get("/passport/emails/confirm/<token>")
@login_required
def confirm_email(token: str):
    """Confirm an address with the emailed link; its credentials join the passport."""
    try:
        _row, moved = claiming.confirm_address(token, current_user)
    except TokenError as exc:
        flash(_("Deze link is verlopen. Vraag een nieuwe aan.") if exc.reason == "expired"
              else _("Deze link werkt niet (meer), of hij hoort bij een ander account."), "error")
        return redirect(url_for("passport.emails"))
    message = _("Je e-mailadres is bevestigd.")
    if moved:
        message += " " + ngettext("%(num)d bewijs voor dit adres staat nu in je pas.",
                                  "%(num)d bewijzen voor dit adres staan nu in je pas.", moved)
    flash(message, "success")
    return redirect(url_for("passport.emails"))

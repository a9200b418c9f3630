"""Exports of the passport (JSON, ZIP, PDF, CLR) and the account's privacy pages."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from wtforms import SelectChoice

from badges.kernel.errors import ServiceError
from badges.kernel.extensions import limiter
from badges.passport import clr_export, export, privacy, share
from badges.passport.web.export_forms import ClrForm, DeleteAccountForm
from badges.trajectories import pathways

bp = Blueprint("export", __name__)


def _download(content: bytes | str, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _clr_form() -> ClrForm:
    form = ClrForm()
    form.credentials.choices = [SelectChoice(c.uuid, c.achievement.name)
                                for c in share.owned_credentials(current_user.id)]
    form.pathway.choices = [SelectChoice("", _("Geen: gebruik mijn keuze hierboven"))] + [
        SelectChoice(str(p.pathway.id), p.pathway.name) for p in pathways.for_user(current_user.id)]
    return form


@bp.get("/passport/export")
@login_required
def index():
    """Download everything: bundle, ZIP, PDF, or a signed CLR."""
    return render_template("export/index.html", form=_clr_form())


@bp.get("/passport/export/skillspas.json")
@login_required
def bundle():
    """All credentials as one JSON file."""
    return _download(_json(export.json_bundle(current_user)), "application/json",
                     "skillspas-bewijzen.json")


@bp.get("/passport/export/skillspas.zip")
@login_required
def zip_file():
    """Baked PNGs and JSON files in one ZIP."""
    return _download(export.zip_bundle(current_user), "application/zip",
                     "skillspas-bewijzen.zip")


@bp.get("/passport/export/skillspas.pdf")
@login_required
def pdf():
    """A printable overview with a QR code per credential."""
    lang = "en" if str(get_locale() or "nl") == "en" else "nl"
    return _download(export.pdf_overview(current_user, lang), "application/pdf",
                     "skillspas-overview.pdf" if lang == "en" else "skillspas-overzicht.pdf")


@bp.post("/passport/export/clr")
@login_required
def clr():
    """A Comprehensive Learner Record of a selection or a pathway, signed by Skillspas."""
    form = _clr_form()
    if form.validate_on_submit():
        try:
            doc = clr_export.build_for_user(
                current_user,
                None if form.pathway.data else (form.credentials.data or []),
                int(form.pathway.data) if form.pathway.data else None)
        except ServiceError as exc:
            form.credentials.errors.append(exc.message)
        else:
            return _download(_json(doc), "application/ld+json", "skillspas-clr.json")
    return render_template("export/index.html", form=form), 400


@bp.get("/passport/account")
@login_required
def account():
    """My data: download it all, or delete my account."""
    return render_template("export/account.html", form=DeleteAccountForm(),
                           count=privacy.own_credential_count(current_user))


@bp.get("/passport/account/mijn-gegevens.json")
@login_required
def personal_data():
    """Everything Skillspas holds about me (AVG), as JSON."""
    return _download(_json(privacy.personal_data(current_user)), "application/json",
                     "skillspas-mijn-gegevens.json")


@bp.post("/passport/account/delete")
@login_required
@limiter.limit("5 per minute")
def delete():
    """Delete my account after re-entering my password."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            privacy.delete_account(current_user._get_current_object(), form.password.data)
        except ServiceError as exc:
            form.password.errors.append(exc.message)
        else:
            logout_user()
            flash(_("Je account en je gegevens zijn verwijderd."), "success")
            return redirect(url_for("public.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("export/account.html", form=form,
                           count=privacy.own_credential_count(current_user)), status

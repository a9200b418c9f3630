"""Applications for recognition, the learner's side, and the evidence capability URL.

Every learner view finds the application through ``applications.own`` with
``current_user.id``: another learner's application is a 404. The assessor's
side is in issuer_views, advisers in adviser_views (both register on ``bp``
or their own blueprint).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from badges.applications import evidence as evidence
from badges.applications import services as applications
from badges.applications.models import ApplicationEvidence
from badges.applications.web.forms import (
    DescriptionForm,
    FileForm,
    LinkForm,
    MessageForm,
    PassportCredentialForm,
    StatementForm,
    SubmitForm,
)
from badges.kernel.errors import ServiceError
from badges.kernel.forms import EmptyForm

bp = Blueprint("applications", __name__)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"is_open_for_applications": applications.is_open_for_applications,
            "application_state": lambda s: applications.STATE_LABELS[s]}


def file_response(row: ApplicationEvidence) -> Response:
    """A stored file, as a download that the browser never renders as a page of ours."""
    ascii_name = row.name.encode("ascii", "ignore").decode().replace('"', "") or "bestand"
    return Response(row.data, mimetype=row.mime, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(row.name)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "Referrer-Policy": "no-referrer",
    })


def own_application(view: Callable[..., Any]) -> Callable[..., Any]:
    """Load the current learner's application by uuid (404 for anyone else's)."""

    @wraps(view)
    @login_required
    def wrapper(uuid: str, **kwargs: Any) -> Any:
        application = applications.own(current_user.id, uuid) or abort(404)
        return view(application, **kwargs)

    return wrapper


def _back(application) -> BaseResponse:
    return redirect(url_for("applications.detail", uuid=application.uuid))


def _run(application, action: Callable[[], Any], done: str) -> Any:
    try:
        action()
    except ServiceError as exc:
        return _again(application, exc.message, 422)
    flash(done, "success")
    return _back(application)


def _page(application, status: int = 200):
    """The application page; after a refused post its forms keep what was typed (one form:
    the description, new evidence and submitting are posted together, see detail.html)."""
    credential_form = PassportCredentialForm()
    credential_form.credential.choices = [("", _("Kies een bewijs"))] + [
        (c.uuid, c.achievement.name) for c in evidence.passport_credentials(current_user.id)]
    return render_template(
        "applications/detail.html", application=application,
        editable=application.state in evidence.EDITABLE,
        description_form=DescriptionForm(description=application.description),
        file_form=FileForm(), link_form=LinkForm(), statement_form=StatementForm(prefix="statement"),
        credential_form=credential_form, message_form=MessageForm(),
        submit_form=SubmitForm(prefix="submit"), button=EmptyForm()), status


def _again(application, message: str, status: int = 400):
    """Refused: say why on the same page, with everything still filled in."""
    flash(message, "error")
    return _page(application, status)


def _keep_description(application) -> Any:
    """Every post of the application form also carries the description: save it first, so
    adding a file (or a refused post) never loses what the learner typed. Returns the page
    again (nothing else done) when the description itself is refused."""
    if "description" not in request.form or application.state not in evidence.EDITABLE:
        return None
    form = DescriptionForm()
    if not form.validate_on_submit():
        return _again(application, _("Je beschrijving is te lang."))
    if (form.description.data or "").strip() != (application.description or ""):
        applications.describe(application, form.description.data)
    return None


@bp.get("/passport/aanvragen")
@login_required
def index():
    """List the learner's applications with their status."""
    return render_template("applications/index.html",
                           items=applications.for_learner(current_user.id))


@bp.route("/passport/aanvragen/nieuw/<uuid>", methods=["GET", "POST"])
@login_required
def start_for_achievement(uuid: str):
    """Explain the application and start a draft for this achievement."""
    achievement = applications.open_achievement(uuid) or abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        application = applications.start(current_user, achievement)
        return _back(application)
    return render_template("applications/start.html", achievement=achievement, form=form)


@bp.get("/passport/aanvragen/<uuid>")
@own_application
def detail(application):
    """Show one application: describe, attach evidence, submit; the thread and status."""
    return _page(application)


@bp.post("/passport/aanvragen/<uuid>/beschrijving")
@own_application
def describe(application):
    """Save what the learner did."""
    form = DescriptionForm()
    if not form.validate_on_submit():
        return _again(application, _("Je beschrijving is te lang."))
    return _run(application, lambda: applications.describe(application, form.description.data),
                _("Je beschrijving is bewaard."))


@bp.post("/passport/aanvragen/<uuid>/bestand")
@own_application
def add_file(application):
    """Attach a file (checked by type and size)."""
    if (refused := _keep_description(application)) is not None:
        return refused
    form = FileForm()
    upload = form.file.data
    if not form.validate_on_submit() or not upload or not upload.filename:
        return _again(application, _("Kies een bestand."))
    data = upload.read(evidence.MAX_FILE_BYTES + 1)
    return _run(application,
                lambda: evidence.add_file(application, upload.filename, data, form.note.data or ""),
                _("Het bestand is toegevoegd."))


@bp.post("/passport/aanvragen/<uuid>/link")
@own_application
def add_link(application):
    """Attach a link."""
    if (refused := _keep_description(application)) is not None:
        return refused
    form = LinkForm()
    if not form.validate_on_submit():
        return _again(application, _("Vul een webadres in."))
    return _run(application, lambda: evidence.add_link(application, form.url.data, form.name.data),
                _("De link is toegevoegd."))


@bp.post("/passport/aanvragen/<uuid>/uit-mijn-pas")
@own_application
def add_credential(application):
    """Attach a credential from the learner's own passport."""
    if (refused := _keep_description(application)) is not None:
        return refused
    form = PassportCredentialForm()
    if not form.validate_on_submit():
        return _again(application, _("Kies een bewijs uit je pas."))
    return _run(application, lambda: evidence.add_credential(
        application, current_user.id, form.credential.data), _("Het bewijs is toegevoegd."))


@bp.post("/passport/aanvragen/<uuid>/verklaring")
@own_application
def add_statement(application):
    """Attach a statement by an employer or coach."""
    if (refused := _keep_description(application)) is not None:
        return refused
    form = StatementForm(prefix="statement")
    if not form.validate_on_submit():
        if form.agreed.errors and not (form.text.errors or form.name.errors):
            return _again(application, _("Vink aan dat de gever van de verklaring weet dat die "
                                         "in je bewijs komt."))
        return _again(application, _("Vul de verklaring en de naam in."))
    return _run(application, lambda: evidence.add_statement(
        application, form.text.data, form.name.data, form.role.data, form.email.data),
        _("De verklaring is toegevoegd. We vragen de werkgever per e-mail om hem te "
          "bevestigen."))


@bp.route("/verklaring/<token>", methods=["GET", "POST"])
def confirm_statement(token: str):
    """The employer's link: read the statement given in its name, and confirm it."""
    row = evidence.statement_by_token(token)
    if row is None:
        abort(404)
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        evidence.confirm_statement(row)
        flash(_("Dank je. De verklaring is bevestigd."), "success")
        return redirect(url_for("applications.confirm_statement", token=token))
    return render_template("applications/statement_confirm.html", row=row, form=form)


@bp.post("/passport/aanvragen/<uuid>/bewijs/<int:evidence_id>/verwijderen")
@own_application
def remove_evidence(application, evidence_id: int):
    """Remove one piece of evidence."""
    if not EmptyForm().validate_on_submit():
        return _back(application)
    return _run(application, lambda: evidence.remove(application, evidence_id),
                _("Het bewijs is verwijderd."))


@bp.get("/passport/aanvragen/<uuid>/bewijs/<int:evidence_id>")
@own_application
def download(application, evidence_id: int):
    """Download one of my own files."""
    return file_response(evidence.file_of(application, evidence_id) or abort(404))


@bp.post("/passport/aanvragen/<uuid>/indienen")
@own_application
def submit(application):
    """Send the application to the organisation, once the learner confirmed what goes in it."""
    if (refused := _keep_description(application)) is not None:
        return refused
    form = SubmitForm(prefix="submit")
    if not form.validate_on_submit():
        if form.understood.errors:
            return _again(application, _("Vink aan dat je begrijpt wat er in je bewijs komt. Je "
                                         "aanvraag is nog niet ingediend."))
        return _back(application)
    return _run(application, lambda: applications.submit(application),
                _("Je aanvraag is ingediend. Je krijgt een bevestiging per e-mail."))


@bp.post("/passport/aanvragen/<uuid>/antwoord")
@own_application
def answer(application):
    """Answer the assessor's question."""
    form = MessageForm()
    if not form.validate_on_submit():
        flash(_("Schrijf je antwoord."), "error")
        return _back(application)
    return _run(application, lambda: applications.answer(application, form.text.data),
                _("Je antwoord is verstuurd."))


@bp.post("/passport/aanvragen/<uuid>/intrekken")
@own_application
def withdraw(application):
    """Withdraw the application."""
    if not EmptyForm().validate_on_submit():
        return _back(application)
    return _run(application, lambda: applications.withdraw(application),
                _("Je aanvraag is ingetrokken."))


@bp.get("/evidence/<token>")
def evidence_file(token: str):
    """An issued credential's evidence file, for whoever holds its unguessable URL."""
    return file_response(evidence.by_capability(token) or abort(404))


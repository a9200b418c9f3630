"""Bulk issuing pages: upload a CSV, check the preview, issue, follow progress."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from badges.issuing import bulk
from badges.issuing.bulk_csv import template_csv
from badges.issuing.models import BulkJob
from badges.issuing.web.bulk_forms import UploadForm
from badges.kernel.errors import ServiceError
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.permissions import organisation_with_role
from badges.organisations.web.workspace import template_helpers

bp = Blueprint("bulk", __name__, url_prefix="/issuer/<slug>/bulk")
bp.context_processor(template_helpers)  # the workspace layout and its navigation

PER_PAGE = 100


def _org(slug: str) -> Organisation:
    return _workspace(slug)[0]


def _workspace(slug: str) -> tuple[Organisation, Membership]:
    """The organisation and the current member's membership (for the workspace navigation)."""
    return organisation_with_role(slug, Role.ISSUER)


def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/", methods=["GET", "POST"])
@login_required
def index(slug: str):
    """Show the upload form and recent uploads; take an upload and show its preview."""
    org, member = _workspace(slug)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            job = bulk.create_job(org, upload.read(), filename=upload.filename or "",
                                  uploaded_by_id=current_user.id)
        except ServiceError as exc:
            form.file.errors.append(exc.message)
        else:
            return redirect(url_for("bulk.job", slug=slug, job_uuid=job.uuid))
    status = 400 if form.errors else 200
    return render_template("bulk/index.html", org=org, member=member, form=form,
                           recent=bulk.recent_jobs(org)), status


@bp.get("/voorbeeld.csv")
@login_required
def template(slug: str):
    """Download the example CSV."""
    _org(slug)
    return _csv(template_csv(), "skillspas-voorbeeld.csv")


@bp.get("/<job_uuid>")
@login_required
def job(slug: str, job_uuid: str):
    """Show a job: its preview, its progress or its results."""
    org, member = _workspace(slug)
    job = bulk.get_job(org, job_uuid)
    page = bulk.rows_page(job, request.args.get("page", 1, type=int), PER_PAGE)
    return render_template("bulk/job.html", org=org, member=member, job=job, page=page,
                           status=bulk.status(job), form=FlaskForm())


@bp.post("/<job_uuid>/start")
@login_required
def start(slug: str, job_uuid: str):
    """Issue the valid rows (or resume a job that stopped or was interrupted)."""
    org = _org(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    job = bulk.get_job(org, job_uuid)
    try:
        bulk.start_job(job, actor_id=current_user.id)
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for("bulk.job", slug=slug, job_uuid=job_uuid))


@bp.post("/<job_uuid>/discard")
@login_required
def discard(slug: str, job_uuid: str):
    """Throw away an upload before anything is issued."""
    org = _org(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    job = bulk.get_job(org, job_uuid)
    try:
        bulk.discard_job(job, actor_id=current_user.id)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("bulk.job", slug=slug, job_uuid=job_uuid))
    flash(_("De upload is weggegooid. Er is niets uitgegeven."), "success")
    return redirect(url_for("bulk.index", slug=slug))


@bp.get("/<job_uuid>/status.json")
@login_required
def status(slug: str, job_uuid: str):
    """Progress as JSON, for the page's polling script."""
    org = _org(slug)
    return jsonify(bulk.status(bulk.get_job(org, job_uuid)))


@bp.get("/<job_uuid>/problemen.csv")
@login_required
def problems(slug: str, job_uuid: str):
    """Download the rows with problems, to correct and upload again."""
    org = _org(slug)
    job = bulk.get_job(org, job_uuid)
    return _csv(bulk.problem_rows_csv(job), f"problemen-{job.filename.rsplit('.', 1)[0]}.csv")



STATE_LABELS = {
    "preview": _l("Wacht op controle"),
    "waiting": _l("Wacht op goedkeuring"),
    "queued": _l("In de wachtrij"),
    "running": _l("Bezig"),
    "done": _l("Klaar"),
    "failed": _l("Gestopt"),
    "interrupted": _l("Onderbroken"),
}


@bp.context_processor
def labels() -> dict:
    def label(job: BulkJob) -> str:
        state = "interrupted" if bulk.interrupted(job) else job.state.value
        return str(STATE_LABELS.get(state, state))

    return {"job_state_label": label}

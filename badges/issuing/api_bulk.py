"""``/api/v1/bulk``: issue a whole CSV (the same format as the upload page).

``POST`` with ``Content-Type: text/csv`` checks the file, stores the rows and
starts issuing the valid ones: 202 with the job. Rows with problems are not
issued; ``GET /api/v1/bulk/<id>`` shows progress and each row's result,
paginated (``?page=``, ``?per_page=`` up to 500, ``?state=invalid``).
A file without one valid row is refused with 422 (nothing to start).
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request, url_for
from marshmallow import ValidationError

from badges.issuing import bulk, records
from badges.issuing.models import BulkJob, BulkRowState
from badges.issuing.schemas import BulkJobSchema, validation_problem
from badges.kernel.errors import problem
from badges.kernel.extensions import csrf, limiter
from badges.organisations.api_auth import RATE_LIMIT, organisation, rate_key, token_required

bp = Blueprint("api_bulk", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit(RATE_LIMIT, key_func=rate_key)(bp)
UPLOAD_LIMIT = "20 per hour"
CSV_TYPES = {"text/csv", "application/csv", "text/plain"}


def _job_json(job: BulkJob, *, page: int = 1, per_page: int = 100,
              state: BulkRowState | None = None, with_rows: bool = False) -> dict:
    body = {**bulk.status(job),
            "rows_url": url_for("api_bulk.get_job", id=job.uuid, _external=True)}
    if with_rows:
        rows = bulk.rows_page(job, page, per_page, state=state)
        ids = [r.credential_id for r in rows.rows if r.credential_id]
        uuids = records.uuids_of(ids)
        body.update(page=rows.page, pages=rows.pages, rows=[
            {"line": r.line, "state": r.state.value, "errors": r.errors,
             "credential": uuids.get(r.credential_id) if r.credential_id else None}
            for r in rows.rows])
        body["next"] = (url_for("api_bulk.get_job", id=job.uuid, page=rows.page + 1,
                                per_page=per_page, state=state.value if state else None,
                                _external=True)
                        if rows.page < rows.pages else None)
    return BulkJobSchema().dump(body)


@bp.post("/bulk")
@limiter.limit(UPLOAD_LIMIT, key_func=rate_key)
@token_required("bulk")
def create():
    """Check a CSV and start issuing its valid rows.
    ---
    post:
      summary: Issue every valid row of a CSV file
      description: Columns as the upload page's example file (Dutch or English names).
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {text/csv: {schema: {type: string}}}
      responses:
        '202':
          description: Job accepted (rows_url shows progress)
          content: {application/json: {schema: BulkJobSchema}}
        '400':
          description: Unreadable file
          content: {application/problem+json: {schema: ProblemSchema}}
        '415':
          description: Not text/csv
          content: {application/problem+json: {schema: ProblemSchema}}
        '422':
          description: No valid rows (`job` shows each row's problems)
          content: {application/problem+json: {schema: ProblemSchema}}
        '401': Unauthorized
        '403': InsufficientScope
        '429': RateLimited
    """
    if request.mimetype not in CSV_TYPES:
        return problem(415, "Unsupported Media Type", "Send the file as text/csv.",
                       code="unsupported_type")
    job = bulk.create_job(organisation(), request.get_data(), source="api",
                          filename=request.headers.get("X-Filename", "api.csv"),
                          api_token_id=g.api_token.id)
    if job.valid == 0:
        return problem(422, "Nothing to issue", "No row of this file is valid.", code="invalid",
                       errors={"file": ["No valid rows."]}, job=_job_json(job, with_rows=True))
    bulk.start_job(job)
    response = jsonify(_job_json(bulk.reloaded(job)))
    response.status_code = 202
    response.headers["Location"] = url_for("api_bulk.get_job", id=job.uuid)
    return response


@bp.get("/bulk/<id>")
@token_required("bulk")
def get_job(id: str):
    """Progress of a bulk job and its rows' results.
    ---
    get:
      summary: Progress of a bulk job and each row's result (paginated)
      security: [{bearer: []}]
      parameters:
        - id
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
        - {name: per_page, in: query, schema: {type: integer, minimum: 1, maximum: 500}}
        - {name: state, in: query,
           schema: {type: string, enum: [pending, issued, skipped, invalid]}}
      responses:
        '200':
          description: The job
          content: {application/json: {schema: BulkJobSchema}}
        '404':
          description: Unknown job
          content: {application/problem+json: {schema: ProblemSchema}}
        '422': Invalid
        '401': Unauthorized
        '403': InsufficientScope
        '429': RateLimited
    """
    job = bulk.get_job(organisation(), id)
    try:
        state = BulkRowState(request.args["state"]) if request.args.get("state") else None
    except ValueError as exc:
        raise ValidationError({"state": [f"One of {[s.value for s in BulkRowState]}."]}) from exc
    per_page = min(max(request.args.get("per_page", 100, type=int), 1), 500)
    return jsonify(_job_json(job, page=request.args.get("page", 1, type=int),
                             per_page=per_page, state=state, with_rows=True))


bp.register_error_handler(ValidationError, validation_problem)

"""``POST /api/v1/verify``: verify any credential, no account needed.

Accepts a credential as JSON (``application/json`` or ``application/ld+json``;
optionally wrapped as ``{"credential": ..., "email": ...}``), a compact JWT as
``text/plain``, a raw PNG/SVG body, or a multipart upload (field ``file``,
optional ``email``). Any input that can be read as a credential gets 200
with the report, however bad the credential; input that cannot be read gets
problem+json: 400 (unreadable), 413 (too large), 415 (unsupported type).
Rate-limited per client address: the verifier is public and canonicalisation
costs CPU.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from badges.credentials.baking import BakingError
from badges.credentials.verify.inputs import InputError, parse_input, parse_json
from badges.kernel.database import read_only
from badges.kernel.errors import problem
from badges.kernel.extensions import csrf, limiter
from badges.verification import outcome as verify_outcome

bp = Blueprint("api_verify", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

JSON_TYPES = {"application/json", "application/ld+json"}
RAW_TYPES = {"text/plain", "application/jwt", "image/png", "image/svg+xml",
             "application/octet-stream"}
RATE_LIMIT = "60 per minute"


def _refused(exc: InputError | BakingError):
    status = 413 if exc.code == "too_large" else 400
    return problem(status, "Unusable input", exc.message_en, code=exc.code,
                   detail_nl=exc.message_nl)


def _too_large():
    limit = current_app.config["BADGES"]["MAX_UPLOAD_MB"]
    return problem(413, "Payload too large", f"The upload is larger than {limit} MB.",
                   code="too_large", detail_nl=f"De upload is groter dan {limit} MB.")


def _read(body: bytes) -> tuple[bytes | dict | str, str | None]:
    """The input and the optional e-mail address, by content type.

    A bare JSON credential stays the bytes that were sent (so its hash is the
    hash of exactly those bytes); a wrapped one is unwrapped.
    """
    mimetype = request.mimetype
    email = request.args.get("email")
    if mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise InputError("no_file", "Stuur het bestand in het veld 'file'.",
                             "Send the file in the field 'file'.")
        return upload.read(), request.form.get("email") or email
    if mimetype in JSON_TYPES:
        doc = parse_json(body.decode("utf-8", errors="strict") if body else "")
        if "credential" in doc and "@context" not in doc and "type" not in doc:
            inner, wrapped_email = doc["credential"], doc.get("email")
            if not isinstance(inner, dict | str):
                raise InputError("bad_json", "'credential' moet een object of een JWT zijn.",
                                 "'credential' must be an object or a JWT.")
            return inner, (wrapped_email if isinstance(wrapped_email, str) else None) or email
    return body, email


def _answer(outcome: verify_outcome.Outcome) -> Response:
    verify_outcome.notify_checked(outcome)
    response = current_app.response_class(outcome.api_json(), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/verify")
@limiter.limit(RATE_LIMIT)
@read_only
def verify():
    """Verify a credential and return the report.
    ---
    post:
      summary: Verify a credential (no account needed)
      description: >-
        Any input that can be read as a credential gets 200 with the report, however bad
        the credential. JSON may wrap it as `{"credential": ..., "email": ...}`; `?email=`
        checks the recipient.
      parameters:
        - {name: email, in: query, required: false, schema: {type: string},
           description: "The recipient's e-mail address: is the credential theirs?"}
      requestBody:
        required: true
        content:
          application/json: {schema: {type: object}}
          application/ld+json: {schema: {type: object}}
          text/plain: {schema: {type: string, description: compact VC-JWT}}
          image/png: {schema: {type: string, contentEncoding: binary}}
          image/svg+xml: {schema: {type: string}}
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, contentEncoding: binary}
                email: {type: string}
      responses:
        '200':
          description: The verification report
          content: {application/json: {schema: VerifyReportSchema}}
        '400':
          description: Unreadable input
          content: {application/problem+json: {schema: ProblemSchema}}
        '413':
          description: Too large
          content: {application/problem+json: {schema: ProblemSchema}}
        '415':
          description: Unsupported type
          content: {application/problem+json: {schema: ProblemSchema}}
        '429': RateLimited
    """
    mimetype = request.mimetype
    if mimetype not in JSON_TYPES | RAW_TYPES | {"multipart/form-data"}:
        return problem(415, "Unsupported media type",
                       "Send JSON, a JWT as text/plain, or a file as multipart/form-data.",
                       code="unsupported_type")
    # The same bytes mean different things by type (JSON unwraps {"credential": ...}):
    # an answer is remembered by how its bytes were read, and found only that way.
    reading = "json" if mimetype in JSON_TYPES else "raw"
    try:
        body = b"" if mimetype == "multipart/form-data" else request.get_data(cache=False)
        if body:  # the same bytes checked before: the answer, if nothing changed since
            known = verify_outcome.remembered(body, email=request.args.get("email"),
                                              with_local=False, reading=reading)
            if known is not None:
                return _answer(known)
        data, email = _read(body)
        if (not isinstance(data, dict) and mimetype not in JSON_TYPES) or isinstance(data, str):
            parse_input(data)  # refuse unreadable input with 4xx before verifying
    except RequestEntityTooLarge:
        return _too_large()
    except (InputError, BakingError) as exc:
        return _refused(exc)
    except UnicodeDecodeError:
        return problem(400, "Unusable input", "The body is not UTF-8 text.", code="not_text")
    # Only the body as sent is looked up by its bytes; an unwrapped credential or an
    # uploaded file is remembered apart (reading None), where no body lookup finds it.
    return _answer(verify_outcome.verify(data, email=email, source="api", with_local=False,
                                         reading=reading if data is body else None))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc: RequestEntityTooLarge):
    return _too_large()

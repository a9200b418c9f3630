"""Error handling: problem+json for the API, friendly pages for people."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import gettext as _
from marshmallow import Schema, fields
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait when the database cannot be reached.
OUTAGE_RETRY_AFTER = 30


class ServiceError(Exception):
    """A use case refused; ``message`` is shown to the user as is."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(ServiceError):
    """Several fields are wrong at once; ``errors`` maps field name → message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), code="invalid", field=next(iter(errors)))
        self.errors = errors


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class ProblemSchema(Schema):
    """What ``problem()`` sends (RFC 9457): the error shape of every API answer 4xx/5xx."""

    type = fields.String(required=True, metadata={"description": "Always about:blank."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong (English)."})
    detail_nl = fields.String(metadata={"description": "The same in Dutch, where given."})
    code = fields.String(metadata={"description": "Stable, for programs: the reason."})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "On 422: each wrong field with its messages."})


def problem(status: int, title: str, detail: str = "", **extra: Any) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/vc-api/")) or (
        request.accept_mimetypes.best == "application/json"
    )


#: An API with its own error format (the Open Badges API's Imsx_StatusInfo) answers HTTP
#: errors under its path itself, routing errors (404, 405) included: path prefix →
#: ``render(status, description)``, which may return None to leave a path to the default.
ERROR_RENDERERS: dict[str, Callable[[int, str], Response | None]] = {}


def add_error_renderer(prefix: str, render: Callable[[int, str], Response | None]) -> None:
    ERROR_RENDERERS[prefix] = render


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def handle_service_error(exc: ServiceError):
        if wants_json():
            extra: dict[str, Any] = {"code": exc.code}
            if exc.field:
                extra["errors"] = {exc.field: [exc.message]}
            return problem(exc.status, exc.code, exc.message, **extra)
        return render_template("error.html", status=exc.status, message=exc.message), exc.status

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        status = exc.code or 500
        for prefix, render in ERROR_RENDERERS.items():
            if request.path.startswith(prefix):
                answer = render(status, exc.description or exc.name)
                if answer is not None:
                    return answer
        if wants_json():
            return problem(status, exc.name, exc.description or "")
        return render_template("error.html", status=status, message=None), status

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def handle_database_outage(exc: Exception):
        """The database is down or unreachable: 503 with Retry-After, not a 500.

        The log names the error class only: SQLAlchemy's message carries the
        statement's parameters (addresses, tokens).
        """
        orig = getattr(exc, "orig", None)
        log.error("database unavailable: %s%s", type(exc).__name__,
                  f" ({type(orig).__module__}.{type(orig).__name__})" if orig is not None else "")
        # Rendering must not ask the database again (who is signed in?): treat as a visitor.
        from badges.kernel.extensions import login_manager

        g._login_user = login_manager.anonymous_user()
        if wants_json():
            response = problem(503, "Service Unavailable",
                               "The database is temporarily unavailable. Try again shortly.",
                               detail_nl="De database is tijdelijk niet bereikbaar. "
                                         "Probeer het zo opnieuw.",
                               code="unavailable")
        else:
            response = Response(render_template(
                "error.html", status=503,
                message=_("Skillspas is tijdelijk niet bereikbaar. Probeer het over een halve "
                          "minuut opnieuw; je gegevens zijn veilig.")), status=503)
        response.headers["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        response.headers["Cache-Control"] = "no-store"
        return response

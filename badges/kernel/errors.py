"""Error handling: problem+json for the API, friendly pages for people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException


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

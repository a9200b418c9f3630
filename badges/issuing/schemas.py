"""marshmallow schemas for the issuing API: requests in, named views out.

Field names are camelCase like the credentials themselves. Request schemas
raise ``ValidationError`` whose ``messages`` name the wrong field; the API
turns that into problem+json ``errors: {field: [messages]}``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from badges.issuing import rules
from badges.kernel import urls
from badges.kernel.errors import problem
from badges.kernel.models import utcnow


def rule(check: Callable[[Any], rules.Message | None]) -> Callable[[Any], None]:
    """A marshmallow validator from an issuing rule (English, like the rest of the API)."""

    def validate(value: Any) -> None:
        problem = check(value)
        if problem is not None:
            raise ValidationError(problem.en)

    return validate


def _text(limit: int, check: Callable[[Any], rules.Message | None], **kwargs: Any) -> fields.String:
    return fields.String(load_default=None, validate=rule(check),
                         metadata={"maxLength": limit, **kwargs.pop("metadata", {})}, **kwargs)


class EndOfDayOrDateTime(fields.Field):
    """``2030-12-31`` (valid through that day, UTC) or an ISO datetime with a zone."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise ValidationError("Not a date.")
        try:
            if len(value) == 10:
                return rules.end_of_day(date.fromisoformat(value))
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationError("Use YYYY-MM-DD or an ISO 8601 datetime.") from exc
        if parsed.tzinfo is None:
            raise ValidationError("Give a time zone (e.g. Z).")
        return parsed.astimezone(UTC)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return value.isoformat() if value else None


class Email(fields.String):
    """An address as it is stored: without spaces, in lower case (``rules.normalise_email``)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return rules.normalise_email(super()._deserialize(value, attr, data, **kwargs))


class RecipientSchema(Schema):
    email = Email(required=True, validate=rule(rules.email_problem),
                  metadata={"format": "email", "maxLength": rules.EMAIL_MAX})
    name = _text(rules.NAME_MAX, partial(rules.name_problem, required=False))


class EvidenceSchema(Schema):
    url = _text(rules.EVIDENCE_URL_MAX, rules.evidence_url_problem, metadata={
        "format": "uri", "description": "http or https"})
    narrative = _text(rules.NARRATIVE_MAX, rules.narrative_problem)
    name = fields.String(load_default=None, validate=validate.Length(max=200))
    genre = fields.String(load_default=None, validate=validate.Length(max=100))


class ResultSchema(Schema):
    value = _text(rules.RESULT_MAX, rules.result_value_problem)
    status = fields.String(load_default=None, validate=rule(rules.result_status_problem),
                           metadata={"enum": [*rules.RESULT_STATUSES, None]})


class IssueCredentialSchema(Schema):
    """``POST /api/v1/credentials``; the rules are issuing/rules.py, shared with the form and CSV."""

    achievement = fields.String(required=True, metadata={
        "description": "The achievement's id (uuid) or its URL; published, of your organisation."})
    recipient = fields.Nested(RecipientSchema, required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), load_default=list,
                           validate=validate.Length(max=20))
    result = fields.Nested(ResultSchema, load_default=dict)
    assessor = _text(rules.ASSESSOR_MAX, rules.assessor_problem)
    source = fields.String(load_default=None, validate=validate.Length(max=80), metadata={
        "description": "Slug of the assessing organisation; only one that agreed to be named "
                       "by you (on its settings page)."})
    partner = fields.String(load_default=None, validate=validate.Length(max=80), metadata={
        "description": "Slug of an organisation to issue together with (co-issuing): nothing is "
                       "signed yet; the answer is 202 with the request, and the credential is "
                       "issued, signed by both organisations, once the partner agrees in its "
                       "workspace."})
    validUntil = EndOfDayOrDateTime(
        load_default=None, validate=rule(lambda moment: rules.valid_until_problem(moment, utcnow())),
        metadata={"type": "string", "description": "YYYY-MM-DD or ISO 8601 datetime; in the future"})
    period = fields.String(load_default="", validate=rule(rules.period_problem), metadata={
        "maxLength": rules.PERIOD_MAX,
        "description": "One credential per recipient × achievement × period, e.g. 2026-P1."})


class StateChangeSchema(Schema):
    """``POST /api/v1/credentials/<id>/revoke|suspend|reinstate``."""

    reason = fields.String(load_default="", validate=validate.Length(max=500))


class CredentialSchema(Schema):
    """An issued credential as its issuer sees it (views: ``summary``, ``full``)."""

    id = fields.String(attribute="uuid")
    url = fields.Function(lambda c: urls.credential_url(c.uuid))
    state = fields.Function(lambda c: c.state.value)
    stateReason = fields.String(attribute="state_reason", allow_none=True)
    issuedAt = fields.DateTime(attribute="issued_at")
    validUntil = fields.DateTime(attribute="valid_until", allow_none=True)
    achievement = fields.Function(lambda c: c.achievement.uuid)
    recipient = fields.Function(lambda c: {"email": c.recipient_email, "name": c.recipient_name})
    credential = fields.Dict(attribute="document", metadata={
        "description": "The signed OpenBadgeCredential (Data Integrity proof)."})


CREDENTIAL_VIEWS = {
    "summary": ("id", "url", "state", "stateReason", "issuedAt", "validUntil", "achievement",
                "recipient"),
    "full": tuple(CredentialSchema._declared_fields),
}


def credential_schema(view: str = "full") -> CredentialSchema:
    return CredentialSchema(only=CREDENTIAL_VIEWS[view])


class CountsSchema(Schema):
    total = fields.Integer()
    valid = fields.Integer()
    invalid = fields.Integer()
    issued = fields.Integer()
    skipped = fields.Integer()
    pending = fields.Integer()


class RowErrorSchema(Schema):
    field = fields.String()
    message = fields.String()


class BulkRowSchema(Schema):
    line = fields.Integer()
    state = fields.String()
    errors = fields.List(fields.Nested(RowErrorSchema))
    credential = fields.String(allow_none=True, metadata={"description": "credential id"})


class BulkJobSchema(Schema):
    """A bulk job; ``rows`` appear on ``GET /api/v1/bulk/<id>`` (paginated)."""

    id = fields.String()
    # interrupted: its process died (no Redis); the issuer resumes it on the bulk page
    # or an operator with `badges jobs requeue`
    state = fields.String(metadata={"enum": ["preview", "queued", "running", "interrupted",
                                             "done", "failed"]})
    counts = fields.Nested(CountsSchema)
    progress = fields.Integer()
    error = fields.String(allow_none=True)
    rows_url = fields.String()
    page = fields.Integer()
    pages = fields.Integer()
    next = fields.String(allow_none=True)
    rows = fields.List(fields.Nested(BulkRowSchema))


def validation_problem(exc: ValidationError):
    """422 problem+json naming each wrong field: ``errors: {field: [messages]}``."""
    messages = exc.messages if isinstance(exc.messages, dict) else {"_body": exc.messages}
    return problem(422, "Invalid request", "Some fields are wrong; see errors.",
                   code="invalid", errors=messages)

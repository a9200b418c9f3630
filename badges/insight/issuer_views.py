"""The issuer's figures: ``/issuer/<slug>/cijfers`` (page, CSV, Excel) and ``GET /api/v1/stats``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request

from badges.catalogue import achievements as catalogue
from badges.catalogue.labels import KIND_LABELS
from badges.catalogue.models import AchievementKind
from badges.insight import dashboard, exports
from badges.insight.dashboard import SHOWN, Period
from badges.kernel.errors import problem
from badges.organisations import api_auth
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import org_route

api_bp = Blueprint("insight_api", __name__, url_prefix="/api/v1")


def _query() -> tuple[Period, str | None, str | None]:
    period = Period.parse(request.args.get("from"), request.args.get("to"),
                          request.args.get("granularity"))
    kind = request.args.get("kind") or None
    if kind and kind not in {k.value for k in AchievementKind}:
        raise ValueError("unknown kind")
    return period, request.args.get("achievement") or None, kind


def _chart(figures: dashboard.Figures) -> list[dict[str, Any]]:
    largest = max([r.get("issued") for r in figures.series] + [1])
    return [{"label": r.label, "issued": r.get("issued"), "claimed": r.get("claimed"),
             "issued_width": round(100 * r.get("issued") / largest, 1),
             "claimed_width": round(100 * r.get("claimed") / largest, 1)} for r in figures.series]


@org_route("/cijfers", Role.VIEWER)
def insight_dashboard(org: Organisation, member: Membership):
    """Issued, claimed, shared, viewed, checked, revoked and expired; per achievement and over time."""
    try:
        period, achievement, kind = _query()
    except ValueError:
        abort(400)
    figures = dashboard.figures(org, period, achievement_uuid=achievement, kind=kind)
    fmt = request.args.get("format")
    if fmt in ("csv", "xlsx"):
        which = request.args.get("table", "achievements")
        if which not in ("achievements", "series"):
            abort(404)
        header, body = exports.table(figures, which)
        name = f"{org.slug}-{which}-{period.start}-{period.end}"
        if fmt == "csv":
            data, mimetype = exports.as_csv(header, body), "text/csv"
        else:
            data = exports.as_xlsx(which, header, body)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = Response(data, mimetype=mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
    if fmt:
        abort(404)
    return render_template("insight/issuer_dashboard.html", org=org, member=member, figures=figures,
                           chart=_chart(figures), labels=exports.metric_labels(), shown=SHOWN,
                           achievements=catalogue.current_of(org), kinds=KIND_LABELS,
                           AchievementKind=AchievementKind, selected_achievement=achievement,
                           selected_kind=kind)


@api_bp.get("/stats")
@api_auth.token_required("read")
def stats():
    """An organisation's figures, with its sub-units.
    ---
    get:
      summary: Figures per achievement and period (issued, claimed, shared, viewed, verified, ...)
      security: [{bearerAuth: []}]
      parameters:
        - {in: query, name: from, schema: {type: string, format: date}}
        - {in: query, name: to, schema: {type: string, format: date}}
        - {in: query, name: granularity, schema: {type: string, enum: [month, week]}}
        - {in: query, name: achievement, schema: {type: string}, description: an achievement's uuid}
        - {in: query, name: kind, schema: {type: string}}
      responses:
        200: {description: "totals, per achievement and per period"}
        400: {description: bad parameters (problem details)}
        401: {description: no or unknown token}
    """
    try:
        period, achievement, kind = _query()
    except ValueError as exc:
        return problem(400, "Bad parameters", str(exc), code="bad_parameters")
    org = api_auth.organisation()
    figures = dashboard.figures(org, period, achievement_uuid=achievement, kind=kind)
    return jsonify(
        organisation=org.slug, units=[u.slug for u in figures.units],
        period={"from": period.start.isoformat(), "to": period.end.isoformat(),
                "granularity": period.granularity},
        totals=figures.total.as_dict() | {"key": None, "label": None},
        achievements=[{**row.as_dict(), "achievement": row.key} for row in figures.achievements],
        periods=[{**row.as_dict(), "period": row.key} for row in figures.series])


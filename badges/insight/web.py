"""``/statistieken``: the region's open figures, as charts with tables, CSV and JSON. No login."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_babel import gettext as _

from badges.insight import disclosure, regional
from badges.insight.disclosure import Cell, Table
from badges.kernel import spreadsheet

bp = Blueprint("insight", __name__)

HIDDEN = "x"  # as Statistics Netherlands (CBS) marks a figure kept secret


def _cell(cell: Cell) -> int | None:
    return cell.shown


def _table_json(stats: regional.Statistics, dimension: str, table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": str(regional.DIMENSIONS[dimension]),
        "rows": [{"key": key, "label": stats.labels[dimension][key],
                  "quarters": dict(zip(stats.quarters, [_cell(c) for c in cells], strict=True)),
                  "total": _cell(total)}
                 for key, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)],
    }
    if dimension not in regional.NO_COLUMN_TOTALS:
        out["quarter_totals"] = dict(zip(stats.quarters, [_cell(c) for c in table.column_totals],
                                         strict=True))
        out["total"] = _cell(table.total)
    return out


def _method() -> dict[str, Any]:
    return {"unit": "credentials (not revoked), by the quarter they were earned",
            "min_learners_per_cell": disclosure.MIN_LEARNERS, "rounded_to": disclosure.ROUND_TO,
            "hidden": None, "secondary_suppression": True}


def _csv(stats: regional.Statistics, dimension: str) -> Response:
    table = stats.tables[dimension]
    out = io.StringIO()
    writer = spreadsheet.writer(out, delimiter=";")  # skill names come from issuers
    writer.writerow([str(regional.DIMENSIONS[dimension]), *stats.quarters, _("Totaal")])
    for key, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
        writer.writerow([stats.labels[dimension][key],
                         *[HIDDEN if c.hidden else c.shown for c in [*cells, total]]])
    if dimension not in regional.NO_COLUMN_TOTALS:
        writer.writerow([_("Totaal"), *[HIDDEN if c.hidden else c.shown
                                        for c in [*table.column_totals, table.total]]])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="statistieken-{dimension}.csv"'
    return response


def _chart(stats: regional.Statistics, dimension: str) -> list[dict[str, Any]]:
    """Bars for the row totals: a width in percent, or none when the figure is hidden."""
    table = stats.tables[dimension]
    values = [t.shown for t in table.row_totals]
    largest = max([v for v in values if v] or [1])
    return [{"label": stats.labels[dimension][key], "value": value,
             "width": round(100 * value / largest, 1) if value else 0}
            for key, value in zip(table.rows, values, strict=True)]


@bp.get("/statistieken")
def statistics() -> Any:
    stats = regional.regional()
    fmt = request.args.get("format", "html")
    if fmt == "json":
        response = jsonify(quarters=stats.quarters, method=_method(),
                           tables={dim: _table_json(stats, dim, table)
                                   for dim, table in stats.tables.items()})
        response.headers["Access-Control-Allow-Origin"] = "*"  # open data
        return response
    if fmt == "csv":
        dimension = request.args.get("table", "")
        if dimension not in stats.tables:
            abort(404)
        return _csv(stats, dimension)
    if fmt != "html":
        abort(404)
    return render_template("insight/statistics.html", stats=stats, dimensions=regional.DIMENSIONS,
                           no_column_totals=regional.NO_COLUMN_TOTALS, chart=_chart,
                           min_learners=disclosure.MIN_LEARNERS, round_to=disclosure.ROUND_TO)

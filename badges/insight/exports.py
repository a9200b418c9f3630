"""The dashboard's tables as rows, and those rows as CSV or Excel (openpyxl)."""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook

from badges.insight.dashboard import SHOWN, Figures, Row
from badges.kernel import spreadsheet
from badges.kernel.spreadsheet import safe_cell


def metric_labels() -> dict[str, str]:
    return {"issued": _("Uitgegeven"), "claimed": _("Opgehaald"), "shared": _("Gedeeld"),
            "viewed": _("Bekeken"), "verified": _("Gecontroleerd"), "revoked": _("Ingetrokken"),
            "suspended": _("Geschorst"), "expired": _("Verlopen")}


def table(figures: Figures, which: str) -> tuple[list[str], list[list[Any]]]:
    labels = metric_labels()
    first = _("Prestatie") if which == "achievements" else _("Periode")
    header = [first, *[labels[m] for m in SHOWN], _("Ophaalpercentage"), _("Dagen tot ophalen")]
    rows: list[Row] = figures.achievements if which == "achievements" else figures.series
    body = [[row.label, *[row.get(m) for m in SHOWN], row.claim_rate, row.days_to_claim]
            for row in rows]
    return header, body


def _safe(value: Any) -> Any:
    """Text a spreadsheet will not run as a formula (achievement names come from issuers)."""
    return "" if value is None else safe_cell(value)


def as_csv(header: list[str], body: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = spreadsheet.writer(out, delimiter=";")  # formula cells escaped; None is empty
    writer.writerow(header)
    writer.writerows(body)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads it as UTF-8


def as_xlsx(title: str, header: list[str], body: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(header)
    for row in body:
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

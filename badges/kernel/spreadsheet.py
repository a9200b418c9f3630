"""CSV files we hand out, safe to open in a spreadsheet.

A cell that starts with ``= + - @`` (or a tab or carriage return, which some
spreadsheets skip before reading one of those) is read by Excel and LibreOffice
as a formula: a learner's name ``=HYPERLINK(...)`` in a problems file would run
on the issuer's machine (CSV injection, OWASP). Such cells get a leading ``'``,
which spreadsheets show as text and hide. Every CSV we produce goes through
:func:`writer`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` that escapes formula cells; only ``writerow``/``writerows``."""

    def __init__(self, out: TextIO, **fmt: Any) -> None:
        self._writer = csv.writer(out, **fmt)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: TextIO, **fmt: Any) -> SafeWriter:
    """A CSV writer for files people open in a spreadsheet (same options as ``csv.writer``)."""
    return SafeWriter(out, **fmt)

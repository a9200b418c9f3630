"""Statistical disclosure control for published tables (plain Python, no Flask, no database).

The method, as ``/statistieken`` explains it to readers:

1. **Primary suppression**: a cell (and a row, column or grand total) that stands for fewer than
   ``MIN_LEARNERS`` different learners is not shown.
2. **Secondary suppression**: counts add up to their row and column totals, so a single hidden
   cell in a row or column could be recomputed by subtraction. Wherever a row or column holds
   exactly one hidden cell, the smallest other shown cell in it (not zero: a zero hides nobody)
   is hidden too, repeated until no row or column has a lone hidden cell. When no such cell is
   left, the total is hidden instead.
3. **Rounding**: every shown count is rounded to the nearest multiple of ``ROUND_TO``, totals
   independently (so shown cells need not add up to the shown total exactly).

Counts are of credentials; the threshold is on learners, because one learner can hold several
credentials in one cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_LEARNERS = 10
ROUND_TO = 5


@dataclass
class Cell:
    count: int  # credentials (additive)
    learners: int  # different learners (not additive)
    hidden: bool = False
    primary: bool = False  # hidden because of its own size, not to protect another cell

    @property
    def shown(self) -> int | None:
        return None if self.hidden else round_count(self.count)


@dataclass
class Table:
    """Rows × columns of cells, with row totals, column totals and a grand total."""

    rows: list[str]
    columns: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    notes: list[str] = field(default_factory=list)


def round_count(value: int) -> int:
    """Nearest multiple of ROUND_TO, halves up (12 → 10, 13 → 15, 0 stays 0)."""
    return int((value + ROUND_TO / 2) // ROUND_TO * ROUND_TO)


def build(rows: list[str], columns: list[str],
          counts: dict[tuple[str, str], tuple[int, set[str]]],
          row_learners: dict[str, set[str]] | None = None,
          column_learners: dict[str, set[str]] | None = None,
          all_learners: set[str] | None = None) -> Table:
    """A protected table from ``(row, column) → (credentials, learner keys)``.

    Learner keys are only counted, never kept in the result. Marginal learner sets default to
    the union of the cells' sets.
    """
    def cell(row: str, column: str) -> Cell:
        count, learners = counts.get((row, column), (0, set()))
        return Cell(count, len(learners))

    def union(keys: list[tuple[str, str]]) -> set[str]:
        out: set[str] = set()
        for key in keys:
            out |= counts.get(key, (0, set()))[1]
        return out

    cells = [[cell(r, c) for c in columns] for r in rows]
    row_totals = [Cell(sum(x.count for x in cells[i]),
                       len((row_learners or {}).get(r) or union([(r, c) for c in columns])))
                  for i, r in enumerate(rows)]
    column_totals = [Cell(sum(cells[i][j].count for i in range(len(rows))),
                          len((column_learners or {}).get(c) or union([(r, c) for r in rows])))
                     for j, c in enumerate(columns)]
    everyone = all_learners if all_learners is not None else union(list(counts))
    table = Table(rows, columns, cells, row_totals, column_totals,
                  Cell(sum(t.count for t in row_totals), len(everyone)))
    protect(table)
    return table


def _primary(cell: Cell) -> None:
    if cell.count > 0 and cell.learners < MIN_LEARNERS:
        cell.hidden = cell.primary = True


def _protect_line(interior: list[Cell], total: Cell) -> bool:
    """Hide one more cell when the line (interior + total) has exactly one hidden cell."""
    line = [*interior, total]
    if sum(c.hidden for c in line) != 1:
        return False
    candidates = [c for c in interior if not c.hidden and c.count > 0]
    if candidates:
        min(candidates, key=lambda c: c.count).hidden = True
    elif not total.hidden:
        total.hidden = True
    else:  # the one hidden cell is the total and every other cell is zero: nothing to protect
        return False
    return True


def protect(table: Table) -> None:
    """Apply primary, then secondary suppression in place (see the module's docstring)."""
    for row in table.cells:
        for cell in row:
            _primary(cell)
    for cell in [*table.row_totals, *table.column_totals, table.total]:
        _primary(cell)
    changed = True
    while changed:
        changed = False
        for i, row in enumerate(table.cells):
            changed |= _protect_line(row, table.row_totals[i])
        for j in range(len(table.columns)):
            column = [table.cells[i][j] for i in range(len(table.rows))]
            changed |= _protect_line(column, table.column_totals[j])
        # The totals form a line of their own: row totals add up to the grand total.
        changed |= _protect_line(table.row_totals, table.total)
        changed |= _protect_line(table.column_totals, table.total)

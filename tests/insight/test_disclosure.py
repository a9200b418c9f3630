"""Disclosure control: primary suppression under 10 learners, complementary suppression, rounding."""

from __future__ import annotations

from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from badges.insight.disclosure import MIN_LEARNERS, build, round_count


def learners(n: int, prefix: str) -> set[str]:
    return {f"{prefix}-{i}" for i in range(n)}


def one_credential_each(sizes: dict[tuple[str, str], int]) -> dict:
    return {key: (n, learners(n, "-".join(key))) for key, n in sizes.items()}


def test_nine_learners_are_hidden_ten_are_shown():
    table = build(["a", "b", "c"], ["q1"], one_credential_each({("a", "q1"): 9, ("b", "q1"): 10,
                                                               ("c", "q1"): 40}))
    a, b, c = (row[0] for row in table.cells)
    assert a.hidden and a.primary
    assert not c.hidden and c.shown == 40
    # a alone hidden in the column would be total - b - c: b (the smallest other) goes too.
    assert b.hidden and not b.primary
    assert table.column_totals[0].shown == 60  # 59 rounded to 5


def test_a_lone_hidden_cell_in_a_row_takes_its_smallest_neighbour_along():
    sizes = {("zorg", "q1"): 3, ("zorg", "q2"): 25, ("zorg", "q3"): 12,
             ("bouw", "q1"): 30, ("bouw", "q2"): 30, ("bouw", "q3"): 30,
             ("ict", "q1"): 30, ("ict", "q2"): 30, ("ict", "q3"): 30}
    table = build(["zorg", "bouw", "ict"], ["q1", "q2", "q3"], one_credential_each(sizes))
    zorg = table.cells[0]
    assert zorg[0].hidden and zorg[0].primary
    assert zorg[2].hidden and not zorg[2].primary  # 12 < 25: the smallest other cell
    assert not zorg[1].hidden
    # Column q1 and q3 now each hold one hidden cell: each gets a complement.
    for j in (0, 2):
        column = [table.cells[i][j] for i in range(3)]
        assert sum(c.hidden for c in column) >= 2


def test_no_row_or_column_ever_has_exactly_one_hidden_cell():
    sizes = {(r, c): n for (r, c), n in zip(product("abcd", ["q1", "q2", "q3"]),
                                          [1, 50, 12, 40, 9, 33, 15, 15, 15, 60, 2, 11], strict=True)}
    table = build(list("abcd"), ["q1", "q2", "q3"], one_credential_each(sizes))
    assert_no_lone_hidden(table)


def assert_no_lone_hidden(table) -> None:
    for i, row in enumerate(table.cells):
        assert sum(c.hidden for c in [*row, table.row_totals[i]]) != 1, i
    for j in range(len(table.columns)):
        column = [table.cells[i][j] for i in range(len(table.rows))]
        assert sum(c.hidden for c in [*column, table.column_totals[j]]) != 1, j
    assert sum(c.hidden for c in [*table.row_totals, table.total]) != 1
    assert sum(c.hidden for c in [*table.column_totals, table.total]) != 1


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=6, max_size=6))
def test_property_every_small_cell_is_hidden_and_none_alone(sizes):
    keys = list(product(["x", "y"], ["q1", "q2", "q3"]))
    table = build(["x", "y"], ["q1", "q2", "q3"], one_credential_each(dict(zip(keys, sizes, strict=True))))
    for row in table.cells:
        for cell in row:
            if 0 < cell.learners < MIN_LEARNERS:
                assert cell.hidden
    assert_no_lone_hidden(table)


def test_zero_is_shown_and_protects_nobody():
    table = build(["a", "b"], ["q1"], one_credential_each({("a", "q1"): 0, ("b", "q1"): 20}))
    assert table.cells[0][0].shown == 0 and table.cells[1][0].shown == 20


def test_rounding_to_five():
    assert [round_count(n) for n in (0, 10, 12, 13, 17, 18, 1234)] == [0, 10, 10, 15, 15, 20, 1235]

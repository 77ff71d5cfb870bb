"""Fragments of one curve are joined across a gap their ends' tangents agree on, across a
label the curve bends behind, and without the overlap a leader arrow's head made."""

from dataclasses import replace

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.linking import link_fragments
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import traced_curve as _curve

_SHAPE = (100, 200)


def _scale(max_link: int, overlap: int, min_piece: int = 0, columns: int = _SHAPE[1]) -> PlotScale:
    """A plot of lines 2 px wide (ends 2.5 px apart meet) whose fragments link across gaps
    up to ``max_link`` columns, overlap up to ``overlap`` and hide ``min_piece`` long pieces
    behind labels."""
    settings = replace(
        TRACKING,
        max_link_fraction=max_link / columns,
        max_gap_fraction=0.0,
        min_gap_columns=overlap,
        min_own_fraction=min_piece / columns,
    )
    return PlotScale(2.0, None, columns, _SHAPE[0], settings)


def test_fragments_a_leader_arrow_split_are_joined_without_the_barbs() -> None:
    # An arrow's head touches a straight curve at column 100: the track from the left turns
    # into one barb, the one from the right comes out of the other.
    columns = np.arange(_SHAPE[1])
    rows = 80.0 - 0.2 * columns
    ones = np.ones(columns.size, dtype=np.int64)
    head, tail = columns < 108, columns >= 94
    head_rows = np.where(columns > 100, rows + (columns - 100), rows)[head]
    tail_rows = np.where(columns < 100, rows + (100 - columns), rows)[tail]
    left = _curve(columns[head], head_rows, ones[head])
    right = _curve(columns[tail], tail_rows, ones[tail])
    linked = link_fragments([left, right], _scale(60, 20))
    assert len(linked) == 1
    (curve,) = linked
    np.testing.assert_allclose(curve.middle, rows[curve.column])
    assert curve.column[0] == 0
    assert curve.column[-1] == _SHAPE[1] - 1


def test_fragments_are_linked_along_the_stretch_past_a_bend_before_the_gap() -> None:
    # A curve turns steep 20 columns before a label cuts it: the end's slope is that of the
    # steep stretch, not an average with the flat part before it.
    lone = np.ones(200, dtype=np.int64)
    head_columns, tail_columns = np.arange(0, 100), np.arange(120, 170)
    head_rows = np.where(head_columns < 80, 95.0, 95.0 - (head_columns - 80))
    head = _curve(head_columns, head_rows, lone[:100])
    tail = _curve(tail_columns, 75.0 - (tail_columns - 100), lone[:50])
    assert len(link_fragments([head, tail], _scale(70, 0))) == 1


def _pieces_around_a_label(
    rows: np.ndarray, gap: tuple[int, int]
) -> tuple[list[TracedCurve], np.ndarray]:
    """The curve ``rows`` (one per column of a 400-column plot) less the columns ``gap``
    hides, and where the label hiding them lies."""
    columns = np.arange(rows.size)
    lone = np.ones(rows.size, dtype=np.int64)
    parts = [columns < gap[0], columns >= gap[1]]
    pieces = [_curve(columns[part], rows[part], lone[part]) for part in parts]
    label = np.zeros((300, rows.size), dtype=bool)
    label[:, gap[0] - 5 : gap[1] + 5] = True
    return pieces, label


def test_a_curve_bending_behind_a_label_is_joined_across_it() -> None:
    columns = np.arange(400, dtype=np.float64)
    pieces, label = _pieces_around_a_label(150 - 0.8 * columns + 0.0015 * columns**2, (150, 220))
    assert len(link_fragments(pieces, _scale(140, 0))) == 2
    assert len(link_fragments(pieces, _scale(140, 0, 40), label)) == 1


def test_a_curve_levelling_off_behind_a_label_is_joined_across_it() -> None:
    columns = np.arange(400, dtype=np.float64)
    pieces, label = _pieces_around_a_label(np.maximum(200 - 0.5 * columns, 99.0), (200, 260))
    assert len(link_fragments(pieces, _scale(140, 0))) == 2
    assert len(link_fragments(pieces, _scale(140, 0, 40), label)) == 1


def test_a_sloping_tangent_carried_far_behind_labels_joins_nothing() -> None:
    # Two labels side by side hide 200 columns: the right piece's tangent, 60 rows off the
    # left piece's level over the gap, happens to meet its end.
    columns = np.arange(400, dtype=np.float64)
    rows = np.where(columns < 100, 100.0, 100.0 + 0.3 * (columns - 100))
    pieces, label = _pieces_around_a_label(rows, (100, 300))
    assert len(link_fragments(pieces, _scale(250, 0, 40), label)) == 2


def test_with_the_budget_spent_fragments_are_returned_as_they_are() -> None:
    columns = np.arange(400, dtype=np.float64)
    pieces, _ = _pieces_around_a_label(100.0 + 0.1 * columns, (150, 160))
    assert len(link_fragments(pieces, _scale(140, 0))) == 1
    assert len(link_fragments(pieces, _scale(140, 0), budget=Budget(-1.0))) == 2


def test_thousands_of_specks_leave_a_curve_through_them_whole() -> None:
    rng = np.random.default_rng(3)
    specks = []
    for _ in range(3000):
        start, row = int(rng.integers(0, 1900)), float(rng.uniform(0, 1400))
        length = int(rng.integers(2, 8))
        specks.append(_curve(np.arange(start, start + length), np.full(length, row)))
    columns = np.arange(2000)
    rows = 700.0 + 0.2 * columns
    halves = [columns < 1000, columns >= 1010]
    curve = [_curve(columns[half], rows[half]) for half in halves]
    linked = link_fragments(specks + curve, _scale(700, 40, columns=2000))
    longest = max(linked, key=lambda c: c.span)
    assert longest.span == 2000
    np.testing.assert_allclose(longest.middle, rows[longest.column])


def test_pieces_of_a_curve_cut_by_a_dense_grid_are_joined_across_its_erased_bands() -> None:
    # At low resolution a dense log grid's lines fuse into bands wider than the pieces of
    # curve left between them: the gaps count only the columns grid removal left alone.
    columns = np.arange(_SHAPE[1])
    bands = (columns // 20) % 2 == 1
    pieces = []
    for start in range(0, _SHAPE[1], 40):
        piece = columns[start : start + 20][5:15]
        pieces.append(_curve(piece, 80.0 - 0.2 * piece, np.ones(piece.size, dtype=np.int64)))
    assert len(link_fragments(pieces, _scale(60, 0))) == len(pieces)
    (linked,) = link_fragments(pieces, _scale(60, 0), grid_columns=bands)
    assert linked.column[0] == 5 and linked.column[-1] == 174

"""Curves repeating others are dropped, except a bundle's curve told apart only at the
frame's edge."""

from dataclasses import replace

import numpy as np

from graphq.digitizer.tracking.duplicates import drop_duplicates, drop_redundant
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import straight_curve as _line
from tests.digitizer.curves import traced_curve as _curve

_SHAPE = (100, 200)
_ROW = 50.0
# Lines a pixel wide (a curve within 0.75 px of another lies on it); a curve must leave the
# kept ones for 40 columns, or for 10 from the frame's edge.
_SCALE = PlotScale(
    1.0,
    None,
    _SHAPE[1],
    _SHAPE[0],
    replace(TRACKING, min_own_fraction=0.2, min_edge_own_fraction=0.05),
)


def _flat() -> TracedCurve:
    """The kept curve: flat across the whole plot, seen alone everywhere."""
    columns = np.arange(_SHAPE[1])
    return _curve(columns, np.full(columns.size, _ROW), np.ones(columns.size, dtype=np.int64))


def _fanning_in(first: int, apart: int) -> TracedCurve:
    """A curve from ``first`` to the right edge, rising onto the flat curve over its first
    ``apart`` columns (alone there) and lying on it from then on (sharing its runs)."""
    columns = np.arange(first, _SHAPE[1])
    rows = _ROW + np.maximum(0, first + apart - columns).astype(np.float64)
    shared = np.where(rows == _ROW, 2, 1)
    return _curve(columns, rows, shared)


def _kept(curve: TracedCurve) -> int:
    return len(drop_duplicates([_flat(), curve], _SCALE))


def test_a_curve_told_apart_only_at_the_frame_edge_is_kept() -> None:
    assert _kept(_fanning_in(first=0, apart=20)) == 2


def test_a_curve_apart_only_where_it_starts_inside_the_plot_is_dropped() -> None:
    assert _kept(_fanning_in(first=60, apart=20)) == 1


def test_a_curve_apart_at_the_frame_edge_for_too_few_columns_is_dropped() -> None:
    assert _kept(_fanning_in(first=0, apart=6)) == 1


def test_a_curve_told_apart_from_just_inside_the_erased_frame_line_is_kept() -> None:
    assert _kept(_fanning_in(first=3, apart=20)) == 2


def test_a_curve_leaving_a_bundle_for_the_top_edge_is_kept() -> None:
    # The highest output curve: on the flat curve up to column 104, then steeply up to the
    # frame's top edge within 16 columns, far fewer than a curve must run apart inside.
    columns = np.arange(121)
    rows = np.where(columns < 105, _ROW, _ROW - 50.0 * (columns - 104) / 16.0)
    shared = np.where(columns < 105, 2, 1)
    assert _kept(_curve(columns, rows, shared)) == 2


def test_a_piece_kept_before_its_whole_curve_gives_way_to_it() -> None:
    # The whole curve lies on the flat one for 80 columns, then climbs away from it; it
    # divided its runs with a duplicate track all along, so the piece of it after the
    # bundle, seen alone, ranks before it.
    columns = np.arange(_SHAPE[1])
    rows = np.where(columns < 80, _ROW, _ROW - 0.25 * (columns - 80))
    whole = _curve(columns, rows, np.full(columns.size, 2, dtype=np.int64))
    after = columns >= 80
    piece = _curve(columns[after], rows[after], np.ones(int(after.sum()), dtype=np.int64))
    kept = drop_duplicates([_flat(), piece, whole], _SCALE)
    assert len(kept) == 2 and kept[-1] is whole


def test_a_track_crossing_over_from_one_curve_to_another_is_dropped_once_both_are_known() -> None:
    # The track follows the upper curve, runs down a leader arrow over 20 columns and follows
    # the lower curve; it was seen alone where the curves shared runs with it, so it ranks
    # first and each curve leaves it for long enough to be kept after it.
    columns = np.arange(_SHAPE[1])
    upper = _line(30.0, 0.0, columns, lone=False)
    lower = _line(70.0, 0.0, columns, lone=False)
    rows = np.clip(30.0 + 2.0 * (columns - 90), 30.0, 70.0)
    across = _curve(columns, rows, np.ones(columns.size, dtype=np.int64))
    curves = [upper, lower, across]
    assert len(drop_duplicates(curves, _SCALE)) == 3
    assert drop_redundant(curves, _SCALE) == [upper, lower]


# The same plot with tick labels 4 px tall measured: an end inside the plot rising or falling
# by at most 10 px is a label's.
_GLYPH_SCALE = replace(_SCALE, text_px=4.0)


def _veering(rise: float) -> TracedCurve:
    """A track from the left frame edge lying on the flat curve for 130 columns (sharing its
    runs), then apart from it, alone, for 40 columns: 6 px above it and rising ``rise`` px
    more, to an end inside the plot (column 169), where the flat curve runs on."""
    columns = np.arange(170)
    apart = columns >= 130
    rows = np.where(apart, _ROW - 6.0 - rise * (columns - 130) / 39.0, _ROW)
    return _curve(columns, rows, np.where(apart, 1, 2))


def test_a_copy_veering_off_into_a_label_inside_the_plot_is_dropped() -> None:
    assert len(drop_duplicates([_flat(), _veering(rise=2.0)], _GLYPH_SCALE)) == 1


def test_a_curve_fanning_out_of_a_bundle_to_an_end_inside_the_plot_is_kept() -> None:
    assert len(drop_duplicates([_flat(), _veering(rise=30.0)], _GLYPH_SCALE)) == 2


def test_a_curve_leaving_another_to_end_with_it_inside_the_plot_is_kept() -> None:
    # Both curves of a family end at column 172 (their data stops there): the second one
    # leaves the first for its last 40 columns, as flat as a label, but is no copy veering off.
    host = _flat().part(slice(0, 173))
    assert len(drop_duplicates([host, _veering(rise=2.0)], _GLYPH_SCALE)) == 2


def test_without_a_measured_glyph_height_no_end_is_taken_for_a_labels() -> None:
    assert len(drop_duplicates([_flat(), _veering(rise=2.0)], _SCALE)) == 2


def test_a_curve_drawn_twice_a_line_width_apart_is_dropped_as_a_copy() -> None:
    # Lines a pixel wide touch within 0.75 px; 1.5 px apart the copy runs beside the curve.
    columns = np.arange(_SHAPE[1])
    curve = _line(_ROW, 0.1, columns, lone=True)
    copy = _line(_ROW + 1.5, 0.1, columns[:190], lone=False)
    assert drop_redundant([curve, copy], _SCALE) == [curve]


def test_curves_running_beside_each_other_only_part_of_the_way_are_both_kept() -> None:
    # The second curve runs 1.5 px from the first up to column 140, then falls away.
    columns = np.arange(_SHAPE[1])
    curve = _line(_ROW, 0.0, columns, lone=True)
    rows = _ROW + 1.5 + np.maximum(0, columns - 140).astype(np.float64)
    other = _curve(columns, rows, np.ones(columns.size, dtype=np.int64))
    assert drop_redundant([curve, other], _SCALE) == [curve, other]


def test_curves_sharing_one_stroke_most_of_the_way_are_not_copies() -> None:
    # Converging curves: on the first one up to column 140, 1.5 px from it up to 190, apart
    # after; beside it over 95 % of the columns, but touching it over 70 %.
    columns = np.arange(_SHAPE[1])
    curve = _line(_ROW, 0.0, columns, lone=True)
    rows = _ROW + np.where(columns < 140, 0.0, 1.5) + np.maximum(0, columns - 190) * 2.0
    other = _curve(columns, rows, np.where(columns < 140, 2, 1))
    assert drop_redundant([curve, other], _SCALE) == [curve, other]

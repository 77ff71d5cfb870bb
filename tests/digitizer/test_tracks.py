"""Duplicate curves are dropped, except a bundle's curve told apart only at the frame edge."""

import numpy as np

from graphq.digitizer.tracks import TracedCurve, drop_duplicates

_SHAPE = (100, 200)
_ROW = 50.0
# A curve must leave the kept ones for 40 columns, or for 10 from the frame's left edge.
_MIN_OWN, _MIN_EDGE = 40, 10


def _curve(columns: np.ndarray, rows: np.ndarray, shared: np.ndarray) -> TracedCurve:
    return TracedCurve(columns, rows, rows, shared, columns)


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
    return len(drop_duplicates([_flat(), curve], 0.75, _SHAPE, _MIN_OWN, _MIN_EDGE))


def test_a_curve_told_apart_only_at_the_frame_edge_is_kept() -> None:
    assert _kept(_fanning_in(first=0, apart=20)) == 2


def test_a_curve_apart_only_where_it_starts_inside_the_plot_is_dropped() -> None:
    assert _kept(_fanning_in(first=60, apart=20)) == 1


def test_a_curve_apart_at_the_frame_edge_for_too_few_columns_is_dropped() -> None:
    assert _kept(_fanning_in(first=0, apart=6)) == 1

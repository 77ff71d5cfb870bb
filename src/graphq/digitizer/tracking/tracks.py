"""A traced curve: one sample per plot column, and what every later stage does with one.

A track walked right-to-left is turned to left-to-right order first (:func:`to_curve`).
Pieces of curves are united column by column, cut and joined at a column, and a curve's end
slope is fitted over the longest end stretch a line still fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.track_state import Track

# The per-column arrays of a TracedCurve, in constructor order.
_FIELDS = ("column", "enter", "leave", "shared", "run")
# The run of a sample not traced in the main pass's runs: the pale pass's, or an end carried on
# under a label where no ink was seen (:mod:`~graphq.digitizer.tracking.hidden_ends`).
NO_RUN = -1


@dataclass(frozen=True)
class TracedCurve:
    """A curve in plot pixels, one sample per column, ascending.

    ``enter``/``leave`` are the rows where the curve comes in from the left and goes out to
    the right of the column (they differ on steep stretches); ``shared`` counts the curves
    whose touching ink that column's run held; ``run`` indexes the main pass's runs, or is
    :data:`NO_RUN`.
    """

    column: np.ndarray
    enter: np.ndarray
    leave: np.ndarray
    shared: np.ndarray
    run: np.ndarray

    @property
    def middle(self) -> np.ndarray:
        return (self.enter + self.leave) / 2.0

    @property
    def span(self) -> int:
        return int(self.column[-1] - self.column[0] + 1)

    def part(self, keep: slice | np.ndarray) -> TracedCurve:
        """The samples ``keep`` selects."""
        return TracedCurve(*(getattr(self, name)[keep] for name in _FIELDS))

    @property
    def arc_length_px(self) -> float:
        xs = np.repeat(self.column, 2).astype(np.float64)
        ys = np.column_stack((self.enter, self.leave)).ravel()
        return float(np.hypot(np.diff(xs), np.diff(ys)).sum())


def seen_columns(
    curve: TracedCurve, dot_gap_px: int, erased: np.ndarray | None = None, dashed: bool = False
) -> int:
    """Columns where the curve's ink was seen, or that lie in a gap between its dots, or (given
    ``erased``, per plot column whether a vertical grid line was erased there) in a gap the
    grid's erasure explains: erased all along but for a dot gap. On a grid as dark as the
    curves, crowded at the end of each log decade, a curve is seen only between the lines; a
    gap the erasure does not explain (a track bridging blank plot) counts for nothing. Given
    ``dashed``, the gaps of a regular dash pattern count as seen however long
    (:func:`_dash_period`): an SOA's dashed limit line leaves gaps longer than its dashes."""
    gaps = np.diff(curve.column) - 1
    seen = int(curve.column.size + gaps[gaps <= dot_gap_px].sum())
    if dashed:
        dash_gaps = gaps > dot_gap_px
        dash_gaps[dash_gaps] = _dash_period(gaps, dash_gaps)
        seen += int(gaps[dash_gaps].sum())
        gaps = np.where(dash_gaps, 0, gaps)
    if erased is None or erased.size == 0:
        return seen
    wide = np.flatnonzero(gaps > TRACKING.band_dot_gaps * dot_gap_px)
    inside = np.concatenate(([0], np.cumsum(erased, dtype=np.int64)))
    starts = np.clip(curve.column[wide] + 1, 0, erased.size)
    ends = np.clip(curve.column[wide + 1], 0, erased.size)
    explained = gaps[wide] - (inside[ends] - inside[starts]) <= dot_gap_px
    return seen + int(gaps[wide][explained].sum())


def _dash_period(gaps: np.ndarray, wide: np.ndarray) -> np.ndarray:
    """Which of the ``wide`` gaps (``gaps[wide]``, between a curve's samples) are its dash
    gaps: where at least ``min_dash_gaps`` of them alternate with the dashes seen between in
    a regular period, each gap and each dash within ``dash_period_ratio`` of their medians.
    Bridged blank plot, a label's gap or a curve's stray pieces keep no such rhythm."""
    at = np.flatnonzero(wide)
    lengths = gaps[at]
    dashes = np.diff(at)
    if at.size < TRACKING.min_dash_gaps:
        return np.zeros(at.size, dtype=bool)
    ratio = TRACKING.dash_period_ratio
    gap = float(np.median(lengths))
    dash = float(np.median(dashes))
    alike = (lengths <= ratio * gap) & (lengths >= gap / ratio)
    dash_alike = (dashes <= ratio * dash) & (dashes >= dash / ratio)
    share = TRACKING.dash_gap_share
    if alike.sum() < TRACKING.min_dash_gaps or alike.mean() < share or dash_alike.mean() < share:
        return np.zeros(at.size, dtype=bool)
    return alike


def to_curve(track: Track) -> TracedCurve:
    samples = track.samples
    column = np.array([s.column for s in samples], dtype=np.int64)
    enter = np.array([s.enter for s in samples])
    leave = np.array([s.leave for s in samples])
    shared = np.array([s.shared for s in samples], dtype=np.int64)
    run = np.array([s.run for s in samples], dtype=np.int64)
    if column.size > 1 and column[0] > column[-1]:
        return TracedCurve(column[::-1], leave[::-1], enter[::-1], shared[::-1], run[::-1])
    return TracedCurve(column, enter, leave, shared, run)


def unite(curves: list[TracedCurve]) -> TracedCurve:
    column = np.concatenate([c.column for c in curves])
    shared = np.concatenate([c.shared for c in curves])
    order = np.lexsort((-shared, column))
    column = column[order]
    keep = order[np.concatenate(([True], column[1:] != column[:-1]))]
    pick = [np.concatenate([getattr(c, name) for c in curves])[keep] for name in _FIELDS]
    return TracedCurve(*pick)


def end_slope(curve: TracedCurve, at_end: bool) -> float:
    """Slope of the curve's last (or first) stretch: long enough that pixel steps average
    out, short enough to follow a bend (the longest that a line still fits)."""
    slope = 0.0
    longest = max(TRACKING.min_end_window, min(TRACKING.max_end_window, curve.column.size // 3))
    for window in range(TRACKING.min_end_window, longest + 1, TRACKING.min_end_window):
        part = slice(-window, None) if at_end else slice(0, window)
        columns = curve.column[part].astype(np.float64)
        rows = curve.middle[part]
        if columns.size < 3 or np.ptp(columns) == 0:
            return slope
        fitted, residual = fit_line(columns, rows)
        if window > TRACKING.min_end_window and residual > TRACKING.end_fit_px:
            return slope
        slope = fitted
    return slope


def fit_line(columns: np.ndarray, rows: np.ndarray) -> tuple[float, float]:
    """The least-squares slope of ``rows`` over ``columns``, and the RMS of the rows about
    that line: in closed form, as this runs for every fragment's two ends."""
    dx, dy = columns - columns.mean(), rows - rows.mean()
    slope = float(dx @ dy) / max(float(dx @ dx), 1e-9)
    return slope, float(np.sqrt(np.mean((dy - slope * dx) ** 2)))


def join_at(head: TracedCurve, tail: TracedCurve, column: int) -> TracedCurve:
    """``head`` up to ``column``, then ``tail`` after it."""
    keep_head = head.column <= column
    keep_tail = tail.column > column
    return TracedCurve(
        *(
            np.concatenate((getattr(head, name)[keep_head], getattr(tail, name)[keep_tail]))
            for name in _FIELDS
        )
    )

"""A track that turned where a label's pointer meets a curve.

A label's pointer ends on its curve, often crossing a neighbour on the way (MJL21193's DC-gain
pointers), and a gate-charge curve's pointer meets the curve's rising part with its arrowhead
(FQA19N20). A track running along one of them turns at the meeting point onto the other, which
the gate lets it do within a few columns: the curve is traced as half pointer, half curve, and
its own other half is left to a short track that is dropped as a piece. A pointer is straight
and ends inside the plot (at its label), and the curve it meets runs on through the meeting
point; a curve's own corner (a safe-operating-area curve leaving the shared on-resistance
line) joins lines that reach the frame. Such a track is cut at the turn, and linking joins
each part to the fragments that go on along its own line.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.stretches import true_stretches
from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve, fit_line


def split_at_junctions(
    curves: list[TracedCurve], runs: ColumnRuns, scale: PlotScale, budget: Budget | None = None
) -> list[TracedCurve]:
    """The curves, each cut where it turns by ``junction_turn_degrees`` or more between a
    pointer and a line going on through the turn.

    The legs either side of a sample are fitted over ``min_end_window`` samples; where they
    meet at the angle and the track on one side of it is a pointer (straight, ending inside
    the plot), the other leg is followed on past the turn: when in at least
    ``flat_evidence`` of the ``crossing_lookahead`` columns there (where its line is a stroke
    apart from the pointer's) a thin run lies on its line, that line runs through the meeting
    point and the track is cut there. Each curve costs its samples plus a few columns
    per turn; past ``budget`` the curves not yet looked at stay whole.
    """
    result: list[TracedCurve] = []
    for curve in curves:
        if budget is not None and budget.spent:
            result.append(curve)
            continue
        result.extend(_cut(curve, _junctions(curve, runs, scale)))
    return result


def _cut(curve: TracedCurve, at: list[int]) -> list[TracedCurve]:
    """``curve`` cut at the samples ``at`` (each part keeps the meeting sample)."""
    if not at:
        return [curve]
    bounds = [0, *at, curve.column.size - 1]
    return [curve.part(slice(low, high + 1)) for low, high in itertools.pairwise(bounds)]


def _junctions(curve: TracedCurve, runs: ColumnRuns, scale: PlotScale) -> list[int]:
    """Samples of ``curve`` where it turns between a pointer and a line going on through the
    turn: the part on one side of the turn is straight and ends inside the plot (a pointer
    from its label), and the other leg's line goes on past the turn."""
    window = TRACKING.min_end_window
    size = curve.column.size
    if size < 2 * window + 1:
        return []
    x = curve.column.astype(np.float64)
    before, after = _leg_slopes(x, curve.middle, window)
    turn = np.abs(np.arctan(after) - np.arctan(before))
    sharp = turn >= math.radians(TRACKING.junction_turn_degrees)
    sharp[:window] = sharp[size - window :] = False
    found: list[int] = []
    starts, stops = true_stretches(sharp)
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        at = start + int(np.argmax(turn[start:stop]))
        legs = float(before[at]), float(after[at])
        from_pointer = _pointer(curve, slice(0, at + 1), 0, scale) and _goes_on(
            curve, at, legs[1], legs[0], -1, runs, scale
        )
        onto_pointer = _pointer(curve, slice(at, size), -1, scale) and _goes_on(
            curve, at, legs[0], legs[1], 1, runs, scale
        )
        if from_pointer or onto_pointer:
            found.append(at)
    return found


def _pointer(curve: TracedCurve, part: slice, end: int, scale: PlotScale) -> bool:
    """Whether ``curve``'s ``part`` is a straight line (within ``end_fit_px``, RMS) whose
    outer end (sample ``end``) lies inside the plot, off the frame: a pointer from a label."""
    height, width = scale.shape
    reach = TRACKING.frame_reach_px
    column, row = int(curve.column[end]), float(curve.middle[end])
    if min(column, width - 1 - column, row, height - 1 - row) <= reach:
        return False
    _, residual = fit_line(curve.column[part].astype(np.float64), curve.middle[part])
    return residual <= TRACKING.end_fit_px


def _leg_slopes(x: np.ndarray, y: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Per sample, the least-squares slopes of the ``window`` samples before it and after it
    (each including the sample), from running sums: linear in the samples."""
    sums = [np.concatenate(([0.0], np.cumsum(v))) for v in (x, y, x * x, x * y)]
    count = x.size
    index = np.arange(count)
    low, high = np.maximum(index - window + 1, 0), np.minimum(index + window, count)

    def slope(first: np.ndarray, last: np.ndarray) -> np.ndarray:
        n = (last - first).astype(np.float64)
        sx, sy, sxx, sxy = (s[last] - s[first] for s in sums)
        spread = n * sxx - sx * sx
        return np.where(spread > 0, (n * sxy - sx * sy) / np.maximum(spread, 1e-9), 0.0)

    return slope(low, index + 1), slope(index, high)


def _goes_on(
    curve: TracedCurve,
    at: int,
    leg: float,
    other: float,
    step: int,
    runs: ColumnRuns,
    scale: PlotScale,
) -> bool:
    """Whether the line of slope ``leg`` through sample ``at`` goes on, thin, ``step``-wards
    (-1: behind the turn, to lower columns; 1: ahead of it), a stroke apart from the other
    leg's line (slope ``other``)."""
    column, row = int(curve.column[at]), float(curve.middle[at])
    gate, apart = scale.gate_px, scale.line_width_px
    found = 0
    for offset in range(1, TRACKING.crossing_lookahead + 1):
        later = column + step * offset
        if not 0 <= later < scale.columns:
            break
        mine, theirs = row + leg * step * offset, row + other * step * offset
        if abs(mine - theirs) <= apart:
            continue
        ids = runs.in_column(later)
        tops = runs.top[ids.start : ids.stop]
        bottoms = runs.bottom[ids.start : ids.stop]
        near = np.maximum(tops - mine, mine - bottoms) <= gate
        thin = bottoms - tops + 1 <= scale.steep_height_px
        found += bool((near & thin).any())
    return found >= TRACKING.flat_evidence

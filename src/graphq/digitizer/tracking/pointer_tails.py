"""A label's pointer traced as a curve's tail, or as a trace of its own.

A pointer is a straight leader from a label's text to its curve. Where it leaves the curve,
the tracker may turn onto it and follow it to the text (MJL21193's DC-gain graphs: the trace
runs along its curve, then up the "TJ = 100°C" leader into the label), or trace it alone.
Either way the trace ends inside the plot under a label, on a stretch far straighter than a
curve's end and turned from the line before it; a curve's own end runs on in its direction
or reaches the frame. That stretch is cut off (or the trace dropped, when it is nothing else),
so that its ink is left to the pointer finder (:mod:`graphq.digitizer.labels.pointers`),
which binds the label by it, and the trace is not a curve that takes the label.
:mod:`~graphq.digitizer.tracking.junctions` cuts a pointer met mid-way; this is the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graphq.digitizer.strays.frame_reach import ends_at_frame
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracks import TracedCurve


@dataclass(frozen=True)
class PointerTailSettings:
    """Tunables of pointer tails, each with its reason."""

    # A tail is a pointer's when its samples lie on one line within this many line widths
    # (RMS; and a px): a leader is ruled, a curve's end bends or wavers by more over the
    # same length.
    straight_line_widths: float = 0.5
    # It is at least this many glyph heights long (shorter, a curve's last few columns fit a
    # line too) ...
    min_length_glyphs: float = 1.2
    # ... and at most this fraction of the plot's width (a longer straight end is a curve's,
    # as pointers.py's own bound).
    max_length_fraction: float = 0.4
    # It turns from the line before it by at least this many degrees (leaders meet their
    # curves at 30-90 degrees; a curve's bend into its straight end is gentler over the
    # samples fitted).
    min_turn_degrees: float = 25.0
    # The line before it is fitted over this many samples at most.
    before_samples: int = 12
    # It slants by at least this many degrees from level: a curve's straight end running on
    # into its own label beside it is a level stretch (saturation), a leader slants to its
    # label above or below the curves.
    min_slant_degrees: float = 15.0


POINTER_TAILS = PointerTailSettings()


def cut_pointer_tails(
    curves: list[TracedCurve],
    scale: PlotScale,
    under_labels: np.ndarray | None,
    settings: PointerTailSettings = POINTER_TAILS,
) -> list[TracedCurve]:
    """``curves`` with each pointer tail cut off: an end off the frame, under a label
    (``under_labels``), on a straight slanting stretch turned from the line before it. A
    trace that is straight all along, short as a pointer, off the frame at both ends and
    under a label at one, is dropped."""
    if under_labels is None or scale.text_px is None:
        return curves
    kept: list[TracedCurve] = []
    for curve in curves:
        cut = _without_tails(curve, scale, under_labels, settings)
        if cut is not None:
            kept.append(cut)
    return kept


def _without_tails(
    curve: TracedCurve,
    scale: PlotScale,
    under_labels: np.ndarray,
    settings: PointerTailSettings,
) -> TracedCurve | None:
    """The curve less its pointer tails; None when it is a pointer all along."""
    at_frame = ends_at_frame(curve, scale.shape)
    low, high = 0, curve.column.size
    for last, framed in ((True, at_frame[1]), (False, at_frame[0])):
        if framed or not _under_label(curve, last, under_labels):
            continue
        start = _tail_start(curve, last, scale, settings)
        if start is None:
            continue
        if start == (0 if last else curve.column.size - 1):
            return None if not any(at_frame) else curve
        if last:
            high = min(high, start + 1)
        else:
            low = max(low, start)
    if low == 0 and high == curve.column.size:
        return curve
    return curve.part(slice(low, high)) if high - low >= 2 else None


def _under_label(curve: TracedCurve, last: bool, under_labels: np.ndarray) -> bool:
    """Whether the curve's last (or first) end lies where a label covered the plot."""
    height, width = under_labels.shape
    row = round(float(curve.leave[-1]) if last else float(curve.enter[0]))
    column = int(curve.column[-1]) if last else int(curve.column[0])
    return bool(under_labels[min(max(row, 0), height - 1), min(max(column, 0), width - 1)])


def _tail_start(
    curve: TracedCurve, last: bool, scale: PlotScale, settings: PointerTailSettings
) -> int | None:
    """Index of the sample where the curve's last (or first) end's pointer tail starts, or
    None when that end has none: the longest end stretch a line fits, if it is a pointer's
    length and turns from the line before it (a trace that is all that stretch is all
    pointer)."""
    size = curve.column.size
    order = np.arange(size)[::-1] if last else np.arange(size)
    columns = curve.column[order].astype(np.float64)
    rows = curve.middle[order]
    glyph = float(scale.text_px or 0.0)
    tolerance = max(1.0, settings.straight_line_widths * scale.line_width_px)
    spread = _prefix_spread(columns, rows)
    bent = np.flatnonzero(spread[3:] > tolerance)
    longest = int(bent[0]) + 2 if bent.size else size
    if longest < 3:
        return None
    longest = _on_outer_line(columns[:longest], rows[:longest], tolerance)
    steps = np.hypot(np.diff(columns[:longest]), np.diff(rows[:longest]))
    length = float(steps.sum())
    if length < settings.min_length_glyphs * glyph:
        return None
    if length > settings.max_length_fraction * scale.columns:
        return None
    start = int(order[longest - 1])
    if longest == size:
        return start
    tail_angle = _angle(columns[:longest], rows[:longest])
    slant = min(tail_angle, math.pi - tail_angle)
    if slant < math.radians(settings.min_slant_degrees):
        return None
    before = slice(longest - 1, min(size, longest - 1 + settings.before_samples))
    if before.stop - before.start < 3:
        return None
    before_angle = _angle(columns[before], rows[before])
    turn = abs(tail_angle - before_angle)
    turn = min(turn, math.pi - turn)
    return start if turn >= math.radians(settings.min_turn_degrees) else None


def _prefix_spread(columns: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per count k (index k; k < 2 is 0), the RMS distance of the first k points from their
    principal line (steep or flat alike), from running sums: linear in the points."""
    count = np.arange(columns.size + 1, dtype=np.float64)
    n = np.maximum(count, 1.0)
    x, y = columns - columns[0], rows - rows[0]
    sx, sy, sxx, syy, sxy = (
        np.concatenate(([0.0], np.cumsum(v))) for v in (x, y, x * x, y * y, x * y)
    )
    vx, vy, cxy = sxx / n - (sx / n) ** 2, syy / n - (sy / n) ** 2, sxy / n - sx * sy / n**2
    least = (vx + vy) / 2 - np.sqrt(((vx - vy) / 2) ** 2 + cxy**2)
    return np.sqrt(np.maximum(least, 0.0))


def _on_outer_line(columns: np.ndarray, rows: np.ndarray, tolerance: float) -> int:
    """How many of the points, from the first, lie within ``tolerance`` of the line through
    the outer half of them: a stretch fitted as a whole takes in a few samples past its
    corner, whose distance from the line the end sets gives away."""
    half = max(2, columns.size // 2)
    angle = _angle(columns[:half], rows[:half])
    normal = np.array((-math.sin(angle), math.cos(angle)))
    offsets = np.column_stack((columns - columns[:half].mean(), rows - rows[:half].mean())) @ normal
    off = np.flatnonzero(np.abs(offsets[half:]) > tolerance)
    return half + int(off[0]) if off.size else columns.size


def _angle(columns: np.ndarray, rows: np.ndarray) -> float:
    """Direction (radians, modulo pi) of the points' principal line."""
    points = np.column_stack((columns - columns.mean(), rows - rows.mean()))
    _, _, axes = np.linalg.svd(points, full_matrices=False)
    return float(math.atan2(axes[0, 1], axes[0, 0])) % math.pi

"""Whether a frame edge's tick marks stand where the given axis range puts round values.

A graph drawn by a program puts its ticks at round values of an even scale: multiples of one
round step on a linear axis, 1–9 × a power of ten on a log axis. With the range the user gave
mapped onto the frame, such ticks land on those values. A hand-drawn vendor graph's do not:
its decades (or steps) differ in width, so the ticks stand off the values the even map gives
them, and the map itself is wrong. This check costs a few array operations; only an axis
that fails it has its tick labels read (:mod:`graphq.digitizer.axes.tick_calibration`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graphq.digitizer.axes.calibration import map_from_frame
from graphq.digitizer.types import Axis


@dataclass(frozen=True)
class TickAgreementSettings:
    # A tick stands at a value when within this many px of it, or this fraction of the axis
    # length where that is more (tick detection rounds to half a pixel; a tick drawn a hair
    # off, or a frame found a pixel off, stays inside).
    tolerance_px: float = 2.5
    tolerance_fraction: float = 0.008
    # The axis agrees when a tick stands at this fraction of the round values the even map
    # puts inside the frame (the major ticks: a linear axis's multiples of one step, a log
    # axis's powers of ten) ...
    min_covered: float = 0.75
    # ... of which there must be this many to tell (fewer, any two edges fit) ...
    min_values: int = 3
    # ... and, on a log axis, when this fraction of all its ticks stand at 1–9 × a power of
    # ten: a curve's steep stretch or a glyph's stem by the edge passes for a tick now and
    # then, and a hand-drawn log grid's 2–9 lines stand off.
    min_log_ticks: float = 0.75
    # A linear axis's step is a round number (these mantissas times a power of ten), from
    # zero or from the range's low end, within this many of the finest steps a frame has room
    # for (the ticks being resolved, each step at least this many tolerances). Not the range
    # cut into any whole number of steps: one of so many cuts (0..30 in sixes) is covered by
    # chance by the curves crossing the edge and a hand-drawn grid's lines (MJL21193 Figure
    # 7); a range given a hair off round is met by the round step within the tolerance.
    round_mantissas: tuple[float, ...] = (1.0, 2.0, 2.5, 4.0, 5.0)
    max_steps: int = 40
    min_step_tolerances: float = 4.0
    # Ticks this close to a frame edge (px) are the edge itself.
    edge_px: float = 2.0


TICK_AGREEMENT = TickAgreementSettings()


def ticks_agree(
    ticks: list[float],
    edges: tuple[float, float],
    axis: Axis,
    settings: TickAgreementSettings = TICK_AGREEMENT,
) -> bool | None:
    """Whether the ticks (pixel positions along the axis) stand at round values of ``axis``
    mapped evenly from ``edges`` (pixels of ``axis.min`` and ``axis.max``); None when too
    few are seen, or the frame too short, to tell."""
    low, high = sorted(edges)
    length = high - low
    inner = np.array(
        [t for t in ticks if low + settings.edge_px < t < high - settings.edge_px], dtype=float
    )
    if inner.size < settings.min_values or length <= 0:
        return None
    tolerance = max(settings.tolerance_px, settings.tolerance_fraction * length)
    even = map_from_frame(axis, *edges)
    lo, hi = sorted((even.display_a, even.display_b))
    per_px = (hi - lo) / length
    display = even.display_a + (inner - even.pixel_a) * (even.display_b - even.display_a) / (
        even.pixel_b - even.pixel_a
    )
    margin = settings.edge_px * per_px
    if axis.scale == "log":
        off = _off_log_values(display)
        if float(np.mean(off / per_px <= tolerance)) < settings.min_log_ticks:
            return False
        decades = np.arange(math.ceil(lo + margin), math.floor(hi - margin) + 1, dtype=float)
        if decades.size == 0:
            return True
        return _covered(decades, display, tolerance * per_px) >= settings.min_covered
    min_step = tolerance * per_px * settings.min_step_tolerances
    candidates = [
        values
        for step, anchor in _linear_steps(lo, hi, min_step, settings)
        if (values := _multiples(step, anchor, lo + margin, hi - margin)).size
        >= settings.min_values
    ]
    if not candidates:
        return None
    best = max(_covered(values, display, tolerance * per_px) for values in candidates)
    return best >= settings.min_covered


def _multiples(step: float, anchor: float, low: float, high: float) -> np.ndarray:
    """The values ``anchor + k × step`` from ``low`` up to ``high``."""
    return np.arange(anchor + step * math.ceil((low - anchor) / step), high, step)


def _covered(values: np.ndarray, display: np.ndarray, tolerance: float) -> float:
    """The fraction of ``values`` with a tick within ``tolerance`` (display units)."""
    near = np.min(np.abs(values[:, None] - display[None, :]), axis=1)
    return float(np.mean(near <= tolerance))


def _linear_steps(
    lo: float, hi: float, min_step: float, settings: TickAgreementSettings
) -> list[tuple[float, float]]:
    """(step, anchor) pairs a linear axis's major ticks may follow: round steps from zero
    and from the range's low end."""
    span = hi - lo
    steps: list[tuple[float, float]] = []
    for power in range(
        math.floor(math.log10(span / settings.max_steps)), math.ceil(math.log10(span)) + 1
    ):
        for mantissa in settings.round_mantissas:
            step = mantissa * 10.0**power
            steps += [(step, 0.0), (step, lo)]
    return [(step, anchor) for step, anchor in steps if min_step <= step <= span / 2]


def _off_log_values(display: np.ndarray) -> np.ndarray:
    """Each log10 value's distance (decades) from the nearest log10(k × 10^n), k = 1..10."""
    within = np.power(10.0, display - np.floor(display))  # 1 ≤ within < 10
    below = np.log10(within) - np.log10(np.floor(within))
    above = np.log10(np.floor(within) + 1.0) - np.log10(within)
    return np.minimum(below, above)

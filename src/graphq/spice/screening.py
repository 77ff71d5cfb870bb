"""Screening digitized curves before a fit: shapes the physics of their graph forbids.

A curve that cannot belong to its graph (a grid line, a note's text, two curves merged into
a zigzag) pulls the fit off the curves that do belong. Drain current rises with Vds and
with Vgs, the body diode's current with Vsd; capacitances fall with Vds. A curve that goes
the other way by more than its graph's tolerance is left out, and the fit says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.spice.inputs import AxisScale


@dataclass(frozen=True)
class ScreeningSettings:
    """How far a curve may run against its graph's direction, as a fraction of the axis
    span (of its decades on a log axis)."""

    # Self-heating during a long measuring pulse bends the top output curves down at high
    # Vds, by up to about a tenth of full scale on the datasheets graphq has seen.
    output_drop: float = 0.15
    # Transfer and diode curves have no such effect; a digitizer's scatter (≤ 1 % of span)
    # and a steep stretch read slightly out of order stay well below this.
    rising_drop: float = 0.08
    # Capacitances fall with Vds; a superjunction part's Coss knee is steep but never rises.
    capacitance_rise: float = 0.08
    # Points closer in x than this fraction of the curve's x span are not compared: where a
    # curve runs (near-)vertically, as an output curve rising at Vds ≈ 0 or a diode curve
    # on a wide current axis, sorting its points by x puts them in no order at all.
    x_resolution: float = 0.005


SCREENING = ScreeningSettings()

# +1: y grows with x; -1: y falls with x. Rds(on) against Id may bend either way.
_DIRECTION = {"output": 1.0, "transfer": 1.0, "body_diode": 1.0, "capacitance": -1.0}
_KIND_NAMES = {
    "output": "drain current falls as VDS rises",
    "transfer": "drain current falls as VGS rises",
    "body_diode": "diode current falls as VSD rises",
    "capacitance": "capacitance rises with VDS",
}


def _position(y: np.ndarray, scale: AxisScale) -> np.ndarray:
    """Where each y sits on the drawn axis, in fractions of its span."""
    if scale.log:
        positive = y[y > 0]
        return np.log10(positive / scale.low) / np.log10(scale.high / scale.low)
    return (y - scale.low) / (scale.high - scale.low)


def against_direction(
    x: np.ndarray, y: np.ndarray, direction: float, scale: AxisScale, x_resolution: float
) -> float:
    """The largest run of ``y`` (``x`` ascending) against ``direction``, as a span fraction,
    comparing only points more than ``x_resolution`` of the x span apart."""
    y = np.asarray(y, float)
    keep = y > 0 if scale.log else np.isfinite(y)
    x, position = np.asarray(x, float)[keep], direction * _position(y[keep], scale)
    if position.size < 2:
        return 0.0
    running = np.maximum.accumulate(position)
    # For each point, the highest point at least the resolution to its left.
    left = np.searchsorted(x, x - x_resolution * float(np.ptp(x)), side="right") - 1
    earlier = np.where(left >= 0, running[np.maximum(left, 0)], -np.inf)
    return float(max(np.max(earlier - position), 0.0))


def _tolerance(kind: str, settings: ScreeningSettings) -> float:
    if kind == "output":
        return settings.output_drop
    if kind == "capacitance":
        return settings.capacitance_rise
    return settings.rising_drop


def shape_problem(
    kind: str, points: np.ndarray, scale: AxisScale, settings: ScreeningSettings = SCREENING
) -> str | None:
    """Why a curve of graph ``kind`` (``points`` in x order, N-channel sense) cannot be one,
    or None when its shape is possible."""
    direction = _DIRECTION.get(kind)
    if direction is None or len(points) < 2 or scale.high <= scale.low:
        return None
    ordered = points[np.argsort(points[:, 0], kind="stable")]
    excursion = against_direction(
        ordered[:, 0], ordered[:, 1], direction, scale, settings.x_resolution
    )
    if excursion <= _tolerance(kind, settings):
        return None
    return f"its {_KIND_NAMES[kind]} by {excursion:.0%} of the axis"

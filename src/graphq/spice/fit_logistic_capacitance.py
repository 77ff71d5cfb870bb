"""Fitting logistic-sum capacitances (:mod:`graphq.spice.logistic_capacitance`) to Ciss,
Coss and Crss.

Each sum starts from its curve's floor and the voltage where it has fallen half way (Cgd
from Crss, Cds from Coss - Crss, Cgs as the median of Ciss - Crss); then bounded least
squares on the three curves' log errors together. Used by the GaN HEMT and by the VDMOS
subcircuit where the card's shapes cannot follow the curves.
"""

from __future__ import annotations

import numpy as np

from graphq.spice import logistic_capacitance as logistic
from graphq.spice.curves import CurveData, DeviceEquations
from graphq.spice.optimise import Bound, ParameterFit, curve_residuals, fit_parameters

# Capacitances from 1 aF to 10 µF: every part's graph lies inside.
_CAPACITANCE_RANGE_F = (1e-18, 1e-5)
# A step is at most this many times the graph's largest capacitance (it is half its height
# at its centre, which lies on the graph).
_STEP_OVER_GRAPH = 10.0
# A step's centre lies from the sum's first reading (a term centred further down would
# stand in for an exponential tail, its height growing without end as its centre moved
# away, and put nanofarads where the gate is above the drain) to beyond the graph's end (a
# term that only adds a constant); its width from a sharp superjunction step to the span.
_CENTRE_BEYOND_END = 2.0
_SHARPEST_WIDTH_V = 0.02
# The first term takes most of the drop, the second the slow fall after it.
_FIRST_SHARE = 0.7


def _first_reading(caps: list[CurveData], name: str) -> float:
    """The lowest voltage the sum is read at: Vdg for Cgd (Crss), Vds for Cds (Coss)."""
    for curve in caps:
        if curve.capacitance == name:
            return float(curve.x.min() - (curve.condition if name == "crss" else 0.0))
    return 0.0


def logistic_bounds(caps: list[CurveData]) -> dict[str, Bound]:
    """Bounds for the sums read from ``caps``. A term's height and centre may end on their
    low end: the term is then absent or a step at the first reading, no sign of trouble."""
    low, high = _CAPACITANCE_RANGE_F
    vds_max = float(max(c.x.max() for c in caps))
    step_high = min(high, _STEP_OVER_GRAPH * float(max(c.y.max() for c in caps)))
    bounds = {"cgs": Bound(low, high, log=True)}
    for group, read_from in ((logistic.CGD_NAMES, "crss"), (logistic.CDS_NAMES, "coss")):
        first = _first_reading(caps, read_from)
        bounds[group[0]] = Bound(low, high, log=True)
        for k in range(1, len(group), 3):
            height, centre, width = group[k : k + 3]
            bounds[height] = Bound(low, step_high, log=True, natural_low=True)
            bounds[centre] = Bound(first, first + _CENTRE_BEYOND_END * vds_max, natural_low=True)
            bounds[width] = Bound(_SHARPEST_WIDTH_V, vds_max, log=True)
    return bounds


def logistic_start(names: tuple[str, ...], v: np.ndarray, c: np.ndarray) -> dict[str, float]:
    """A falling step from ``c[0]`` to the floor, split between the sum's terms: the first
    where the curve has fallen half way, each next one three times further out."""
    floor = 0.9 * float(c.min())
    drop = max(float(c[0]) - floor, 0.05 * floor)
    half = floor + 0.5 * drop
    v_half = float(v[np.argmax(c <= half)]) if np.any(c <= half) else float(v[-1])
    v_half = max(v_half, float(v[0]))
    start = {names[0]: floor}
    terms = (len(names) - 1) // 3
    shares = [_FIRST_SHARE] + [(1.0 - _FIRST_SHARE) / max(terms - 1, 1)] * (terms - 1)
    for k, share in enumerate(shares):
        height, centre, width = names[1 + 3 * k : 4 + 3 * k]
        spread = 3.0**k
        start.update(
            {
                height: share * drop,
                centre: spread * v_half,
                width: max(0.5 * spread * v_half, 0.1 * (k + 1)),
            }
        )
    return start


def initial_logistic_guess(curves: list[CurveData]) -> dict[str, float]:
    named = {c.capacitance: c for c in curves}
    guess: dict[str, float] = {}
    crss = named.get("crss")
    if crss is not None:
        guess.update(logistic_start(logistic.CGD_NAMES, crss.x - crss.condition, crss.y))
    if "ciss" in named:
        ciss = named["ciss"]
        gate_drain = np.interp(ciss.x, crss.x, crss.y) if crss is not None else 0.0
        guess["cgs"] = float(max(np.median(ciss.y - gate_drain), 0.1 * ciss.y.min()))
    if "coss" in named:
        coss = named["coss"]
        gate_drain = np.interp(coss.x, crss.x, crss.y) if crss is not None else 0.0
        drain_source = np.maximum(coss.y - gate_drain, 0.05 * coss.y)
        guess.update(logistic_start(logistic.CDS_NAMES, coss.x, drain_source))
    return guess


def fit_logistic_capacitances(
    curves: list[CurveData], equations: DeviceEquations, defaults: dict[str, float]
) -> ParameterFit:
    """Fit the sums to the capacitance ``curves`` with ``equations`` (whose capacitances are
    :func:`graphq.spice.logistic_capacitance.logistic_capacitances`); ``defaults`` hold the
    model's other parameters."""
    caps = [c for c in curves if c.kind == "capacitance"]
    if not caps:
        return ParameterFit({})
    present = {c.capacitance for c in caps}
    names: list[str] = []
    if "ciss" in present:
        names.append("cgs")
    if "crss" in present:
        names += logistic.CGD_NAMES
    if "coss" in present:
        names += logistic.CDS_NAMES
    start = {**defaults, **logistic.LOGISTIC_DEFAULTS, **initial_logistic_guess(caps)}
    bounds = logistic_bounds(caps)

    def residuals(params: dict[str, float]) -> np.ndarray:
        return curve_residuals(equations, params, caps)

    return fit_parameters(residuals, start, names, bounds)

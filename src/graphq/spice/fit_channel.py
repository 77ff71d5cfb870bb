"""Fitting the VDMOS channel (Vto, Kp, ksubthres, λ, mtriode, θ, Rd, Rs) to Id curves.

Closed-form starting values first: the √Id line of saturated points gives Vto and Kp, the
log-slope of the lowest transfer currents gives ksubthres, the first points of the output
curve at the highest Vgs give Rd + Rs. Then bounded least squares on output, transfer and
Rds(on) curves together, from a few starts that differ in the triode shape; the best wins.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from graphq.spice import vdmos
from graphq.spice.curves import CurveData, DeviceEquations
from graphq.spice.optimise import Bound, curve_residuals, fit_parameters


def _diode_current(params: Mapping[str, float], vsd: np.ndarray) -> np.ndarray:
    return vdmos.body_diode_current(params, vsd)


VDMOS_EQUATIONS = DeviceEquations(
    drain_current=vdmos.drain_current,
    capacitances=vdmos.capacitances,
    on_resistance=vdmos.on_resistance,
    diode_current=_diode_current,
)

CHANNEL_BOUNDS = {
    "vto": Bound(-15.0, 15.0),
    "kp": Bound(1e-4, 1e5, log=True),
    "ksubthres": Bound(0.005, 2.0, log=True),
    "lambda": Bound(0.0, 0.5),
    "mtriode": Bound(0.05, 20.0, log=True),
    "theta": Bound(0.0, 10.0),
    "rd": Bound(1e-7, 100.0, log=True),
    "rs": Bound(1e-7, 100.0, log=True),
}
# Values for what no curve determines: ngspice's own defaults, and no series resistance.
CHANNEL_DEFAULTS = {
    "ksubthres": 0.1,
    "lambda": 0.0,
    "mtriode": 1.0,
    "theta": 0.0,
    "rd": 0.0,
    "rs": 0.0,
}
_TRIODE_STARTS = (1.0, 2.0, 0.6)


def channel_parameters_determined(curves: list[CurveData]) -> list[str]:
    """Which channel parameters the available graph kinds pin down."""
    kinds = {c.kind for c in curves}
    names = ["vto", "kp"]
    if "transfer" in kinds:
        names += ["ksubthres", "theta"]
    if "output" in kinds:
        names += ["lambda", "mtriode", "theta", "rd", "rs"]
    if "rdson" in kinds:
        names += ["theta", "rd", "rs"]
    return list(dict.fromkeys(names))


def _saturation_points(curves: list[CurveData]) -> tuple[np.ndarray, np.ndarray]:
    """(Vgs, Id) pairs in saturation: transfer points, and each output curve's last point."""
    vgs: list[np.ndarray] = []
    current: list[np.ndarray] = []
    for curve in curves:
        if curve.kind == "transfer":
            vgs.append(curve.x)
            current.append(curve.y)
        elif curve.kind == "output":
            vgs.append(np.array([curve.condition]))
            current.append(curve.y[-1:])
    return np.concatenate(vgs), np.concatenate(current)


def _square_law_start(curves: list[CurveData]) -> tuple[float, float]:
    """Vto and Kp from the straight part of √Id against Vgs."""
    vgs, current = _saturation_points(curves)
    positive = current > 0
    vgs, current = vgs[positive], current[positive]
    peak = current.max()
    middle = (current >= 0.02 * peak) & (current <= 0.5 * peak)
    if np.unique(vgs[middle]).size < 2:
        middle = current >= 0.02 * peak
    if np.unique(vgs[middle]).size < 2:
        return float(vgs.min()), 2.0 * peak / max(float(np.ptp(vgs)), 1.0) ** 2
    slope, intercept = np.polyfit(vgs[middle], np.sqrt(current[middle]), 1)
    slope = max(float(slope), 1e-3)
    return float(-intercept / slope), 2.0 * slope**2


def _ksubthres_start(curves: list[CurveData]) -> float:
    """In subthreshold Id ∝ exp(2(Vgs - Vto)/ksubthres): the log-slope of the lowest decade."""
    slopes = []
    for curve in curves:
        if curve.kind != "transfer" or curve.y.max() <= 0:
            continue
        low = (curve.y > 0) & (curve.y < 0.01 * curve.y.max())
        if np.unique(curve.x[low]).size >= 3:
            slopes.append(np.polyfit(curve.x[low], np.log(curve.y[low]), 1)[0])
    if not slopes:
        return CHANNEL_DEFAULTS["ksubthres"]
    return float(np.clip(2.0 / max(np.median(slopes), 1e-3), 0.01, 1.0))


def _series_resistance_start(curves: list[CurveData], vto: float, kp: float) -> float:
    """Rd + Rs: the on-resistance at the highest Vgs less the channel's 1/(Kp·Vov)."""
    candidates = [c for c in curves if c.kind == "output" and c.condition > vto]
    if candidates:
        curve = max(candidates, key=lambda c: c.condition)
        first = (curve.x > 0) & (curve.y > 0)
        ratio = curve.x[first][:3] / curve.y[first][:3]
        measured = float(np.median(ratio)) if ratio.size else 0.0
        return max(measured - 1.0 / (kp * (curve.condition - vto)), 1e-5)
    rdson = [c for c in curves if c.kind == "rdson"]
    if rdson:
        curve = max(rdson, key=lambda c: c.condition)
        return max(float(curve.y.min()) - 1.0 / (kp * max(curve.condition - vto, 0.5)), 1e-5)
    return 0.0


def initial_channel_guess(curves: list[CurveData]) -> dict[str, float]:
    vto, kp = _square_law_start(curves)
    kinds = {c.kind for c in curves}
    series = _series_resistance_start(curves, vto, kp)
    return {
        **vdmos.VDMOS_DEFAULTS,
        **CHANNEL_DEFAULTS,
        "vto": vto,
        "kp": kp,
        "ksubthres": _ksubthres_start(curves),
        "lambda": 0.005 if "output" in kinds else 0.0,
        "rd": series / 2.0,
        "rs": series / 2.0,
    }


def fit_channel(curves: list[CurveData]) -> tuple[dict[str, float], list[str]]:
    """Fit the channel to the output, transfer and Rds(on) ``curves``.

    Returns the parameters (fitted ones and defaults) and the names that were fitted.
    """
    channel = [c for c in curves if c.kind in ("output", "transfer", "rdson")]
    names = channel_parameters_determined(channel)
    start = initial_channel_guess(channel)

    def residuals(params: dict[str, float]) -> np.ndarray:
        return curve_residuals(VDMOS_EQUATIONS, params, channel)

    starts = [start]
    if "mtriode" in names:
        starts = [{**start, "mtriode": m} for m in _TRIODE_STARTS]
    best: tuple[dict[str, float], float] | None = None
    for trial in starts:
        fitted, cost = fit_parameters(residuals, trial, names, CHANNEL_BOUNDS)
        if best is None or cost < best[1]:
            best = (fitted, cost)
    assert best is not None
    return best[0], names

"""Closed-form starting values for the VDMOS channel fit: the √Id line of saturated points
gives Vto and Kp, the log-slope of the lowest transfer currents gives ksubthres, the first
points of the output curve at the highest Vgs give Rd + Rs. Near enough that a few short
least-squares runs (:mod:`graphq.spice.fit_channel`) find the basin."""

from __future__ import annotations

import numpy as np

from graphq.spice import vdmos
from graphq.spice.channel_bounds import CHANNEL_DEFAULTS, KSUBTHRES_MAX, KSUBTHRES_MIN
from graphq.spice.curves import CurveData


def saturation_points(curves: list[CurveData]) -> tuple[np.ndarray, np.ndarray]:
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


def square_law_start(curves: list[CurveData]) -> tuple[float, float]:
    """Vto and Kp from the straight part of √Id against Vgs."""
    vgs, current = saturation_points(curves)
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


def ksubthres_start(curves: list[CurveData]) -> float:
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
    return float(np.clip(2.0 / max(np.median(slopes), 1e-3), KSUBTHRES_MIN, KSUBTHRES_MAX))


def series_resistance_start(curves: list[CurveData], vto: float, kp: float) -> float:
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
    """Every channel parameter: the closed-form values above, the defaults for the rest,
    the series resistance split evenly between Rd and Rs."""
    vto, kp = square_law_start(curves)
    kinds = {c.kind for c in curves}
    series = series_resistance_start(curves, vto, kp)
    return {
        **vdmos.VDMOS_DEFAULTS,
        **CHANNEL_DEFAULTS,
        "vto": vto,
        "kp": kp,
        "ksubthres": ksubthres_start(curves),
        "lambda": 0.005 if "output" in kinds else 0.0,
        "rd": series / 2.0,
        "rs": series / 2.0,
    }

"""Fitting the EPC-style GaN HEMT (:mod:`graphq.spice.gan_epc`) to datasheet curves.

Starting values: a HEMT's saturation current grows linearly with Vgs, so a line through
the saturated points gives vth and the slope ``awg/x0``; the first points of the output
curve at the highest Vgs give ``awg·Vov``; the lowest decade of a transfer curve gives k2.
Each capacitance's logistic sum starts from its curve's floor and the voltage where it has
fallen half way. Then bounded least squares, the channel (with reverse conduction, which a
HEMT does through its channel) and the capacitances separately.
"""

from __future__ import annotations

import numpy as np

from graphq.spice import gan_epc
from graphq.spice.curves import CurveData, DeviceEquations, Params
from graphq.spice.optimise import Bound, ParameterFit, curve_residuals, fit_parameters


def _capacitances(params: Params, vgs: np.ndarray, vds: np.ndarray) -> dict[str, np.ndarray]:
    """The subcircuit's capacitances depend on Vds alone (its gate sits at 0 V on datasheets)."""
    return gan_epc.capacitances(params, vds)


GAN_EQUATIONS = DeviceEquations(
    drain_current=gan_epc.drain_current,
    capacitances=_capacitances,
    on_resistance=gan_epc.on_resistance,
    diode_current=gan_epc.reverse_current,
)

CHANNEL_BOUNDS = {
    "awg": Bound(1e-3, 1e5, log=True),
    "vth": Bound(-10.0, 10.0),
    "k2": Bound(0.01, 2.0, log=True),
    "x0_0": Bound(1e-3, 100.0, log=True),
    "x0_1": Bound(-1.0, 1.0),
}


def _capacitance_bounds(vds_max_v: float) -> dict[str, Bound]:
    bounds = {"cgs": Bound(1e-18, 1e-5, log=True)}
    for group in (gan_epc.CGD_NAMES, gan_epc.CDS_NAMES):
        c0, c1, v1, w1, c2, v2, w2 = group
        bounds.update({c: Bound(1e-18, 1e-5, log=True) for c in (c0, c1, c2)})
        bounds.update({v: Bound(-0.5 * vds_max_v, 2.0 * vds_max_v) for v in (v1, v2)})
        bounds.update({w: Bound(0.02, vds_max_v, log=True) for w in (w1, w2)})
    return bounds


def _line_start(curves: list[CurveData]) -> tuple[float, float]:
    """vth and d(Isat)/dVgs from the saturated points."""
    vgs: list[np.ndarray] = []
    current: list[np.ndarray] = []
    for curve in curves:
        if curve.kind == "transfer":
            vgs.append(curve.x)
            current.append(curve.y)
        elif curve.kind == "output":
            vgs.append(np.array([curve.condition]))
            current.append(curve.y[-1:])
    x, y = np.concatenate(vgs), np.concatenate(current)
    peak = y.max()
    middle = (y >= 0.1 * peak) & (y <= 0.7 * peak)
    if np.unique(x[middle]).size < 2:
        middle = y >= 0.05 * peak
    if np.unique(x[middle]).size < 2:
        return float(x.min()), peak / max(float(np.ptp(x)), 1.0)
    slope, intercept = np.polyfit(x[middle], y[middle], 1)
    slope = max(float(slope), 1e-6)
    return float(-intercept / slope), slope


def initial_channel_guess(curves: list[CurveData]) -> dict[str, float]:
    vth, slope = _line_start(curves)
    outputs = [c for c in curves if c.kind == "output" and c.condition > vth]
    x0 = gan_epc.GAN_DEFAULTS["x0_0"]
    awg = slope * x0
    if outputs:
        curve = max(outputs, key=lambda c: c.condition)
        first = curve.x > 0
        conductance = float(np.median(curve.y[first][:3] / curve.x[first][:3]))
        awg = conductance / (curve.condition - vth)
        x0 = awg / slope
    k2 = gan_epc.GAN_DEFAULTS["k2"]
    for curve in curves:
        low = (curve.kind == "transfer") & (curve.y > 0) & (curve.y < 0.01 * curve.y.max())
        if np.unique(curve.x[low]).size >= 3:
            k2 = float(np.clip(1.0 / np.polyfit(curve.x[low], np.log(curve.y[low]), 1)[0], 0.02, 1))
    return {**gan_epc.GAN_DEFAULTS, "awg": awg, "vth": vth, "k2": k2, "x0_0": x0, "x0_1": 0.0}


def _logistic_start(names: tuple[str, ...], v: np.ndarray, c: np.ndarray) -> dict[str, float]:
    """A falling step from ``c[0]`` to the floor, split between two logistic terms."""
    floor = 0.9 * float(c.min())
    drop = max(float(c[0]) - floor, 0.05 * floor)
    half = floor + 0.5 * drop
    v_half = float(v[np.argmax(c <= half)]) if np.any(c <= half) else float(v[-1])
    v_half = max(v_half, float(v[0]))
    c0, c1, v1, w1, c2, v2, w2 = names
    return {
        c0: floor,
        c1: 0.7 * drop,
        v1: v_half,
        w1: max(0.5 * v_half, 0.1),
        c2: 0.3 * drop,
        v2: 3.0 * v_half,
        w2: max(1.5 * v_half, 0.2),
    }


def initial_capacitance_guess(curves: list[CurveData]) -> dict[str, float]:
    named = {c.capacitance: c for c in curves}
    guess: dict[str, float] = {}
    crss = named.get("crss")
    if crss is not None:
        guess.update(_logistic_start(gan_epc.CGD_NAMES, crss.x, crss.y))
    if "ciss" in named:
        ciss = named["ciss"]
        gate_drain = np.interp(ciss.x, crss.x, crss.y) if crss is not None else 0.0
        guess["cgs"] = float(max(np.median(ciss.y - gate_drain), 0.1 * ciss.y.min()))
    if "coss" in named:
        coss = named["coss"]
        gate_drain = np.interp(coss.x, crss.x, crss.y) if crss is not None else 0.0
        drain_source = np.maximum(coss.y - gate_drain, 0.05 * coss.y)
        guess.update(_logistic_start(gan_epc.CDS_NAMES, coss.x, drain_source))
    return guess


def fit_gan_channel(curves: list[CurveData]) -> ParameterFit:
    channel = [c for c in curves if c.kind in ("output", "transfer", "rdson", "body_diode")]
    names = ["awg", "vth", "k2", "x0_0"]
    if len({c.condition for c in channel if c.kind == "output"}) >= 2:
        names.append("x0_1")
    start = initial_channel_guess(channel)

    def residuals(params: dict[str, float]) -> np.ndarray:
        return curve_residuals(GAN_EQUATIONS, params, channel)

    return fit_parameters(residuals, start, names, CHANNEL_BOUNDS)


def fit_gan_capacitances(curves: list[CurveData]) -> ParameterFit:
    caps = [c for c in curves if c.kind == "capacitance"]
    if not caps:
        return ParameterFit({})
    present = {c.capacitance for c in caps}
    names: list[str] = []
    if "ciss" in present:
        names.append("cgs")
    if "crss" in present:
        names += gan_epc.CGD_NAMES
    if "coss" in present:
        names += gan_epc.CDS_NAMES
    start = {**gan_epc.GAN_DEFAULTS, **initial_capacitance_guess(caps)}
    bounds = _capacitance_bounds(float(max(c.x.max() for c in caps)))

    def residuals(params: dict[str, float]) -> np.ndarray:
        return curve_residuals(GAN_EQUATIONS, params, caps)

    return fit_parameters(residuals, start, names, bounds)

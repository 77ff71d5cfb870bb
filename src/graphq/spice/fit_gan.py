"""Fitting the EPC-style GaN HEMT (:mod:`graphq.spice.gan_epc`) to datasheet curves.

Starting values: a HEMT's saturation current grows linearly with Vgs, so a line through
the saturated points gives vth and the slope ``awg/x0``; the first points of the output
curve at the highest Vgs give ``awg·Vov``; the lowest decade of a transfer curve gives k2.
The capacitances' logistic sums are fitted as :mod:`graphq.spice.fit_logistic_capacitance`
fits them. Then bounded least squares on the channel (with reverse conduction, which a HEMT
does through its channel).
"""

from __future__ import annotations

import numpy as np

from graphq.spice import gan_epc
from graphq.spice.channel_start import saturation_points
from graphq.spice.curves import CurveData, DeviceEquations, Params
from graphq.spice.fit_logistic_capacitance import fit_logistic_capacitances
from graphq.spice.logistic_capacitance import logistic_capacitances
from graphq.spice.optimise import Bound, ParameterFit, curve_residuals, fit_parameters


def _capacitances(params: Params, vgs: np.ndarray, vds: np.ndarray) -> dict[str, np.ndarray]:
    return logistic_capacitances(gan_epc.with_defaults(params), vgs, vds)


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


def _line_start(curves: list[CurveData]) -> tuple[float, float]:
    """vth and d(Isat)/dVgs from the saturated points."""
    x, y = saturation_points(curves)
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
    return fit_logistic_capacitances(curves, GAN_EQUATIONS, gan_epc.GAN_DEFAULTS)

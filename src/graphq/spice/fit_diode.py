"""Fitting the VDMOS body diode (Is, N, Rb) to its forward curve.

Above a few Vt the diode obeys ``Vsd = N·Vt·ln(I) - N·Vt·ln(Is) + Rb·I``, linear in
``N·Vt``, ``N·Vt·ln(Is)`` and ``Rb``: ordinary least squares gives the start, bounded
least squares on the current's display error refines it.
"""

from __future__ import annotations

import numpy as np

from graphq.spice.curves import CurveData
from graphq.spice.optimise import Bound, ParameterFit, curve_residuals, fit_parameters
from graphq.spice.vdmos import THERMAL_VOLTAGE_V, VDMOS_DEFAULTS
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

DIODE_BOUNDS = {
    "is": Bound(1e-30, 1e-2, log=True),
    "n": Bound(0.3, 30.0, log=True),
    "rb": Bound(1e-9, 100.0, log=True, natural_low=True),
}
DIODE_NAMES = ["is", "n", "rb"]


def initial_diode_guess(curves: list[CurveData]) -> dict[str, float]:
    x = np.concatenate([c.x for c in curves])
    y = np.concatenate([c.y for c in curves])
    forward = y > 0
    design = np.column_stack([np.log(y[forward]), np.ones(forward.sum()), y[forward]])
    (nvt, offset, rb), *_ = np.linalg.lstsq(design, x[forward], rcond=None)
    nvt = float(np.clip(nvt, 0.3 * THERMAL_VOLTAGE_V, 30.0 * THERMAL_VOLTAGE_V))
    # A curve without visible series resistance starts Rb where its drop at the highest
    # current is a hundredth of N·Vt, not at a fixed floor that could dominate kiloamperes.
    negligible = 0.01 * nvt / float(y[forward].max())
    return {
        "is": float(np.clip(np.exp(-offset / nvt), 1e-30, 1e-2)),
        "n": nvt / THERMAL_VOLTAGE_V,
        "rb": float(max(rb, negligible)),
    }


def fit_diode(curves: list[CurveData]) -> ParameterFit:
    """Fit Is, N and Rb to the body-diode ``curves``; ngspice's defaults without them."""
    diode = [c for c in curves if c.kind == "body_diode"]
    if not diode:
        return ParameterFit({n: VDMOS_DEFAULTS[n] for n in DIODE_NAMES})
    start = initial_diode_guess(diode)

    def residuals(params: dict[str, float]) -> np.ndarray:
        return curve_residuals(VDMOS_EQUATIONS, params, diode)

    return fit_parameters(residuals, start, DIODE_NAMES, DIODE_BOUNDS)

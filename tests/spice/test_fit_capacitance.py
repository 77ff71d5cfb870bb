"""Fitting capacitances: judged and fitted by their relative error, on any axis."""

from __future__ import annotations

import numpy as np

from graphq.spice.curves import CurveData
from graphq.spice.fit_capacitance import fit_capacitances
from graphq.spice.inputs import AxisScale
from graphq.spice.vdmos import capacitances

TRUE = {"cgs": 160e-12, "cgdmax": 60e-12, "cgdmin": 1e-12, "a": 0.8, "cjo": 150e-12}
TRUE |= {"vj": 0.8, "m": 0.6}
# A depletion part's graph: 0–200 pF on a linear axis, measured at VGS = -10 V.
LINEAR = AxisScale(log=False, low=0.0, high=200e-12)


def _curves() -> list[CurveData]:
    vds = np.linspace(0.1, 40.0, 200)
    values = capacitances(TRUE, vds, vgs=-10.0)
    return [
        CurveData("capacitance", name.capitalize(), -10.0, vds, values[name], LINEAR, name)
        for name in ("ciss", "coss", "crss")
    ]


def test_a_small_crss_on_a_linear_axis_is_fitted_to_its_relative_error() -> None:
    curves = _curves()
    fitted = fit_capacitances(curves).params
    model = capacitances(fitted, curves[2].x, vgs=-10.0)
    for curve in curves:
        relative = np.abs(model[curve.capacitance] / curve.y - 1.0)
        assert float(np.median(relative)) < 0.03, curve.name

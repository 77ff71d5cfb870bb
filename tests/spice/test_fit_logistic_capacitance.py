"""Fitting logistic-sum capacitances to Ciss, Coss and Crss."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.spice.curves import CurveData
from graphq.spice.fit_gan import GAN_EQUATIONS
from graphq.spice.fit_logistic_capacitance import fit_logistic_capacitances, logistic_bounds
from graphq.spice.inputs import AxisScale
from graphq.spice.logistic_capacitance import logistic_capacitances

STEPPED = {"cgs": 1.2e-9}
STEPPED |= {"cgd0": 2e-12, "cgd1": 1.5e-10, "vgd1": 4.0, "wgd1": 0.3}
STEPPED |= {"cgd2": 2e-11, "vgd2": 1.0, "wgd2": 1.5}
STEPPED |= {"cds0": 3e-11, "cds1": 6e-10, "vds1": 4.5, "wds1": 0.5}
STEPPED |= {"cds2": 1e-10, "vds2": 15.0, "wds2": 8.0}


def curves_of(params: dict[str, float], vgs: float) -> list[CurveData]:
    vds = np.geomspace(0.1, 100.0, 60)
    caps = logistic_capacitances(params, np.full_like(vds, vgs), vds)
    scale = AxisScale(log=True, low=1e-12, high=1e-8)
    return [
        CurveData("capacitance", name.capitalize(), vgs, vds, caps[name], scale, capacitance=name)
        for name in ("ciss", "coss", "crss")
    ]


def test_a_superjunction_step_is_fitted_back() -> None:
    curves = curves_of(STEPPED, 0.0)
    fitted = fit_logistic_capacitances(curves, GAN_EQUATIONS, {})
    vds = curves[0].x
    model = logistic_capacitances(fitted.params, np.zeros_like(vds), vds)
    for curve in curves:
        error = np.median(np.abs(model[curve.capacitance] / curve.y - 1.0))
        assert error < 0.02, curve.name
    assert not fitted.at_bound


def test_step_centres_start_at_the_first_reading_of_their_voltage() -> None:
    # Measured at Vgs = -10 V: Crss is read from Vdg = 10.1 V, Coss from Vds = 0.1 V.
    curves = curves_of(STEPPED, -10.0)
    bounds = logistic_bounds(curves)
    assert bounds["vgd1"].low == pytest.approx(10.1)
    assert bounds["vds1"].low == pytest.approx(0.1)
    assert bounds["vgd1"].natural_low and bounds["cgd2"].natural_low
    # No step taller than ten times the graph's largest capacitance.
    assert bounds["cds1"].high == pytest.approx(10 * max(c.y.max() for c in curves))

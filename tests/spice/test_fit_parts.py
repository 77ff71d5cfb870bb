"""The fitter's parts on curves that once led them astray: dense digitizer output, a Crss
that lies flat, a subthreshold slope steeper than physics allows, a kiloampere diode."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.spice import fit_model, vdmos, verify_with_ngspice
from graphq.spice.channel_bounds import KSUBTHRES_MIN
from graphq.spice.curves import CurveData, thinned
from graphq.spice.fit_capacitance import CGDMIN_FLOOR_FRACTION, fit_capacitances
from graphq.spice.fit_diode import fit_diode
from graphq.spice.inputs import AxisScale, FitInput, OutputCurve, TransferCurve
from graphq.spice.ngspice import ngspice_available

LOG_PF = AxisScale(log=True, low=1e-11, high=1e-8)


def test_a_dense_curve_is_thinned_to_evenly_spaced_points_keeping_both_ends() -> None:
    x = np.linspace(0.0, 10.0, 1000)
    curve = CurveData("output", "VGS = 10 V", 10.0, x, x**2, AxisScale(False, 0.0, 100.0))
    fewer = thinned(curve, 64)
    assert fewer.x.size == 64
    assert (fewer.x[0], fewer.x[-1]) == (0.0, 10.0)
    # Evenly spaced to within one of the original points.
    assert np.allclose(np.diff(fewer.x), 10.0 / 63, atol=x[1])
    assert np.array_equal(fewer.y, fewer.x**2)
    assert thinned(fewer, 64) is fewer


def test_one_misread_output_curve_does_not_pull_the_fit_off_the_others() -> None:
    card = {"vto": 3.0, "kp": 8.0, "lambda": 0.01, "theta": 0.05, "rs": 0.005, "rd": 0.01}
    vds = np.linspace(0.0, 10.0, 50)
    gate_voltages = (10.0, 7.0, 6.0, 5.0, 4.5)
    true_curves = {v: vdmos.drain_current(card, v, vds) for v in gate_voltages}
    full_scale = 1.1 * max(float(c.max()) for c in true_curves.values())
    read = dict(true_curves)
    read[6.0] = true_curves[6.0] + 0.08 * full_scale  # a whole curve read 8 % high
    inputs = FitInput(
        output=[OutputCurve(v, np.column_stack([vds, read[v]]).tolist()) for v in gate_voltages],
        y_scales={"output": AxisScale(log=False, low=0.0, high=full_scale)},
    )
    fit = fit_model(inputs, model_type="vdmos", name="MISREAD")
    for vgs, truth in true_curves.items():
        model = vdmos.drain_current(fit.parameters, vgs, vds)
        assert np.sqrt(np.mean((model - truth) ** 2)) / full_scale < 0.01, vgs


def crss_curve(vds: np.ndarray) -> CurveData:
    """A Crss falling as a tanh onto a 25 pF floor, as many datasheets draw it."""
    crss = 25e-12 + 600e-12 * (1.0 - np.tanh(0.15 * vds))
    return CurveData("capacitance", "Crss", 0.0, vds, crss, LOG_PF, "crss")


def test_a_crss_read_until_it_lies_flat_keeps_its_floor() -> None:
    curve = crss_curve(np.linspace(0.1, 40.0, 80))
    fitted = fit_capacitances([curve]).params
    assert fitted["cgdmin"] >= CGDMIN_FLOOR_FRACTION * curve.y.min()
    far = vdmos.capacitances(fitted, np.array([100.0]))["crss"][0]
    assert far == pytest.approx(25e-12, rel=0.5)


def test_a_crss_still_falling_at_its_end_leaves_the_floor_free() -> None:
    curve = crss_curve(np.linspace(0.1, 8.0, 40))
    fitted = fit_capacitances([curve]).params
    assert fitted["cgdmin"] < CGDMIN_FLOOR_FRACTION * curve.y.min()


@pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")
def test_an_impossibly_steep_subthreshold_slope_still_gives_a_model_ngspice_runs() -> None:
    card = {"vto": 3.0, "kp": 10.0, "ksubthres": 0.005}
    vgs = np.linspace(2.9, 10.0, 60)
    vds = np.linspace(0.0, 10.0, 40)
    inputs = FitInput(
        transfer=[
            TransferCurve(
                10.0, np.column_stack([vgs, vdmos.drain_current(card, vgs, 10.0)]).tolist()
            )
        ],
        output=[
            OutputCurve(v, np.column_stack([vds, vdmos.drain_current(card, v, vds)]).tolist())
            for v in (5.0, 10.0)
        ],
    )
    fit = fit_model(inputs, model_type="vdmos", name="STEEP")
    assert fit.parameters["ksubthres"] >= KSUBTHRES_MIN
    verification = verify_with_ngspice(fit, inputs)
    assert verification is not None
    # The onset itself cannot be followed; everything above it is.
    output = [r for r in verification.report if r.graph_type == "output"]
    assert max(r.rms_error for r in output) < 0.03


def test_a_kiloampere_diode_without_series_resistance_is_followed() -> None:
    params = {"is": 1e-14, "n": 1.0, "rb": 0.0}
    vsd = np.linspace(0.9, 1.1, 40)
    current = vdmos.body_diode_current(params, vsd)
    scale = AxisScale(log=True, low=float(current.min()), high=float(current.max()))
    fitted = fit_diode([CurveData("body_diode", "diode", 0.0, vsd, current, scale)]).params
    assert vdmos.body_diode_current(fitted, vsd) == pytest.approx(current, rel=0.05)

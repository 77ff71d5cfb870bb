"""Self-heating: the heated VDMOS equations against ngspice's thermal instances, and a
self-heated part's DC output curves fitted back with the datasheet's Rth(j-c)."""

from __future__ import annotations

import msgspec
import numpy as np
import pytest

from graphq.spice import FitInput, SpiceFit, fit_model, vdmos, verify_with_ngspice
from graphq.spice.curves import CurveData
from graphq.spice.fit_channel import refit_thermal_resistance
from graphq.spice.inputs import AxisScale
from graphq.spice.model_file import vdmos_model_text
from graphq.spice.ngspice import ngspice_available
from graphq.spice.self_heating import drain_current, junction_rise
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, simulate

from .devices import SELF_HEATED_DEVICE, KnownDevice, channel_errors

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

# Every temperature term a heated instance scales, quasi-saturation included.
HEATED_CARD = {
    "vto": 3.0,
    "kp": 5.0,
    "rd": 0.05,
    "rs": 0.01,
    "rq": 0.2,
    "vq": 5.0,
    "tcvth": 0.005,
    "mu": -2.0,
    "texp0": 2.0,
    "rthjc": 0.5,
}
# The datasheet's Rth(j-c) for the fitted part: above its true 0.25 K/W, as a datasheet's
# maximum is above a typical part's.
DATASHEET_RTHJC = 0.4
EXACT_CURVES_BOUND = 0.01


@pytest.mark.parametrize("card", [HEATED_CARD, {**HEATED_CARD, "texp0": None}], ids=["texp0", "no"])
def test_heated_currents_match_ngspice_thermal_instances(card: dict[str, float | None]) -> None:
    params = {k: v for k, v in card.items() if v is not None}
    dut = DeviceUnderTest(vdmos_model_text("HOT", params, pchan=False), "HOT", thermal=True)
    plan = SweepPlan(output_vgs_v=[5.0, 8.0], output_vds_grid_v=(0.0, 20.0, 0.5))
    result = simulate(dut, plan)

    for vgs, simulated in zip(plan.output_vgs_v, result.output_id_a, strict=True):
        gate = np.full_like(result.output_vds_v, vgs)
        heated = drain_current(params, gate, result.output_vds_v)
        np.testing.assert_allclose(heated, simulated, rtol=1e-3, atol=1e-6)
    # The heating is far beyond that tolerance: tens of kelvin, a fifth of the current.
    top = np.array([20.0])
    assert junction_rise(params, np.array([8.0]), top)[0] > 30.0
    cold = vdmos.drain_current(params, np.array([8.0]), top)[0]
    assert result.output_id_a[1, -1] < 0.8 * cold


@pytest.fixture(scope="module")
def heated_fit() -> tuple[FitInput, SpiceFit]:
    truth = msgspec.structs.replace(SELF_HEATED_DEVICE.datasheet(), rthjc_k_per_w=DATASHEET_RTHJC)
    return truth, fit_model(truth, model_type="vdmos", name="HOT")


def test_dc_output_curves_give_back_the_thermal_resistance(
    heated_fit: tuple[FitInput, SpiceFit],
) -> None:
    truth, fit = heated_fit
    assert "rthjc" in fit.fitted
    assert fit.parameters["rthjc"] == pytest.approx(SELF_HEATED_DEVICE.params["rthjc"], rel=0.05)
    assert not fit.at_bound
    errors = channel_errors(fit, truth)
    assert errors["output"] <= EXACT_CURVES_BOUND, errors
    assert errors["transfer"] <= EXACT_CURVES_BOUND, errors
    (heating,) = [w for w in fit.warnings if "self-heating fitted: rthjc" in w]
    assert "state no pulse width" in heating


def test_heating_fitted_to_pulsed_curves_is_named_the_pulses_not_a_dc_sweeps() -> None:
    truth = msgspec.structs.replace(SELF_HEATED_DEVICE.datasheet(), rthjc_k_per_w=DATASHEET_RTHJC)
    truth.output = [msgspec.structs.replace(c, pulse_s=300e-6) for c in truth.output]
    fit = fit_model(truth, model_type="vdmos", name="PULSED")
    (heating,) = [w for w in fit.warnings if "self-heating fitted: rthjc" in w]
    assert "measured with 300 µs pulses" in heating and "below a DC sweep's" in heating


def test_the_written_card_heats_in_ngspice_as_fitted(heated_fit: tuple[FitInput, SpiceFit]) -> None:
    truth, fit = heated_fit
    assert "rthjc=" in fit.model_text
    verification = verify_with_ngspice(fit, truth)
    assert verification is not None
    channel = [r for r in verification.report if r.graph_type in ("output", "transfer")]
    assert max(r.rms_error for r in channel) <= EXACT_CURVES_BOUND, channel


def test_pulsed_curves_that_show_no_heating_get_no_thermal_resistance() -> None:
    cold = {k: v for k, v in SELF_HEATED_DEVICE.params.items() if k != "rthjc"}
    device = KnownDevice("pulsed", cold, SELF_HEATED_DEVICE.conditions)
    truth = msgspec.structs.replace(device.datasheet(), rthjc_k_per_w=DATASHEET_RTHJC)
    fit = fit_model(truth, model_type="vdmos", name="COLD")
    assert fit.parameters.get("rthjc", 0.0) <= 0.02 * DATASHEET_RTHJC
    assert channel_errors(fit, truth)["output"] <= EXACT_CURVES_BOUND


def test_the_thermal_resistance_is_refitted_to_the_final_temperature_terms() -> None:
    """mu, fitted after the channel, sets what a kelvin of heating costs: rthjc follows it."""
    card = {"vto": 3.5, "kp": 0.6, "rd": 0.3, "rs": 0.05, "mu": -2.5, "rthjc": 0.25}
    vds = np.linspace(0.0, 20.0, 41)
    curves = [
        CurveData(
            "output",
            f"VGS = {vgs:g} V",
            vgs,
            vds,
            drain_current(card, np.full_like(vds, vgs), vds),
            AxisScale(log=False, low=0.0, high=10.0),
            x_log=False,
        )
        for vgs in (6.0, 8.0, 10.0)
    ]
    refit = refit_thermal_resistance(curves, {**card, "rthjc": 0.1}, DATASHEET_RTHJC)
    assert refit.names == ("rthjc",)
    assert refit.params["rthjc"] == pytest.approx(0.25, rel=1e-3)

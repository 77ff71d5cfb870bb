"""The numpy VDMOS model is ngspice's VDMOS, point by point."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.spice import vdmos
from graphq.spice.model_file import vdmos_model_text
from graphq.spice.ngspice import ngspice_available
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, SweepResult, grid, simulate

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

TOLERANCE = 0.005

CAPS = {"cgs": 2e-9, "cgdmax": 1.5e-9, "cgdmin": 5e-11, "a": 0.4, "cjo": 1.2e-9, "vj": 0.6}

DEVICES: dict[str, tuple[dict[str, float], bool]] = {
    "plain square law": ({"vto": 3.0, "kp": 5.0, **CAPS}, False),
    "lambda theta mtriode ksubthres": (
        {
            "vto": 2.5,
            "kp": 20.0,
            "lambda": 0.02,
            "theta": 0.1,
            "mtriode": 1.8,
            "ksubthres": 0.2,
            **CAPS,
            "m": 0.35,
        },
        False,
    ),
    "series resistances": (
        {
            "vto": 4.0,
            "kp": 50.0,
            "rs": 0.01,
            "rd": 0.02,
            "lambda": 0.01,
            "theta": 0.05,
            "cgs": 5e-9,
            "cgdmax": 3e-9,
            "cgdmin": 1e-10,
            "a": 1.5,
            "cjo": 4e-9,
            "vj": 0.9,
            "m": 0.6,
            "is": 1e-12,
            "n": 1.3,
            "rb": 0.01,
        },
        False,
    ),
    "p-channel": (
        {
            "vto": -2.0,
            "kp": 8.0,
            "rs": 0.02,
            "rd": 0.03,
            "lambda": 0.01,
            "mtriode": 1.5,
            "ksubthres": 0.05,
            **CAPS,
            "is": 5e-13,
            "n": 1.1,
            "rb": 0.005,
        },
        True,
    ),
    "depletion": ({"vto": -2.5, "kp": 2.0, "theta": 0.02, "ksubthres": 0.15, **CAPS}, False),
    "silicon carbide": (
        {
            "vto": 3.0,
            "kp": 1.0,
            "theta": 0.3,
            "rd": 0.05,
            "mtriode": 0.8,
            "ksubthres": 0.3,
            "cgs": 1e-9,
            "cgdmax": 4e-10,
            "cgdmin": 1e-11,
            "a": 0.1,
            "cjo": 5e-10,
            "vj": 2.0,
            "m": 0.45,
            "is": 1e-10,
            "n": 2.5,
            "rb": 0.05,
        },
        False,
    ),
}

PLAN = SweepPlan(
    output_vgs_v=[-3.0, 0.0, 4.0, 5.0, 7.0, 10.0, 15.0],
    output_vds_grid_v=(0.0, 20.0, 0.1),
    transfer_vds_v=[0.5, 5.0, 20.0],
    transfer_vgs_grid_v=(-5.0, 15.0, 0.05),
    capacitance_vds_v=[-0.5, -0.2, 0.0, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0],
    diode_vsd_grid_v=(0.0, 1.2, 0.01),
)


def assert_close(model: np.ndarray, simulated: np.ndarray, floor: float) -> None:
    """Every point within TOLERANCE of the simulator, ignoring values below ``floor``."""
    relevant = np.abs(simulated) > floor
    assert relevant.sum() > 0
    error = np.abs(model - simulated)[relevant] / np.abs(simulated)[relevant]
    assert error.max() <= TOLERANCE, f"worst {error.max():.2%}"


@pytest.fixture(scope="module", params=list(DEVICES), ids=list(DEVICES))
def device(request: pytest.FixtureRequest) -> tuple[dict[str, float], bool, SweepResult]:
    params, pchan = DEVICES[request.param]
    dut = DeviceUnderTest(vdmos_model_text("DUT", params, pchan=pchan), "DUT", pchan=pchan)
    return params, pchan, simulate(dut, PLAN)


def test_simulator_visits_the_planned_grid(device) -> None:
    _, _, result = device
    assert np.allclose(result.output_vds_v, grid(PLAN.output_vds_grid_v))
    assert np.allclose(result.transfer_vgs_v, grid(PLAN.transfer_vgs_grid_v))


def test_output_curves_match_ngspice(device) -> None:
    params, pchan, result = device
    sign = -1.0 if pchan else 1.0
    vgs = sign * np.asarray(PLAN.output_vgs_v)[:, None]
    model = sign * vdmos.drain_current(
        params, vgs, sign * result.output_vds_v[None, :], pchan=pchan
    )
    assert_close(model, result.output_id_a, floor=1e-9)


def test_transfer_curves_match_ngspice_down_to_subthreshold(device) -> None:
    params, pchan, result = device
    sign = -1.0 if pchan else 1.0
    vds = sign * np.asarray(PLAN.transfer_vds_v)[:, None]
    channel = vdmos.drain_current(params, sign * result.transfer_vgs_v[None, :], vds, pchan=pchan)
    # Deep in subthreshold the reverse-biased body diode's Is is part of the drain current.
    leakage = -vdmos.body_diode_current(params, -vds, pchan=pchan)
    model = sign * (channel + leakage)
    assert_close(model, result.transfer_id_a, floor=1e-9)


def test_capacitances_match_ngspice(device) -> None:
    params, pchan, result = device
    sign = -1.0 if pchan else 1.0
    model = vdmos.capacitances(params, sign * result.capacitance_vds_v, pchan=pchan)
    for name in ("ciss", "coss", "crss"):
        assert_close(model[name], result.capacitance_f[name], floor=1e-15)


def test_body_diode_matches_ngspice(device) -> None:
    params, pchan, result = device
    if params["vto"] * (-1.0 if pchan else 1.0) < 0:
        pytest.skip("a depletion channel conducts in parallel with the diode")
    sign = -1.0 if pchan else 1.0
    model = sign * vdmos.body_diode_current(params, sign * result.diode_vsd_v, pchan=pchan)
    # Below a microampere the channel's own subthreshold leakage in inverse mode adds in.
    assert_close(model, result.diode_isd_a, floor=1e-6)

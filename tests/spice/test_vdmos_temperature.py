"""The temperature scaling in numpy against ngspice 39 at -55 °C and 150 °C."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from graphq.spice import vdmos
from graphq.spice.model_file import vdmos_model_text
from graphq.spice.ngspice import ngspice_available
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, simulate
from graphq.spice.vdmos_temperature import at_temperature, is_nominal

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

TOLERANCE = 1e-3
CARD = {
    "vto": 3.0,
    "kp": 5.0,
    "lambda": 0.01,
    "rd": 0.2,
    "rs": 0.05,
    "rq": 0.5,
    "vq": 4.0,
    "ksubthres": 0.1,
    "is": 1e-12,
    "n": 1.2,
    "rb": 0.02,
    "tcvth": 0.005,
    "mu": -2.2,
    "texp0": 2.4,
    "eg": 1.15,
}
PLAN = SweepPlan(
    output_vgs_v=[5.0, 10.0],
    output_vds_grid_v=(0.0, 20.0, 0.5),
    transfer_vds_v=[10.0],
    transfer_vgs_grid_v=(2.0, 8.0, 0.25),
    diode_vsd_grid_v=(0.4, 1.2, 0.05),
)


@pytest.mark.parametrize("pchan", [False, True], ids=["nchan", "pchan"])
@pytest.mark.parametrize("temperature", [-55.0, 150.0])
def test_scaled_parameters_give_the_currents_ngspice_simulates(
    temperature: float, pchan: bool
) -> None:
    card = {**CARD, "vto": -CARD["vto"]} if pchan else CARD
    dut = DeviceUnderTest(vdmos_model_text("DUT", card, pchan=pchan), "DUT", pchan=pchan)
    result = simulate(dut, replace(PLAN, temperature_c=temperature))
    scaled = at_temperature(CARD, temperature)
    output = vdmos.drain_current(
        scaled, np.asarray(PLAN.output_vgs_v)[:, None], result.output_vds_v[None, :]
    )
    assert output == pytest.approx(result.output_id_a, rel=TOLERANCE, abs=1e-9)
    vds = PLAN.transfer_vds_v[0]
    # Deep in subthreshold the reverse-biased body diode's Is, hot, adds in.
    leakage = -vdmos.body_diode_current(scaled, np.array([-vds]))
    transfer = vdmos.drain_current(scaled, result.transfer_vgs_v, vds) + leakage
    assert transfer == pytest.approx(result.transfer_id_a[0], rel=TOLERANCE, abs=1e-9)
    diode = vdmos.body_diode_current(scaled, result.diode_vsd_v)
    assert diode == pytest.approx(result.diode_isd_a, rel=TOLERANCE, abs=1e-9)


def test_parameters_at_tnom_are_the_card_itself() -> None:
    scaled = at_temperature(CARD, 25.0)
    assert {k: scaled[k] for k in CARD} == CARD
    assert is_nominal(27.0) and not is_nominal(75.0)


def test_rd_stays_constant_without_texp0_as_in_ngspice() -> None:
    card = {k: v for k, v in CARD.items() if k != "texp0"}
    assert at_temperature(card, 150.0)["rd"] == card["rd"]
    assert at_temperature(CARD, 150.0)["rd"] > 1.5 * CARD["rd"]

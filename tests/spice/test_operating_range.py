"""Every model graphq writes runs in ngspice from -55 °C to 175 °C: DC, AC and switching."""

from __future__ import annotations

import pytest

from graphq.review import ReviewReason
from graphq.spice import fit_model
from graphq.spice.curves import curve_table
from graphq.spice.model_file import vdmos_model_text
from graphq.spice.ngspice import ngspice_available
from graphq.spice.operating_range import (
    OPERATING_TEMPERATURES_C,
    SwitchingBench,
    bench_for,
    operating_range_review,
)
from graphq.spice.simulate import DeviceUnderTest
from graphq.spice.verify import device_under_test

from .devices import GAN_DEVICE, VDMOS_DEVICES, KnownDevice

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

DEVICES = [*VDMOS_DEVICES, GAN_DEVICE]
CARD = {"vto": 3.0, "kp": 5.0, "cgs": 2e-9, "cgdmax": 1.5e-9, "cgdmin": 5e-11, "a": 0.4}


def test_the_range_spans_the_ratings_of_power_devices() -> None:
    assert min(OPERATING_TEMPERATURES_C) == -55.0
    assert max(OPERATING_TEMPERATURES_C) == 175.0


@pytest.mark.parametrize("device", DEVICES, ids=[d.name for d in DEVICES])
def test_every_emitted_model_runs_from_minus_55_to_175_degrees(device: KnownDevice) -> None:
    truth = device.datasheet()
    fit = fit_model(truth, model_type=device.model_type, name=device.name)
    threshold = fit.parameters["vth" if device.model_type == "gan-epc" else "vto"]
    bench = bench_for(curve_table(truth), -threshold if fit.pchan else threshold)
    review = operating_range_review(device_under_test(fit), bench)
    assert not review.needs_review, review.reasons


def test_a_junction_potential_near_zero_stops_ngspice_away_from_room_temperature() -> None:
    """The card that once came out of the fitter (vj on its old 0.02 V bound)."""
    text = vdmos_model_text("LOWVJ", CARD | {"cjo": 1.2e-9, "vj": 0.02}, pchan=False)
    review = operating_range_review(DeviceUnderTest(text, "LOWVJ"), SwitchingBench())
    assert {n.code for n in review.reasons} == {ReviewReason.FIT_BEYOND_LIMITS}
    failing = " ".join(n.message for n in review.reasons)
    assert "at 175 °C" in failing and "at -55 °C" in failing and "at 25 °C" not in failing


def test_the_bench_switches_a_depletion_part_off_below_its_threshold() -> None:
    depletion = next(d for d in VDMOS_DEVICES if d.name == "depletion")
    bench = bench_for(curve_table(depletion.datasheet()), -2.5)
    assert bench.gate_off_v == pytest.approx(-5.5)
    assert bench.gate_on_v == 5.0
    assert bench.supply_v == pytest.approx(100.0)

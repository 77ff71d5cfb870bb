"""Every model graphq writes runs in ngspice from -55 °C to 175 °C: DC, AC and switching."""

from __future__ import annotations

import msgspec
import pytest

from graphq.review import ReviewReason
from graphq.spice import FitInput, fit_model
from graphq.spice.curves import curve_table
from graphq.spice.model_file import vdmos_model_text
from graphq.spice.ngspice import ngspice_available
from graphq.spice.operating_range import (
    OPERATING_TEMPERATURES_C,
    SwitchingBench,
    bench_for,
    bench_netlist,
    operating_range_review,
)
from graphq.spice.simulate import DeviceUnderTest
from graphq.spice.verify import device_under_test

from .devices import (
    GAN_DEVICE,
    LINEAR_DRIFT_DEVICE,
    SELF_HEATED_DEVICE,
    SUPERJUNCTION_DEVICE,
    TEMPERATURE_DEVICE,
    VDMOS_DEVICES,
    KnownDevice,
)

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

# Every kind of model the fitter writes: plain cards of either polarity and mode, quasi-
# saturation (held and fitted vq), temperature terms, self-heating, stepped capacitances in
# the subcircuit, and the GaN subcircuit.
DEVICES = [
    *VDMOS_DEVICES,
    LINEAR_DRIFT_DEVICE,
    TEMPERATURE_DEVICE,
    SELF_HEATED_DEVICE,
    SUPERJUNCTION_DEVICE,
    GAN_DEVICE,
]
# The self-heated part's datasheet Rth(j-c), so that its card is written with rthjc.
DATASHEET_RTHJC_K_PER_W = 0.4
CARD = {"vto": 3.0, "kp": 5.0, "cgs": 2e-9, "cgdmax": 1.5e-9, "cgdmin": 5e-11, "a": 0.4}


def test_the_range_spans_the_ratings_of_power_devices() -> None:
    assert min(OPERATING_TEMPERATURES_C) == -55.0
    assert max(OPERATING_TEMPERATURES_C) == 175.0


def _datasheet(device: KnownDevice) -> FitInput:
    truth = device.datasheet()
    if "rthjc" in device.params:
        return msgspec.structs.replace(truth, rthjc_k_per_w=DATASHEET_RTHJC_K_PER_W)
    return truth


@pytest.mark.parametrize("device", DEVICES, ids=[d.name for d in DEVICES])
def test_every_emitted_model_runs_from_minus_55_to_175_degrees(device: KnownDevice) -> None:
    """The model file and each of its dialects (the PSpice-style subcircuit), a heated card
    with its instances heating themselves."""
    truth = _datasheet(device)
    fit = fit_model(truth, model_type=device.model_type, name=device.name)
    threshold = fit.parameters["vth" if device.model_type == "gan-epc" else "vto"]
    bench = bench_for(curve_table(truth), -threshold if fit.pchan else threshold)
    dialects = ["vdmos", *fit.dialects]
    assert dialects == (["vdmos", "pspice"] if device.model_type == "vdmos" else ["vdmos"])
    if device is SELF_HEATED_DEVICE:
        assert device_under_test(fit).thermal
    for dialect in dialects:
        review = operating_range_review(device_under_test(fit, dialect), bench)
        assert not review.needs_review, (dialect, review.reasons)


def test_a_heated_cards_instances_heat_themselves_on_the_bench() -> None:
    text = vdmos_model_text("HOT", CARD | {"rthjc": 0.5}, pchan=False)
    netlist = bench_netlist(DeviceUnderTest(text, "HOT", thermal=True), SwitchingBench(), 175.0)
    devices = [line for line in netlist.splitlines() if line.startswith("m")]
    assert len(devices) == 3
    assert all(line.endswith(" HOT thermal") for line in devices)
    assert "vcase tcase 0 dc 0" in netlist.splitlines()


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

"""The PSpice-style subcircuit: loaded and simulated in ngspice, it draws the same curves as
the VDMOS card it was written from, and runs from -55 °C to 175 °C."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.spice import fit_model, verify_with_ngspice
from graphq.spice.logistic_capacitance import logistic_capacitances
from graphq.spice.model_file import check_model_text
from graphq.spice.ngspice import ngspice_available
from graphq.spice.pspice_subckt import pspice_subckt_text
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, simulate

from .devices import SUPERJUNCTION_DEVICE, VDMOS_DEVICES, KnownDevice

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

# The subcircuit holds the card's own equations: only the simulators' tolerances differ.
SAME_CURVES = 0.002
CHOSEN = [
    d for d in VDMOS_DEVICES if d.name in ("trench", "p-channel", "depletion", "quasi-saturated")
]


@pytest.mark.parametrize("device", CHOSEN, ids=[d.name for d in CHOSEN])
def test_the_subcircuit_draws_the_curves_of_the_card(device: KnownDevice) -> None:
    truth = device.datasheet()
    fit = fit_model(truth, model_type="vdmos", name=device.name)
    text = fit.dialects["pspice"]
    assert check_model_text(text) == text
    assert ".SUBCKT" in text and "VDMOS" not in text.split("\n", 1)[1]
    card = verify_with_ngspice(fit, truth)
    subcircuit = verify_with_ngspice(fit, truth, "pspice")
    assert card is not None and subcircuit is not None
    assert subcircuit.dialect == "pspice"
    assert not subcircuit.review.needs_review, subcircuit.review.reasons
    by_curve = {(r.graph_type, r.name): r for r in card.report}
    for report in subcircuit.report:
        reference = by_curve[(report.graph_type, report.name)]
        assert report.rms_error <= reference.rms_error + SAME_CURVES, report.name


@pytest.mark.parametrize("pchan", [False, True], ids=["n-channel", "p-channel"])
def test_stepped_capacitances_are_drawn_as_their_sums_in_either_polarity(pchan: bool) -> None:
    card = {**SUPERJUNCTION_DEVICE.params, "vto": -3.5 if pchan else 3.5}
    stepped = SUPERJUNCTION_DEVICE.stepped or {}
    text = pspice_subckt_text("SJ", card, pchan=pchan, capacitances=stepped)
    assert "CJO" not in text
    vds = [0.5, 3.0, 4.5, 6.0, 30.0]
    dut = DeviceUnderTest(text, "SJ", instance_prefix="x", pchan=pchan)
    simulated = simulate(dut, SweepPlan(capacitance_vds_v=vds)).capacitance_f
    expected = logistic_capacitances(stepped, np.zeros(len(vds)), np.array(vds))
    for name in ("ciss", "coss", "crss"):
        np.testing.assert_allclose(simulated[name], expected[name], rtol=2e-3, err_msg=name)

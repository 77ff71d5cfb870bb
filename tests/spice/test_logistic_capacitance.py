"""Logistic-sum capacitances: the numpy sum, and the charge-based source that realises it,
measured in ngspice."""

from __future__ import annotations

import math

import numpy as np
import pytest

from graphq.spice.logistic_capacitance import (
    CDS_NAMES,
    CGD_NAMES,
    charge_element,
    charge_text,
    logistic_capacitances,
    logistic_names,
    logistic_sum,
)
from graphq.spice.ngspice import control_block, ngspice_available, run_batch

STEP = {"cds0": 3e-11, "cds1": 6e-10, "vds1": 4.5, "wds1": 0.5}
STEP |= {"cds2": 1e-10, "vds2": 15.0, "wds2": 8.0}


def test_names_list_the_floor_then_each_terms_height_centre_and_width() -> None:
    assert logistic_names("gd", 1) == ("cgd0", "cgd1", "vgd1", "wgd1")
    assert CGD_NAMES == ("cgd0", "cgd1", "vgd1", "wgd1", "cgd2", "vgd2", "wgd2")


def test_a_sum_falls_from_its_floor_plus_every_step_to_its_floor() -> None:
    values = logistic_sum(STEP, CDS_NAMES, np.array([-100.0, 4.5, 1000.0]))
    assert values[0] == pytest.approx(3e-11 + 6e-10 + 1e-10, rel=1e-6)
    assert values[1] == pytest.approx(3e-11 + 3e-10 + 1e-10 / (1 + math.exp(-10.5 / 8)))
    assert values[2] == pytest.approx(3e-11, rel=1e-6)


def test_cgd_follows_the_drain_gate_voltage_and_cds_the_drain_source_voltage() -> None:
    params = STEP | {"cgs": 1e-9, "cgd0": 1e-12, "cgd1": 1e-10, "vgd1": 5.0, "wgd1": 1.0}
    at_minus_ten = logistic_capacitances(params, np.array([-10.0]), np.array([0.0]))
    at_zero = logistic_capacitances(params, np.array([0.0]), np.array([10.0]))
    # Vdg = 10 V in both: the same Cgd; Cds differs with Vds.
    assert at_minus_ten["crss"] == pytest.approx(at_zero["crss"])
    assert at_minus_ten["coss"] - at_minus_ten["crss"] > at_zero["coss"] - at_zero["crss"]
    assert at_zero["ciss"] == pytest.approx(1e-9 + at_zero["crss"])


@pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")
@pytest.mark.parametrize("syntax", ["b", "e"])
def test_the_charge_element_draws_the_sum_in_ngspice(syntax: str) -> None:
    biases = [0.5, 3.0, 4.5, 6.0, 20.0, 80.0]
    lines = ["charge element"]
    for k, bias in enumerate(biases):
        charge = charge_text(STEP, CDS_NAMES, f"V(n{k})")
        lines += [f"v{k} n{k} 0 dc {bias} ac 1"]
        lines += charge_element(f"x{k}", f"n{k}", "0", charge, syntax=syntax)  # type: ignore[arg-type]
    vectors = " ".join(f"i(v{k})" for k in range(len(biases)))
    commands = ["ac lin 1 1e6 1e6", f"wrdata c.txt {vectors}"]
    netlist = "\n".join([*lines, control_block(commands), ".end"])
    row = run_batch(netlist, ["c.txt"])["c.txt"][0, 1:].reshape(len(biases), 2)
    simulated = -row[:, 1] / (2 * math.pi * 1e6)
    expected = logistic_sum(STEP, CDS_NAMES, np.array(biases))
    np.testing.assert_allclose(simulated, expected, rtol=1e-3)

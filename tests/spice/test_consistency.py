"""Graphs that contradict each other at a shared operating point are named, not fitted
silently."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from graphq.review import ReviewReason
from graphq.spice.consistency import contradictions, disagreements
from graphq.spice.curves import CurveData
from graphq.spice.inputs import AxisScale

AMPS = AxisScale(log=False, low=0.0, high=1.0)
OHMS = AxisScale(log=False, low=0.0, high=20.0)


def output(vgs: float, plateau: float) -> CurveData:
    vds = np.linspace(0.0, 20.0, 41)
    return CurveData("output", f"VGS = {vgs:g} V", vgs, vds, plateau * np.tanh(vds), AMPS)


def transfer(current_at: dict[float, float]) -> CurveData:
    vgs = np.array(sorted(current_at))
    current = np.array([current_at[v] for v in vgs])
    return CurveData("transfer", "VDS = 10 V", 10.0, vgs, current, AMPS)


def test_a_transfer_curve_matching_the_output_curves_raises_nothing() -> None:
    curves = [output(0.0, 0.3), output(1.0, 0.5), transfer({-1.0: 0.0, 0.0: 0.3, 1.0: 0.5})]
    assert not disagreements(curves).needs_review


def test_a_transfer_curve_far_above_an_output_curve_names_both_graphs() -> None:
    curves = [output(-1.0, 0.02), output(1.0, 0.5), transfer({-1.0: 0.13, 1.0: 0.5})]
    (note,) = disagreements(curves).reasons
    assert note.code == ReviewReason.GRAPHS_DISAGREE
    assert "transfer curve VDS = 10 V" in note.message
    assert "output curve VGS = -1 V" in note.message


def test_an_rdson_curve_far_from_the_output_curve_at_its_gate_voltage_is_named() -> None:
    top = output(10.0, 0.5)
    current = np.array([0.05, 0.1, 0.2])
    # The output curve gives about 1 Ω at these currents; this graph says 10 Ω.
    rdson = CurveData("rdson", "VGS = 10 V", 10.0, current, np.full(3, 10.0), OHMS)
    (note,) = disagreements([top, rdson]).reasons
    assert "on-resistance at VGS = 10 V" in note.message


def test_the_reason_names_the_graph_of_each_curve() -> None:
    low = replace(output(-1.0, 0.02), graph='output graph, page 4 ("Output Characteristics")')
    curve = replace(transfer({-1.0: 0.13, 1.0: 0.5}), graph="transfer graph, page 5")
    (note,) = disagreements([low, curve]).reasons
    assert note.message.startswith(
        "the transfer curve VDS = 10 V of the transfer graph, page 5 and the output curve "
        'VGS = -1 V of the output graph, page 4 ("Output Characteristics") disagree'
    )


def test_one_pair_of_graphs_is_one_reason_saying_what_each_reads_at_every_point() -> None:
    low = replace(output(-1.0, 0.02), graph="output graph, page 4")
    high = replace(output(1.0, 0.47), graph="output graph, page 4")
    curve = replace(transfer({-1.0: 0.13, 1.0: 0.28}), graph="transfer graph, page 5")
    (note,) = disagreements([low, high, curve]).reasons
    # The worst point first, with both readings; then the other point of the same graphs.
    assert "at VGS = 1 V, VDS = 10 V (0.28 A against 0.47 A) by 19% of full scale" in note.message
    assert "and at 1 more point(s) (VGS = -1 V, VDS = 10 V: 0.13 A against 0.02 A)" in note.message
    assert "the datasheet's graphs contradict each other" in note.message


def test_an_rdson_curve_a_hair_off_the_output_curves_knee_is_no_contradiction() -> None:
    # Near the knee, 1.5 V more on the flat output curve is a few mA: the Rds(on) graph
    # differs by a quarter of its scale, yet a model on it misses the output graph by 1 %.
    top = output(10.0, 0.3)
    current = np.array([0.285, 0.29, 0.295])
    resistance = (np.arctanh(current / 0.3) + 1.5) / current
    rdson = CurveData("rdson", "VGS = 10 V", 10.0, current, resistance, OHMS)
    assert not disagreements([top, rdson]).needs_review


def test_an_rdson_curve_reaching_currents_the_output_curve_never_reaches_is_named() -> None:
    # The output curve levels off at 0.5 A; the Rds(on) graph draws 0.8 A at 8 V, inside the
    # output graph's 0…20 V, where the output curve gives 0.5 A.
    top = output(10.0, 0.5)
    current = np.array([0.6, 0.7, 0.8])
    rdson = CurveData("rdson", "VGS = 10 V", 10.0, current, 8.0 / current, OHMS)
    (note,) = disagreements([top, rdson]).reasons
    assert (
        "on-resistance at VGS = 10 V, ID = 0.8 A (10 Ω against 16 Ω) by 30% of full scale"
        in note.message
    )


def test_currents_beyond_the_output_curve_at_a_vds_beyond_its_graph_are_not_compared() -> None:
    top = output(10.0, 0.5)
    current = np.array([0.6, 0.7, 0.8])
    rdson = CurveData("rdson", "VGS = 10 V", 10.0, current, 40.0 / current, OHMS)
    assert not disagreements([top, rdson]).needs_review


def test_each_contradiction_carries_its_quantity_point_and_readings_as_values() -> None:
    top = output(10.0, 0.5)
    current = np.array([0.6, 0.7, 0.8])
    rdson = CurveData("rdson", "VGS = 10 V", 10.0, current, 8.0 / current, OHMS)
    (found,) = contradictions([top, rdson])
    assert found.quantity == "on-resistance" and found.unit == "Ω"
    assert found.point == "VGS = 10 V, ID = 0.8 A"
    assert found.other_value == 10.0
    assert found.output_value == pytest.approx(16.0, rel=0.01)
    assert found.what == "the on-resistance at VGS = 10 V, ID = 0.8 A"

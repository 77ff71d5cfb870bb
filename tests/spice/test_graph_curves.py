"""A graph's curves as printed: conditions from mappings, labels, notes and values; units
from the axes."""

from __future__ import annotations

import pytest

from graphq.review import ReviewReason
from graphq.spice import fit_input_from_graphs

from .test_graphs import RISING, graph


def test_the_digitizers_placeholder_name_is_not_a_gate_voltage() -> None:
    # The digitizer names an unlabelled curve "curve 6" and reads 6 as its value.
    output = graph("output", [("VGS = 10 V", RISING), ("curve 6", RISING)], values=[10.0, 6.0])
    inputs = fit_input_from_graphs([output])
    assert [c.vgs_v for c in inputs.output] == [10.0]
    (note,) = inputs.review.reasons
    assert note.code == ReviewReason.CURVE_REJECTED
    assert "'curve 6'" in note.message


def test_graph_and_curve_conditions_from_the_datasheet_reader_are_used() -> None:
    transfer = graph(
        "transfer",
        [("", RISING), ("", RISING)],
        conditions={"VDS": 25.0, "Tj": 25.0},
    )
    transfer.curves[0]["conditions"] = {"Tj": 25.0}
    transfer.curves[1]["conditions"] = {"Tj": "150"}
    inputs = fit_input_from_graphs([transfer])
    # The graph's VDS holds for both curves; its Tj cannot tell them apart.
    assert [(t.vds_v, t.temperature_c) for t in inputs.transfer] == [(25.0, 25.0), (25.0, 150.0)]
    assert not inputs.review.needs_review


def test_milliampere_axis_is_scaled_to_amperes() -> None:
    output = graph("output", [("VGS = 10 V", RISING)], y_unit="mA")
    assert fit_input_from_graphs([output]).output[0].points[-1] == pytest.approx([10.0, 0.012])

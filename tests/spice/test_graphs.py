"""Digitized graphs (the digitizer's curves with their labels and axes) to a FitInput."""

from __future__ import annotations

from typing import Any

import pytest

from graphq.errors import GraphqError
from graphq.review import ReviewReason
from graphq.spice import FitInput, GraphCurves, fit_input_from_graphs, fit_model


def graph(
    graph_type: str,
    curves: list[tuple[str, list[list[float]]]],
    *,
    y_unit: str = "A",
    values: list[float | None] | None = None,
    conditions: dict[str, Any] | None = None,
) -> GraphCurves:
    axes: dict[str, Any] = {
        "x": {"min": 0.0, "max": 10.0, "scale": "linear", "quantity": "VDS", "unit": "V"},
        "y": {"min": 0.0, "max": 100.0, "scale": "linear", "quantity": "ID", "unit": y_unit},
    }
    values = values or [None] * len(curves)
    return GraphCurves(
        graph_type=graph_type,
        axes=axes,
        curves=[
            {"label": label, "value": value, "points": points}
            for (label, points), value in zip(curves, values, strict=True)
        ],
        conditions=conditions,
    )


RISING = [[0.0, 0.0], [1.0, 5.0], [5.0, 10.0], [10.0, 12.0]]
FALLING = [[1.0, 3.0], [10.0, 1.0], [100.0, 0.5]]


def output_graph(*labels: str, sign: float = 1.0) -> GraphCurves:
    points = [[sign * x, sign * y] for x, y in RISING]
    return graph("output", [(label, points) for label in labels])


def test_output_curve_gate_voltages_come_from_their_labels() -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V", "4.5V", "V<sub>GS</sub>=6V")])
    assert [c.vgs_v for c in inputs.output] == [10.0, 4.5, 6.0]
    assert not inputs.pchan


def test_the_pulse_width_in_a_graphs_notes_reaches_each_of_its_output_curves() -> None:
    pulsed = graph(
        "output",
        [("VGS = 10 V", RISING), ("VGS = 6 V", RISING)],
        conditions={"Tc": 25.0, "tp": 250e-6},
    )
    inputs = fit_input_from_graphs([pulsed, output_graph("VGS = 8 V")])
    assert [(c.vgs_v, c.pulse_s) for c in inputs.output] == [
        (10.0, 250e-6),
        (6.0, 250e-6),
        (8.0, None),
    ]


def test_an_unlabelled_output_curve_takes_the_digitizers_value() -> None:
    output = graph("output", [("", RISING), ("", RISING)], values=[8.0, 5.0])
    assert [c.vgs_v for c in fit_input_from_graphs([output]).output] == [8.0, 5.0]


def test_an_output_curve_without_gate_voltage_is_left_out_for_review() -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V", "Tj = 25 °C")])
    assert [c.vgs_v for c in inputs.output] == [10.0]
    assert inputs.review.needs_review
    (note,) = inputs.review.reasons
    assert note.code == ReviewReason.CURVE_REJECTED
    assert "'Tj = 25 °C'" in note.message and "no VGS" in note.message


def test_transfer_curve_drain_voltage_and_temperature_come_from_the_label() -> None:
    transfer = graph("transfer", [("VDS = 5 V, Tj = 150 °C", RISING), ("VDS=5V 25°C", RISING)])
    inputs = fit_input_from_graphs([transfer])
    assert [(t.vds_v, t.temperature_c) for t in inputs.transfer] == [(5.0, 150.0), (5.0, 25.0)]


def test_a_transfer_curve_without_drain_voltage_is_an_assumption_to_review() -> None:
    inputs = fit_input_from_graphs([graph("transfer", [("Tj = 25 °C", RISING)])])
    assert inputs.transfer[0].vds_v == 10.0
    (note,) = inputs.review.reasons
    assert note.code == ReviewReason.CONDITION_ASSUMED
    assert "states no VDS; assumed 10 V" in note.message


def test_an_unlabelled_curve_among_labelled_transfer_curves_is_rejected_not_fitted() -> None:
    transfer = graph(
        "transfer",
        [
            ("VDS = 10 V, Tj = 25 °C", RISING),
            ("VDS = 10 V, Tj = 150 °C", RISING),
            ("curve 3", RISING),
        ],
        values=[None, None, 3.0],
    )
    inputs = fit_input_from_graphs([transfer])
    assert [t.temperature_c for t in inputs.transfer] == [25.0, 150.0]
    assert [n.code for n in inputs.review.reasons] == [ReviewReason.CURVE_REJECTED]
    assert "'curve 3'" in inputs.review.reasons[0].message


def test_output_curves_at_another_temperature_keep_it() -> None:
    output = graph("output", [("VGS = 10 V", RISING)], conditions={"Tj": 150.0})
    assert fit_input_from_graphs([output]).output[0].temperature_c == 150.0


def test_a_curve_whose_shape_its_graph_forbids_is_rejected() -> None:
    zigzag = [[0.0, 0.0], [2.0, 80.0], [4.0, 10.0], [10.0, 90.0]]
    output = graph("output", [("VGS = 10 V", RISING), ("VGS = 8 V", zigzag)])
    inputs = fit_input_from_graphs([output])
    assert [c.vgs_v for c in inputs.output] == [10.0]
    (note,) = inputs.review.reasons
    assert note.code == ReviewReason.CURVE_REJECTED
    assert "'VGS = 8 V'" in note.message and "falls as VDS rises by 70%" in note.message


def test_a_rising_capacitance_is_rejected() -> None:
    rising = [[1.0, 0.5], [10.0, 1.0], [100.0, 3.0]]
    caps = graph("capacitance", [("Ciss", FALLING), ("Coss", rising)], y_unit="pF")
    caps.axes["y"] |= {"min": 0.1, "max": 10.0, "scale": "log"}
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V"), caps])
    assert [c.name for c in inputs.capacitance] == ["ciss"]
    assert "'Coss'" in inputs.review.reasons[0].message


def test_depletion_capacitances_are_taken_at_the_stated_gate_voltage() -> None:
    caps = graph("capacitance", [("Ciss", FALLING)], y_unit="pF", conditions={"VGS": -10.0})
    output = output_graph("VGS = -1 V", "VGS = 0 V", "VGS = 2 V")
    inputs = fit_input_from_graphs([output, caps])
    assert inputs.capacitance[0].vgs_v == -10.0
    assert not inputs.review.needs_review


def test_depletion_capacitances_without_gate_voltage_are_an_assumption_to_review() -> None:
    caps = graph("capacitance", [("Ciss", FALLING)], y_unit="pF")
    inputs = fit_input_from_graphs([output_graph("VGS = -1 V", "VGS = 2 V"), caps])
    assert inputs.capacitance[0].vgs_v == 0.0
    assert [n.code for n in inputs.review.reasons] == [ReviewReason.CONDITION_ASSUMED]


def test_capacitance_curves_are_named_from_labels_and_scaled_from_the_axis_unit() -> None:
    caps = graph(
        "capacitance",
        [("Crss", FALLING), ("C_iss", FALLING), ("Cₒₛₛ", FALLING)],
        y_unit="nF",
    )
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V"), caps])
    assert [c.name for c in inputs.capacitance] == ["crss", "ciss", "coss"]
    assert inputs.capacitance[0].points[0] == pytest.approx([1.0, 3e-9])


def test_unlabelled_capacitances_are_ciss_coss_crss_from_the_highest_curve_down() -> None:
    high = [[x, 100 * y] for x, y in FALLING]
    middle = [[x, 10 * y] for x, y in FALLING]
    caps = graph("capacitance", [("", FALLING), ("", high), ("", middle)], y_unit="")
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V"), caps])
    assert [c.name for c in inputs.capacitance] == ["crss", "ciss", "coss"]
    # Without a unit a capacitance axis is read in pF.
    assert inputs.capacitance[1].points[0] == pytest.approx([1.0, 300e-12])
    assert [n.code for n in inputs.review.reasons] == [ReviewReason.LABELS_BY_ORDER]


def test_negative_gate_voltages_make_a_p_channel_part_stored_as_magnitudes() -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = -10 V", "VGS = -4.5 V", sign=-1.0)])
    assert inputs.pchan
    assert [c.vgs_v for c in inputs.output] == [10.0, 4.5]
    assert inputs.output[0].points == RISING


def test_a_negative_transfer_drain_voltage_makes_a_p_channel_part() -> None:
    transfer = [[-x, -y] for x, y in RISING]
    inputs = fit_input_from_graphs([graph("transfer", [("VDS = -10 V", transfer)])])
    assert inputs.pchan
    assert inputs.transfer[0].vds_v == 10.0
    assert inputs.transfer[0].points == RISING


@pytest.mark.parametrize("device_type", ["P-channel MOSFET", "P-MOSFET", "PMOS", "pchan"])
def test_the_device_type_makes_a_p_channel_part_even_with_positive_curves(
    device_type: str,
) -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V")], device_type=device_type)
    assert inputs.pchan


@pytest.mark.parametrize("device_type", ["Si-MOSFET", "SiC-MOSFET", "Depletion-mode MOSFET"])
def test_other_device_types_are_n_channel(device_type: str) -> None:
    assert not fit_input_from_graphs([output_graph("VGS = 10 V")], device_type=device_type).pchan


def test_depletion_curves_at_negative_gate_voltages_stay_n_channel() -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = -3 V", "VGS = 0 V", "VGS = 5 V")])
    assert not inputs.pchan
    assert [c.vgs_v for c in inputs.output] == [-3.0, 0.0, 5.0]


def test_graphs_the_fit_does_not_use_are_reported() -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V"), graph("gate_charge", [])])
    assert any("gate_charge" in w for w in inputs.warnings)


@pytest.mark.parametrize(
    "graphs",
    [
        [],
        [graph("capacitance", [("Ciss", FALLING)], y_unit="pF")],
        [graph("output", [("Tj = 25 °C", RISING)])],
        [graph("body_diode", [("25 °C", RISING)])],
    ],
    ids=["nothing", "capacitance only", "output without conditions", "body diode only"],
)
def test_without_output_or_transfer_curves_the_fit_input_is_refused(
    graphs: list[GraphCurves],
) -> None:
    with pytest.raises(GraphqError) as error:
        fit_input_from_graphs(graphs)
    assert error.value.code == "MISSING_CURVES"
    assert not error.value.retryable


def test_fit_model_refuses_inputs_without_channel_curves() -> None:
    with pytest.raises(GraphqError) as error:
        fit_model(FitInput(), model_type="vdmos", name="X")
    assert error.value.code == "MISSING_CURVES"


def test_fit_model_refuses_an_unknown_model_type() -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V")])
    with pytest.raises(GraphqError) as error:
        fit_model(inputs, model_type="bsim4", name="X")
    assert error.value.code == "INVALID_PARAMETERS"

"""Digitized graphs (the digitizer's curves with their labels and axes) to a FitInput."""

from __future__ import annotations

from typing import Any

import pytest

from graphq.errors import GraphqError
from graphq.spice import FitInput, GraphCurves, fit_input_from_graphs, fit_model


def graph(
    graph_type: str,
    curves: list[tuple[str, list[list[float]]]],
    *,
    y_unit: str = "A",
    values: list[float | None] | None = None,
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


def test_an_unlabelled_output_curve_takes_the_digitizers_value() -> None:
    output = graph("output", [("", RISING), ("", RISING)], values=[8.0, 5.0])
    assert [c.vgs_v for c in fit_input_from_graphs([output]).output] == [8.0, 5.0]


def test_the_digitizers_placeholder_name_is_not_a_gate_voltage() -> None:
    # The digitizer names an unlabelled curve "curve 6" and reads 6 as its value.
    output = graph("output", [("VGS = 10 V", RISING), ("curve 6", RISING)], values=[10.0, 6.0])
    inputs = fit_input_from_graphs([output])
    assert [c.vgs_v for c in inputs.output] == [10.0]
    assert any("'curve 6' has no Vgs" in w for w in inputs.warnings)


def test_an_output_curve_without_gate_voltage_is_skipped_with_a_warning() -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V", "Tj = 25 °C")])
    assert [c.vgs_v for c in inputs.output] == [10.0]
    assert any("has no Vgs" in w for w in inputs.warnings)


def test_transfer_curve_drain_voltage_and_temperature_come_from_the_label() -> None:
    transfer = graph("transfer", [("VDS = 5 V, Tj = 150 °C", RISING), ("VDS=5V 25°C", RISING)])
    inputs = fit_input_from_graphs([transfer])
    assert [(t.vds_v, t.temperature_c) for t in inputs.transfer] == [(5.0, 150.0), (5.0, 25.0)]


def test_a_transfer_curve_without_drain_voltage_assumes_ten_volts_and_says_so() -> None:
    inputs = fit_input_from_graphs([graph("transfer", [("Tj = 25 °C", RISING)])])
    assert inputs.transfer[0].vds_v == 10.0
    assert any("assumed 10 V" in w for w in inputs.warnings)


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


def test_milliampere_axis_is_scaled_to_amperes() -> None:
    output = graph("output", [("VGS = 10 V", RISING)], y_unit="mA")
    assert fit_input_from_graphs([output]).output[0].points[-1] == pytest.approx([10.0, 0.012])


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


def test_the_device_type_makes_a_p_channel_part_even_with_positive_curves() -> None:
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V")], device_type="P-channel MOSFET")
    assert inputs.pchan


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

"""Curve errors as a reader sees them on the page: a steep stretch of an output curve is
missed by how far the model's line lies from it, not by how far straight up."""

from __future__ import annotations

import numpy as np

from graphq.spice.curves import (
    CurveData,
    curve_error,
    curve_table,
    display_error,
    distinct_names,
)
from graphq.spice.graph_curves import GraphCurves, graph_name
from graphq.spice.graphs import fit_input_from_graphs
from graphq.spice.inputs import AxisScale, FitInput, OutputCurve, TransferCurve

AMPS = AxisScale(log=False, low=0.0, high=0.5)


def vertical_then_flat() -> CurveData:
    """An output curve on a 400 V axis drawn as a vertical line at 0.6 V up to 0.44 A, then
    flat (DN2540's top curves are drawn so)."""
    rise = np.column_stack([np.full(40, 0.6), np.linspace(0.0, 0.44, 40)])
    flat = np.column_stack([np.linspace(0.6, 400.0, 60), np.full(60, 0.44)])
    points = np.vstack([rise, flat])
    return CurveData("output", "VGS = 1 V", 1.0, points[:, 0], points[:, 1], AMPS, x_log=False)


def test_a_vertical_stretch_is_met_by_a_model_rising_just_before_it() -> None:
    curve = vertical_then_flat()
    # A model already at 0.44 A by 0.6 V: a point's vertical miss is up to 88 % of the
    # axis, its distance on the page under 0.2 %.
    model = 0.44 * np.tanh(curve.x / 0.1)
    assert np.abs(display_error(model, curve.y, curve.scale)).max() > 0.8
    assert np.abs(curve_error(model, curve)).max() < 0.002


def test_a_model_off_the_flat_part_misses_by_the_vertical_distance() -> None:
    curve = vertical_then_flat()
    model = 0.34 * np.tanh(curve.x / 0.1)
    flat = curve.x > 1.0
    np.testing.assert_allclose(curve_error(model, curve)[flat], -0.2, atol=1e-9)


def test_a_model_rising_late_misses_the_vertical_stretch_by_up_to_how_late() -> None:
    curve = vertical_then_flat()
    # Rising at 40.6 V instead of 0.6 V: a tenth of the axis late.
    late = np.where(curve.x >= 40.6, 0.44, 0.0)
    rise = (curve.x < 1.0) & (curve.y > 0.0) & (curve.y < 0.44)
    vertical = np.abs(display_error(late, curve.y, curve.scale))[rise]
    horizontal = 40.0 / (400.0 - 0.6)
    error = np.abs(curve_error(late, curve))[rise]
    # At most the nearer of the two misses, at least half of it (the model's line is drawn
    # through its points, so "how late" holds to a few per cent).
    closest = np.minimum(vertical, horizontal)
    assert np.all(error <= 1.05 * closest) and np.all(error >= 0.5 * closest)
    early = 0.44 * np.tanh(curve.x / 0.1)
    assert np.abs(curve_error(early, curve)).max() < 0.1 * error.max()


def test_each_curve_takes_its_own_graphs_x_axis_and_transfer_curves_stay_vertical() -> None:
    inputs = FitInput(
        output=[
            OutputCurve(10.0, [[0.1, 1.0], [10.0, 5.0]], x_log=True),
            OutputCurve(10.0, [[0.0, 0.0], [10.0, 5.0]], x_log=False),
        ],
        transfer=[TransferCurve(10.0, [[3.0, 0.1], [5.0, 5.0]])],
        x_log=["output"],
    )
    table = curve_table(inputs)
    assert [c.x_log for c in table] == [True, False, None]


def _named_output(graph_name: str, vgs: float) -> GraphCurves:
    vds = np.linspace(0.0, 10.0, 20)
    curve = {"label": f"VGS = {vgs:g} V", "points": np.column_stack([vds, vds / 20]).tolist()}
    axes = {"x": {"min": 0, "max": 10, "unit": "V"}, "y": {"min": 0, "max": 1, "unit": "A"}}
    return GraphCurves(graph_type="output", axes=axes, curves=[curve], name=graph_name)


def test_curves_of_one_name_in_two_graphs_are_named_with_their_graph() -> None:
    full = graph_name("output", 4, "Output Characteristics")
    zoom = graph_name("output", 4, "Saturation Characteristics")
    graphs = [_named_output(full, -1.0), _named_output(zoom, -1.0), _named_output(zoom, 0.0)]
    names = [c.name for c in curve_table(fit_input_from_graphs(graphs, "Depletion-MOSFET"))]
    assert names == [
        'VGS = -1 V (output graph, page 4 ("Output Characteristics"))',
        'VGS = -1 V (output graph, page 4 ("Saturation Characteristics"))',
        "VGS = 0 V",
    ]


def test_graphs_without_names_are_told_apart_by_number() -> None:
    graphs = [_named_output("", 5.0), _named_output("", 5.0)]
    names = [c.name for c in curve_table(fit_input_from_graphs(graphs))]
    assert names == ["VGS = 5 V (output graph 1)", "VGS = 5 V (output graph 2)"]
    (alone,) = curve_table(fit_input_from_graphs(graphs[:1]))
    assert alone.name == "VGS = 5 V"
    twins = distinct_names([alone, alone])
    assert [c.name for c in twins] == [
        "VGS = 5 V (output graph 1) #1",
        "VGS = 5 V (output graph 1) #2",
    ]

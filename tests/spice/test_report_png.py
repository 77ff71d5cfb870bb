"""The fit report image: one legend entry per curve, the datasheet's axes, the parameters."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from graphq.spice import fit_input_from_graphs, fit_model, render_report_png
from graphq.spice.curves import curve_table
from graphq.spice.gan_epc import CHANNEL_NAMES as GAN_CHANNEL_NAMES
from graphq.spice.graphs import GraphCurves
from graphq.spice.logistic_capacitance import CAPACITANCE_NAMES as LOGISTIC_NAMES
from graphq.spice.model_file import VDMOS_CARD_ORDER
from graphq.spice.report_png import (
    PARAMETER_UNITS,
    legend_names,
    parameter_rows,
    report_figure,
)
from graphq.spice.vdmos import drain_current

CARD = {"vto": 3.0, "kp": 4.0, "lambda": 0.02, "rd": 0.05, "rs": 0.02}


def _output_graph(vds_max: float, id_max: float) -> GraphCurves:
    vds = np.linspace(0.0, vds_max, 40)
    curves = [
        {
            "label": f"VGS = {vgs:g} V",
            "points": np.column_stack([vds, drain_current(CARD, vgs, vds)]).tolist(),
        }
        for vgs in (5.0, 6.0)
    ]
    axes = {
        "x": {"min": 0.0, "max": vds_max, "scale": "linear", "unit": "V"},
        "y": {"min": 0.0, "max": id_max, "scale": "linear", "unit": "A"},
    }
    return GraphCurves(graph_type="output", axes=axes, curves=curves)


def _transfer_graph() -> GraphCurves:
    vgs = np.linspace(3.2, 7.0, 40)
    points = np.column_stack([vgs, drain_current(CARD, vgs, np.full_like(vgs, 10.0))])
    axes = {
        "x": {"min": 2.0, "max": 8.0, "scale": "linear", "unit": "V"},
        "y": {"min": 0.01, "max": 100.0, "scale": "log", "unit": "A"},
    }
    curves = [{"label": "VDS = 10 V", "points": points.tolist()}]
    return GraphCurves(graph_type="transfer", axes=axes, curves=curves)


def _capacitance_graph() -> GraphCurves:
    """Ciss/Coss/Crss against VDS from 1 V to 100 V, drawn log-log as datasheets do."""
    vds = np.geomspace(1.0, 100.0, 30)
    shapes = {"Ciss": (2000.0, 0.1), "Coss": (900.0, 0.5), "Crss": (300.0, 0.7)}
    curves = [
        {"label": label, "points": np.column_stack([vds, c0 * vds**-slope]).tolist()}
        for label, (c0, slope) in shapes.items()
    ]
    axes = {
        "x": {"min": 1.0, "max": 100.0, "scale": "log", "unit": "V"},
        "y": {"min": 10.0, "max": 10000.0, "scale": "log", "unit": "pF"},
    }
    return GraphCurves(graph_type="capacitance", axes=axes, curves=curves)


def _inputs():
    # Two output graphs of one part (a full view and a zoom) hold curves of the same names.
    graphs = [_output_graph(10.0, 40.0), _output_graph(2.0, 20.0), _transfer_graph()]
    return fit_input_from_graphs(graphs)


def test_every_curve_has_its_own_legend_name_even_across_two_graphs_of_one_kind() -> None:
    names = legend_names(curve_table(_inputs()))
    assert len(names) == len(set(names)) == 5
    assert "VGS = 5 V (output graph 1) (output)" in names
    assert "VGS = 5 V (output graph 2) (output)" in names
    assert "VDS = 10 V (transfer)" in names


def test_curves_keep_the_y_axis_of_their_own_graph() -> None:
    scales = {(c.kind, c.scale.high, c.scale.log) for c in curve_table(_inputs())}
    assert scales == {("output", 40.0, False), ("output", 20.0, False), ("transfer", 100.0, True)}


def test_the_parameter_table_gives_units_errors_and_bounds() -> None:
    fit = fit_model(_inputs(), model_type="vdmos", name="T1")
    rows = {row[0]: row for row in parameter_rows(fit)}
    assert rows["vto"][2] == "V" and rows["kp"][2] == "A/V²" and rows["rd"][2] == "Ω"
    assert all(name in PARAMETER_UNITS for name in rows)
    assert float(rows["vto"][1]) == float(f"{fit.parameters['vto']:.4g}")
    assert rows["vto"][3] not in ("—", "default")
    assert rows["cgs"][3] == "default"
    assert all(row[4] == ("on bound" if row[0] in fit.at_bound else "") for row in rows.values())


def test_the_report_is_a_png_with_a_panel_per_graph_and_the_table() -> None:
    inputs = _inputs()
    fit = fit_model(inputs, model_type="vdmos", name="T1")
    image = Image.open(io.BytesIO(render_report_png(fit, inputs)))
    # Three graphs and the table: a 3 × 2 grid of 520 × 420 px cells.
    assert image.size == (1560, 840)


def test_each_panel_is_drawn_on_its_graphs_own_axes_with_a_legend_entry_per_curve() -> None:
    inputs = fit_input_from_graphs(
        [_output_graph(10.0, 40.0), _transfer_graph(), _capacitance_graph()]
    )
    fit = fit_model(inputs, model_type="vdmos", name="T1")
    figure = report_figure(fit, inputs)
    panels = {axes.get_title().split(" ")[0]: axes for axes in figure.axes[:-1]}
    scales = {
        title: (axes.get_xscale(), axes.get_yscale(), axes.get_ylim())
        for title, axes in panels.items()
    }
    assert scales["Output"] == ("linear", "linear", (0.0, 40.0))
    assert scales["Transfer"] == ("linear", "log", (0.01, 100.0))
    assert scales["Capacitance"][:2] == ("log", "log")
    assert scales["Capacitance"][2] == pytest.approx((1e-11, 1e-8))
    legends = {title: axes.get_legend().get_texts() for title, axes in panels.items()}
    assert [len(texts) for texts in legends.values()] == [2, 1, 3]
    assert legends["Capacitance"][0].get_text().startswith("Ciss (capacitance)")


def test_every_parameter_any_model_writes_has_a_unit() -> None:
    written = {*VDMOS_CARD_ORDER, *GAN_CHANNEL_NAMES, *LOGISTIC_NAMES}
    assert written <= set(PARAMETER_UNITS)
    assert PARAMETER_UNITS["rthjc"] == "K/W"

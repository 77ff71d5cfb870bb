"""The fit report image: digitized points against the fitted model, one panel per graph."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from graphq.spice.curves import CurveData, curve_table, predict
from graphq.spice.fit import equations_for, normalised_parameters
from graphq.spice.inputs import FitInput
from graphq.spice.results import SpiceFit

_TITLES = {
    "output": ("Output", "VDS [V]", "ID [A]"),
    "transfer": ("Transfer", "VGS [V]", "ID [A]"),
    "capacitance": ("Capacitance", "VDS [V]", "C [F]"),
    "rdson": ("Rds(on)", "ID [A]", "RDS(on) [Ω]"),
    "body_diode": ("Body diode", "VSD [V]", "ISD [A]"),
}
_DENSE_POINTS = 200


def _dense(curve: CurveData) -> CurveData:
    """The same curve condition on a fine grid, to draw the model as a smooth line."""
    low, high = float(curve.x.min()), float(curve.x.max())
    if curve.kind == "capacitance" and low > 0:
        x = np.geomspace(low, high, _DENSE_POINTS)
    else:
        x = np.linspace(low, high, _DENSE_POINTS)
    return CurveData(
        curve.kind, curve.name, curve.condition, x, np.ones_like(x), curve.scale, curve.capacitance
    )


def render_report_png(fit: SpiceFit, inputs: FitInput) -> bytes:
    """A PNG with one panel per graph kind: markers are digitized points, lines the model."""
    curves = curve_table(inputs)
    kinds = [k for k in _TITLES if any(c.kind == k for c in curves)]
    dense = [_dense(c) for c in curves]
    models = predict(equations_for(fit.model_type), normalised_parameters(fit), dense)
    columns = min(len(kinds), 3) or 1
    rows = -(-len(kinds) // columns) or 1
    figure = Figure(figsize=(5.0 * columns, 4.0 * rows), dpi=100)
    errors = {(r.graph_type, r.name): r.rms_error for r in fit.report}
    for index, kind in enumerate(kinds):
        axes = figure.add_subplot(rows, columns, index + 1)
        title, x_label, y_label = _TITLES[kind]
        for color, (curve, line, model) in zip(
            matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] * 10,
            [(c, d, m) for c, d, m in zip(curves, dense, models, strict=True) if c.kind == kind],
            strict=False,
        ):
            error = errors.get((kind, curve.name), float("nan"))
            axes.plot(curve.x, curve.y, "o", ms=3, color=color, alpha=0.7)
            axes.plot(line.x, model, "-", color=color, label=f"{curve.name} ({error:.1%})")
        if curve.scale.log:
            axes.set_yscale("log")
            axes.set_ylim(curve.scale.low, curve.scale.high)
        if kind == "capacitance":
            axes.set_xscale("log")
        axes.set_title(title)
        axes.set_xlabel(x_label)
        axes.set_ylabel(y_label)
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=7)
    figure.suptitle(f"{fit.name} — {fit.model_type} fit (markers: datasheet, lines: model)")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

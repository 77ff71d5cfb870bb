"""The fit report image: digitized points against the fitted model, one panel per graph, on
the datasheet's own axes, and the parameter table.

A panel is one graph as the datasheet drew it: its y axis (log where the datasheet's is log,
with the datasheet's range) and its x axis scale. Every curve has one legend entry whose name
is unique in the image (``VGS = 10 V (output)``; a second graph of the same kind is
numbered). The table lists each written parameter with its unit, its standard error where
the curves determine it, and whether it ended on a bound of its range.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import replace

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from graphq.spice.curves import CurveData, curve_table, predict
from graphq.spice.fit import equations_for, normalised_parameters
from graphq.spice.inputs import AxisScale, FitInput
from graphq.spice.quality import dialect_summary
from graphq.spice.results import SpiceFit
from graphq.spice.subcircuit_capacitance import SUBCIRCUIT_EQUATIONS

_TITLES = {
    "output": ("Output", "VDS [V]", "ID [A]"),
    "transfer": ("Transfer", "VGS [V]", "ID [A]"),
    "capacitance": ("Capacitance", "VDS [V]", "C [F]"),
    "rdson": ("Rds(on)", "ID [A]", "RDS(on) [Ω]"),
    "body_diode": ("Body diode", "VSD [V]", "ISD [A]"),
    "rdson_temperature": ("Rds(on) vs Tj", "Tj [°C]", "RDS(on) [Ω or relative]"),
    "threshold_temperature": ("Threshold vs Tj", "Tj [°C]", "VGS(th) [V or relative]"),
}
_DENSE_POINTS = 200
# A capacitance graph of unknown x scale is drawn log-x when its Vds spans this many decades.
_LOG_X_DECADES = 2.0
_COLUMNS = 3

# The unit of each parameter graphq writes (VDMOS card and GaN subcircuit); "" is unitless.
PARAMETER_UNITS: Mapping[str, str] = {
    "vto": "V",
    "kp": "A/V²",
    "ksubthres": "V",
    "lambda": "1/V",
    "mtriode": "",
    "theta": "1/V",
    "rd": "Ω",
    "rs": "Ω",
    "rq": "Ω",
    "vq": "V",
    "cgs": "F",
    "cgdmax": "F",
    "cgdmin": "F",
    "a": "1/V",
    "cjo": "F",
    "vj": "V",
    "m": "",
    "is": "A",
    "n": "",
    "rb": "Ω",
    # Temperature terms: threshold drift, mobility and resistance exponents, the diode's
    # band gap and saturation-current exponent.
    "tcvth": "V/K",
    "mu": "",
    "texp0": "",
    "texp1": "",
    "eg": "eV",
    "xti": "",
    # Self-heating: the junction-to-case thermal resistance.
    "rthjc": "K/W",
    # The GaN subcircuit's: its threshold and the capacitances' steps (weights and widths
    # in V, heights in F).
    "vth": "V",
    "awg": "A/V²",
    "k2": "V",
    "x0_0": "1/V",
    "x0_1": "1/V²",
    **{f"cgd{i}": "F" for i in range(3)},
    **{f"cds{i}": "F" for i in range(3)},
    **{f"{kind}{i}": "V" for kind in ("vgd", "wgd", "vds", "wds") for i in (1, 2)},
}


def _dense(curve: CurveData, log_x: bool) -> CurveData:
    """The same curve condition on a fine grid, to draw the model as a smooth line."""
    low, high = float(curve.x.min()), float(curve.x.max())
    if log_x and low > 0:
        x = np.geomspace(low, high, _DENSE_POINTS)
    else:
        x = np.linspace(low, high, _DENSE_POINTS)
    return replace(curve, x=x, y=np.ones_like(x))


def _panels(curves: list[CurveData]) -> list[tuple[str, AxisScale, list[int]]]:
    """Curve indices per graph: same kind and same y axis, in the order of :data:`_TITLES`."""
    panels: dict[tuple[str, float, float, bool], list[int]] = {}
    for i, c in enumerate(curves):
        panels.setdefault((c.kind, c.scale.low, c.scale.high, c.scale.log), []).append(i)
    ordered = sorted(panels.items(), key=lambda item: list(_TITLES).index(item[0][0]))
    return [(key[0], curves[members[0]].scale, members) for key, members in ordered]


def legend_names(curves: list[CurveData]) -> list[str]:
    """One name per curve, unique in the report: the curve's name (unique within its kind,
    naming its graph where two graphs hold curves of one name, see
    :func:`graphq.spice.curves.distinct_names`) and its graph kind."""
    return [f"{c.name} ({_TITLES[c.kind][0].lower()})" for c in curves]


def _log_x(kind: str, curves: list[CurveData], inputs: FitInput) -> bool:
    if kind in inputs.x_log:
        return True
    if kind != "capacitance" or inputs.x_log:
        return False
    x = np.concatenate([c.x for c in curves])
    positive = x[x > 0]
    return positive.size > 0 and math.log10(positive.max() / positive.min()) >= _LOG_X_DECADES


def _format(value: float | None) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.4g}"


def parameter_rows(fit: SpiceFit) -> list[list[str]]:
    """``[name, value, unit, standard error, bound]`` for every written parameter."""
    rows = []
    for name, value in fit.parameters.items():
        if name in fit.uncertainty:
            error = _format(fit.uncertainty[name])
        else:
            error = "fitted" if name in fit.fitted else "default"
        bound = "on bound" if name in fit.at_bound else ""
        rows.append([name, _format(value), PARAMETER_UNITS.get(name, ""), error, bound])
    return rows


def _subcircuit_capacitances(fit: SpiceFit, dense: list[CurveData]) -> dict[int, np.ndarray]:
    """The pspice subcircuit's own capacitances on the 25 °C capacitance curves, where they
    differ from the card's, by curve index."""
    stepped = fit.dialect_parameters.get("pspice")
    if not stepped:
        return {}
    shown = [i for i, c in enumerate(dense) if c.kind == "capacitance" and c.nominal]
    params = {**normalised_parameters(fit), **stepped}
    values = predict(SUBCIRCUIT_EQUATIONS, params, [dense[i] for i in shown])
    return dict(zip(shown, values, strict=True))


def render_report_png(fit: SpiceFit, inputs: FitInput) -> bytes:
    """:func:`report_figure` as a PNG."""
    buffer = io.BytesIO()
    report_figure(fit, inputs).savefig(buffer, format="png")
    return buffer.getvalue()


def report_figure(fit: SpiceFit, inputs: FitInput) -> Figure:
    """One panel per graph (markers: datasheet points, lines: the model) and the parameter
    table."""
    curves = curve_table(inputs)
    panels = _panels(curves)
    names = legend_names(curves)
    kinds = {c.kind for c in curves}
    log_x = {kind: _log_x(kind, [c for c in curves if c.kind == kind], inputs) for kind in kinds}
    dense = [_dense(c, log_x[c.kind]) for c in curves]
    models = predict(equations_for(fit.model_type), normalised_parameters(fit), dense)
    stepped = _subcircuit_capacitances(fit, dense)
    cells = len(panels) + 1
    columns = min(cells, _COLUMNS)
    rows = -(-cells // columns)
    figure = Figure(figsize=(5.2 * columns, 4.2 * rows), dpi=100)
    errors = {(r.graph_type, r.name): r.rms_error for r in fit.report}
    colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (kind, scale, members) in enumerate(panels):
        axes = figure.add_subplot(rows, columns, index + 1)
        title, x_label, y_label = _TITLES[kind]
        for k, i in enumerate(members):
            colour = colours[k % len(colours)]
            error = errors.get((kind, curves[i].name), float("nan"))
            axes.plot(curves[i].x, curves[i].y, "o", ms=2.5, color=colour, alpha=0.6)
            axes.plot(dense[i].x, models[i], "-", color=colour, label=f"{names[i]} {error:.1%}")
            if i in stepped:
                axes.plot(dense[i].x, stepped[i], "--", color=colour, lw=0.8)
        if scale.log:
            axes.set_yscale("log")
        axes.set_ylim(scale.low, scale.high)
        if log_x[kind]:
            axes.set_xscale("log")
        axes.set_title(
            title + (" (dashed: pspice subcircuit)" if stepped and kind == "capacitance" else "")
        )
        axes.set_xlabel(x_label)
        axes.set_ylabel(y_label)
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=6)
    table_axes = figure.add_subplot(rows, columns, cells)
    table_axes.axis("off")
    table = table_axes.table(
        cellText=parameter_rows(fit),
        colLabels=["parameter", "value", "unit", "std. error", "bound"],
        loc="center",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(6)
    table_axes.set_title("Parameters")
    figure.suptitle(f"{fit.name} — {fit.model_type} fit (markers: datasheet, lines: model)")
    if fit.dialect_report:
        summary = dialect_summary({fit.model_type: fit.report, **fit.dialect_report})
        figure.text(0.5, 0.005, f"worst curve per graph — {summary}", ha="center", fontsize=7)
    figure.tight_layout(rect=(0.0, 0.02, 1.0, 1.0))
    return figure

"""SPICE models fitted to real datasheets, verified in ngspice (issue: models that hold on
real datasheets).

For curvetracedata's AOT1N60 (N-channel), DN2540 (N-channel depletion) and FQA19N20
(N-channel; its text layer is unusable, so its axes come by OCR) under DIR, the PDF is read
with :func:`graphq.datasheet.read_datasheet`; its output, transfer, Rds(on), body-diode and
capacitance graphs become the fitter's graph dicts (as the ``spice_fit`` job's
``latest_graphs`` hands them over) and go through
:func:`graphq.spice.fit_input_from_graphs`, :func:`graphq.spice.fit_model` and
:func:`graphq.spice.verify_with_ngspice`. Two modes:

- ``exact``: the fitter measured on exact curves. Each graph's curves are the reader's where
  it found the graph with the right axes and every curve (the truth of
  ``datasheet_truth.toml``); otherwise the graph's own vector paths inside the truth's
  frame, placed with the truth's axes. Labels and conditions are the ones read by eye
  (:data:`BY_EYE`, checked against pages rendered with pdftoppm) wherever the reader bound
  them wrong or not at all; the run prints how many it supplied. The datasheet's Rth(j-c)
  (:data:`RTHJC_K_PER_W`) is given, so self-heating may be fitted.
- ``pdf``: the PDF alone, as a user's upload goes (the product's device type is the only
  thing told); its Rth(j-c) is read from its tables
  (:func:`graphq.datasheet.thermal.read_junction_to_case`).

In both modes the electrical table's threshold and RDS(on) are read from the PDF's text
(:mod:`graphq.datasheet.electrical`): they referee graphs that contradict each other,
check the model, and give an Rds(on)-against-Tj graph the VGS it leaves unstated where they
rate RDS(on) at the current it states (:mod:`graphq.spice.table_conditions`).

Per part and mode: curves used / rejected by the fitter, the worst output and transfer RMS
error and the median capacitance error (worst of Ciss/Coss/Crss), all measured in ngspice on
the VDMOS card (``model.lib``, the model the product emits by default) and again on the
PSpice-style subcircuit (``dialect=pspice``, "subckt"),
the same over only the graphs the table does not contradict ("table-ok"), each graph's worst,
the fit time (wall and CPU), and the model's ``needs_review`` reasons. Targets (exact):
output and transfer RMS ≤ 5 % of full scale, capacitance median ≤ 10 %, fit ≤ 10 s of CPU
(the wall time is printed too; it grows with the machine's load).

Usage::

    .venv/bin/python -m benchmarks.spice_real_datasheets DIR [--mode exact|pdf|both]
        [--only NAME,NAME] [--reasons]
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from benchmarks.datasheet_truth import (
    MATCH_IOU,
    TruthGraph,
    TruthSheet,
    axis_right,
    find_pdf,
    iou,
    load_truth,
    match_graphs,
    normalise_label,
)
from graphq.datasheet import read_datasheet
from graphq.datasheet.content import PageContent, read_pages
from graphq.datasheet.curves import extract_curves
from graphq.datasheet.electrical import ElectricalTable, read_electrical_table
from graphq.datasheet.panels import find_panels
from graphq.datasheet.render import graph_json
from graphq.datasheet.rules import find_rules
from graphq.datasheet.thermal import ThermalResistance, read_junction_to_case, table_pages
from graphq.datasheet.types import DatasheetGraph
from graphq.digitizer.tracking.resample import resample_path
from graphq.digitizer.types import Axis
from graphq.errors import GraphqError
from graphq.spice import GraphCurves, fit_input_from_graphs, fit_model, verify_with_ngspice
from graphq.spice.consistency import contradictions
from graphq.spice.curves import curve_table
from graphq.spice.datasheet_tables import take_table
from graphq.spice.graph_curves import graph_name
from graphq.spice.inputs import FitInput
from graphq.spice.quality import combined_review, dialect_summary
from graphq.spice.results import CurveReport
from graphq.spice.table_conditions import take_table_conditions
from graphq.spice.table_referee import contradicted_graphs

PARTS = ("AOT1N60", "DN2540", "FQA19N20")
# The graphs that set the channel: a graph the others contradict is fitted alone of these.
CHANNEL_TYPES = ("output", "transfer", "rdson_current")
FITTED_TYPES = (
    "output",
    "transfer",
    "rdson_current",
    "rdson_temperature",
    "body_diode",
    "capacitance",
)
TARGETS = {"output": 0.05, "transfer": 0.05, "capacitance": 0.10, "fit_s": 10.0}
# Vector curves are sampled every this many points along the path, as the reader samples.
SAMPLE_SPACING_PT = 0.125


@dataclass(frozen=True)
class Binding:
    """A graph's curves as read by eye: ``curves`` hold each curve's label and conditions in
    ``order`` (``top``: highest at the right end of the shared x range first; ``left``:
    leftmost where all curves have risen to a shared current first; ``median``: highest
    median first), ``conditions`` those printed for the whole graph."""

    order: str
    curves: list[tuple[str, dict[str, float]]]
    conditions: dict[str, float] = field(default_factory=dict)


def _vgs(*values: float) -> list[tuple[str, dict[str, float]]]:
    return [(f"VGS = {v:g} V", {"VGS": v}) for v in values]


def _tj(*values: float) -> list[tuple[str, dict[str, float]]]:
    return [(f"Tj = {v:g} °C", {"Tj": v}) for v in values]


_CAPS: list[tuple[str, dict[str, float]]] = [("Ciss", {}), ("Coss", {}), ("Crss", {})]

# Read by eye from each page rendered at 150 dpi (figure names as in datasheet_truth.toml).
BY_EYE: dict[str, dict[str, Binding]] = {
    "AOT1N60": {
        "Figure 1: On-Region Characteristics": Binding("top", _vgs(10, 6.5, 6, 5.5)),
        "Figure 2: Transfer Characteristics": Binding("left", _tj(125, 25, -55), {"VDS": 40}),
        "Figure 3: On-Resistance vs. Drain Current and Gate Voltage": Binding("top", _vgs(10)),
        "Figure 4: On-Resistance vs. Junction Temperature": Binding(
            "top", [("VGS=10V ID=0.65A", {"VGS": 10, "ID": 0.65})]
        ),
        "Figure 6: Body-Diode Characteristics (Note E)": Binding("left", _tj(125, 25)),
        "Figure 8: Capacitance Characteristics": Binding("median", _CAPS),
    },
    "DN2540": {
        "Output Characteristics": Binding("top", _vgs(1, 0.5, 0, -0.5, -1)),
        "Saturation Characteristics": Binding("top", _vgs(1, 0.5, 0, -0.5, -1)),
        "On-Resistance vs. Drain Current": Binding("top", _vgs(0)),
        "Transfer Characteristics": Binding("top", _tj(-55, 25, 125), {"VDS": 10}),
        "VGS(OFF) and RDS(ON) Variation with Temperature": Binding(
            "top", [("RDS(ON) @ ID = 120mA", {"VGS": 0}), ("VGS(OFF) @ 10µA", {})]
        ),
        "Capacitance Vs. Drain-to-Source Voltage": Binding("median", _CAPS, {"VGS": -10, "f": 1e6}),
    },
    "FQA19N20": {
        "Figure 1. On-Region Characteristics": Binding(
            "top", _vgs(15, 10, 8, 7, 6.5, 6, 5.5), {"Tc": 25}
        ),
        "Figure 2. Transfer Characteristics": Binding("left", _tj(150, 25, -55), {"VDS": 40}),
        "Figure 3. On-Resistance Variation vs. Drain Current and Gate Voltage": Binding(
            "top", _vgs(10, 20), {"Tj": 25}
        ),
        "Figure 4. Body Diode Forward Voltage Variation vs. Source Current and Temperature": (
            Binding("left", _tj(150, 25), {"VGS": 0})
        ),
        "Figure 5. Capacitance Characteristics": Binding("median", _CAPS, {"VGS": 0, "f": 1e6}),
        "Figure 8. On-Resistance Variation vs. Temperature": Binding(
            "top", [("VGS = 10 V, ID = 9.7 A", {"VGS": 10, "ID": 9.7})]
        ),
    },
}
DEVICE_TYPES = {"AOT1N60": "Si-MOSFET", "DN2540": "Si-MOSFET depletion", "FQA19N20": "Si-MOSFET"}
# Junction-to-case thermal resistance (maximum, K/W) from each PDF's thermal table, read by
# eye (DN2540 gives junction-to-ambient only); exact mode lets the fit use it.
RTHJC_K_PER_W = {"AOT1N60": 3.0, "FQA19N20": 0.66}


@dataclass
class PartResult:
    name: str
    mode: str
    used: int = 0
    rejected: int = 0
    output: float = math.nan
    transfer: float = math.nan
    capacitance: float = math.nan
    # The same worst errors of the PSpice-style subcircuit simulated in ngspice.
    pspice: tuple[float, float, float] = (math.nan, math.nan, math.nan)
    # Worst output and transfer errors over the graphs the datasheet's table does not
    # contradict (the same as output/transfer where it contradicts none).
    consistent: tuple[float, float] = (math.nan, math.nan)
    fit_s: float = math.nan
    # The fit's CPU time: on a shared machine the wall time (fit_s) grows with the load.
    fit_cpu_s: float = math.nan
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""


def _value(fraction: np.ndarray, axis: Axis) -> np.ndarray:
    if axis.scale == "log":
        low, high = math.log10(axis.min), math.log10(axis.max)
        return 10.0 ** (low + fraction * (high - low))
    return axis.min + fraction * (axis.max - axis.min)


def _frame(page: PageContent, truth: TruthGraph) -> tuple[float, float, float, float]:
    """The frame the reader's panel finder draws where the truth's is (the truth's boxes of
    some sheets are measured from the media box, not the crop box the reader uses)."""
    panels = find_panels(find_rules(page.strokes), page.strokes)
    best = max(panels, key=lambda p: iou(p.box, truth.box), default=None)
    if best is not None and iou(best.box, truth.box) >= MATCH_IOU:
        return tuple(best.box)  # type: ignore[return-value]
    return truth.box


def vector_curves(pdf: bytes, truth: TruthGraph) -> list[np.ndarray]:
    """The graph's own vector paths inside its frame, in the truth's axis units."""
    _, pages = read_pages(pdf)
    page = pages[truth.page - 1]
    box = _frame(page, truth)
    x0, y0, x1, y1 = box
    curves = []
    for curve in extract_curves(page.strokes, box, page.words).curves:
        points = resample_path(curve.points, SAMPLE_SPACING_PT)
        values = np.column_stack(
            (
                _value((points[:, 0] - x0) / (x1 - x0), truth.x),
                _value((y1 - points[:, 1]) / (y1 - y0), truth.y),
            )
        )
        curves.append(values[np.argsort(values[:, 0], kind="stable")])
    return curves


def _ordered(curves: list[np.ndarray], order: str, log_y: bool) -> list[int]:
    """Curve indices in the binding's ``order``."""
    ys = [np.log10(np.maximum(c[:, 1], 1e-30)) if log_y else c[:, 1] for c in curves]
    if order == "median":
        return sorted(range(len(curves)), key=lambda i: -float(np.median(ys[i])))
    if order == "top":
        x_ref = min(float(c[:, 0].max()) for c in curves)
        return sorted(
            range(len(curves)), key=lambda i: -float(np.interp(x_ref, curves[i][:, 0], ys[i]))
        )
    y_ref = max(float(y.min()) for y in ys) + 1e-9
    return sorted(range(len(curves)), key=lambda i: float(curves[i][np.argmax(ys[i] >= y_ref), 0]))


def _axes_json(truth: TruthGraph) -> dict[str, Any]:
    return {"x": msgspec.to_builtins(truth.x), "y": msgspec.to_builtins(truth.y)}


def exact_graph(
    pdf: bytes, truth: TruthGraph, found: DatasheetGraph | None, binding: Binding, notes: list[str]
) -> dict[str, Any]:
    """One graph dict of exact curves: the reader's points where it read the graph right,
    the vector paths otherwise; the by-eye labels wherever the reader's differ."""
    reader_right = (
        found is not None
        and axis_right(truth.x, found.axes.x)
        and axis_right(truth.y, found.axes.y)
        and len(found.curves) == truth.curves
    )
    if reader_right:
        assert found is not None
        points = [np.asarray(c.points, float) for c in found.curves]
        reader_labels = [c.label for c in found.curves]
    else:
        points = vector_curves(pdf, truth)
        reader_labels = [""] * len(points)
        notes.append(f"{truth.figure}: curves from its vector paths ({len(points)} found)")
    if len(points) > len(binding.curves):
        # Leader arrows and marks the extractor kept: the curves are the longest paths.
        longest = sorted(range(len(points)), key=lambda i: -len(points[i]))[: len(binding.curves)]
        notes.append(f"{truth.figure}: kept the {len(longest)} longest of {len(points)} paths")
        points = [points[i] for i in sorted(longest)]
        reader_labels = [reader_labels[i] for i in sorted(longest)]
    order = _ordered(points, binding.order, truth.y.scale == "log")
    if len(points) != len(binding.curves):
        notes.append(
            f"{truth.figure}: {len(points)} curves for {len(binding.curves)} labels; "
            "labels bound in order to the curves found"
        )
    curves = []
    supplied = 0
    for index, (label, conditions) in zip(order, binding.curves, strict=False):
        if normalise_label(reader_labels[index]) != normalise_label(label):
            supplied += 1
        curves.append(
            {
                "label": label,
                "value": None,
                "conditions": {**binding.conditions, **conditions},
                "points": points[index].tolist(),
            }
        )
    graph_supplied = found is None or any(
        found.conditions.get(k) != v for k, v in binding.conditions.items()
    )
    if supplied or (binding.conditions and graph_supplied):
        notes.append(
            f"{truth.figure}: supplied {supplied} of {len(curves)} labels"
            + (f", graph conditions {binding.conditions}" if graph_supplied else "")
        )
    return {
        "graph_type": truth.graph_type,
        "axes": _axes_json(truth),
        "curves": curves,
        "conditions": dict(binding.conditions),
        "name": graph_name(truth.graph_type, truth.page, truth.figure),
    }


def reader_graph(graph: DatasheetGraph) -> dict[str, Any]:
    """The reader's graph as the ``spice_fit`` job's ``latest_graphs`` hands it over."""
    shown = graph_json(graph)
    return {
        "graph_type": shown["graphType"],
        "axes": shown["axes"],
        "curves": shown["curves"],
        "conditions": dict(graph.conditions),
        "name": graph_name(graph.graph_type, graph.page, graph.caption),
    }


def _worst(reports: list[CurveReport], kind: str, leave_out: Collection[str] = ()) -> float:
    values = [
        r.median_relative_error if kind == "capacitance" else r.rms_error
        for r in reports
        if r.graph_type == kind and r.graph not in leave_out
    ]
    return max(values, default=math.nan)


def fit_part(
    name: str,
    mode: str,
    graphs: list[dict[str, Any]],
    thermal: ThermalResistance | None,
    table: ElectricalTable,
    result: PartResult,
) -> None:
    typed = [msgspec.convert(g, GraphCurves) for g in graphs]
    try:
        inputs = fit_input_from_graphs(typed, DEVICE_TYPES[name])
        take_table(table, inputs)
        if mode == "exact":
            inputs.rthjc_k_per_w = RTHJC_K_PER_W.get(name)
            inputs.rthjc_source = "read by eye"
        elif thermal is not None:
            inputs.rthjc_k_per_w = thermal.k_per_w
            inputs.rthjc_source = f"read from {thermal.describe()}"
        cpu_started = time.process_time()
        fit = fit_model(inputs, model_type="vdmos", name=name)
        result.fit_cpu_s = time.process_time() - cpu_started
        verification = verify_with_ngspice(fit, inputs)
        subcircuit = verify_with_ngspice(fit, inputs, "pspice")
    except GraphqError as exc:
        result.error = f"{exc.code}: {exc.message}"
        return
    reports = verification.report if verification is not None else fit.report
    review = combined_review(fit.review, verification, {"pspice": subcircuit})
    result.used = len(fit.report)
    result.rejected = sum(1 for r in review.reasons if r.code == "curve_rejected")
    result.output = _worst(reports, "output")
    result.transfer = _worst(reports, "transfer")
    result.capacitance = _worst(reports, "capacitance")
    contradicted = contradicted_graphs(curve_table(inputs), inputs.table)
    result.consistent = (
        _worst(reports, "output", contradicted),
        _worst(reports, "transfer", contradicted),
    )
    if contradicted:
        result.notes.append(f"graphs the table contradicts: {', '.join(contradicted)}")
    by_graph: dict[str, float] = {}
    for r in reports:
        if r.graph_type in ("output", "transfer"):
            by_graph[r.graph] = max(by_graph.get(r.graph, 0.0), r.rms_error)
    result.notes.append(
        "worst RMS by graph: " + "; ".join(f"{g}: {v:.1%}" for g, v in by_graph.items())
    )
    result.fit_s = fit.fit_time_s
    if subcircuit is not None:
        result.pspice = tuple(  # type: ignore[assignment]
            _worst(subcircuit.report, kind) for kind in ("output", "transfer", "capacitance")
        )
        result.notes.append(
            "in ngspice: "
            + dialect_summary({"vdmos": reports, "pspice": subcircuit.report})
            + (" (pspice: stepped capacitances)" if fit.dialect_parameters else "")
        )
    result.reasons = [f"{r.code}: {r.message}" for r in review.reasons]
    pairs = {(c.other.graph, c.output.graph) for c in contradictions(curve_table(inputs))}
    for graph in sorted({g for pair in pairs for g in pair}):
        result.notes.append(alone_fit(name, graphs, graph, inputs))


def alone_fit(name: str, graphs: list[dict[str, Any]], alone: str, inputs: FitInput) -> str:
    """The fit to one of two graphs that contradict each other, without the channel graphs
    (output, transfer, Rds(on)) of the other: how well each alone can be matched."""
    kept = [g for g in graphs if g["graph_type"] not in CHANNEL_TYPES or g["name"] == alone]
    try:
        part = fit_input_from_graphs(
            [msgspec.convert(g, GraphCurves) for g in kept], DEVICE_TYPES[name]
        )
        part.table, part.rthjc_k_per_w = inputs.table, inputs.rthjc_k_per_w
        take_table_conditions(part)
        fit = fit_model(part, model_type="vdmos", name=name)
    except GraphqError as exc:
        return f"fitted to the {alone} alone: failed ({exc.code})"
    shown = ", ".join(
        f"{r.name.split(' (')[0]} {r.rms_error:.1%}" for r in fit.report if r.graph == alone
    )
    return f"fitted to the {alone} alone, RMS by curve (fitted equations): {shown}"


def run_part(directory: Path, sheet: TruthSheet, modes: list[str]) -> list[PartResult]:
    path = find_pdf(directory, sheet)
    if path is None:
        return [
            PartResult(sheet.name, m, error=f"no {sheet.file} under {directory}") for m in modes
        ]
    pdf = path.read_bytes()
    started = time.perf_counter()
    try:
        found = read_datasheet(pdf).graphs
        read_note = f"read_datasheet {time.perf_counter() - started:.1f} s"
    except Exception as exc:  # the reader is measured here too: its crash is a result
        found, read_note = [], f"read_datasheet failed: {type(exc).__name__}: {exc}"
    started = time.perf_counter()
    pages = table_pages(pdf)
    thermal = read_junction_to_case(pdf, pages=pages)
    table = read_electrical_table(pdf, pages=pages)
    seconds = time.perf_counter() - started
    by_eye = RTHJC_K_PER_W.get(sheet.name, "none")
    read = f"{thermal.k_per_w:g} K/W from {thermal.describe()}" if thermal else "none read"
    thermal_note = f"Rth(j-c): {read} (by eye: {by_eye}); tables read in {seconds:.1f} s"
    table_note = f"electrical table: {table.describe()}"
    results = []
    for mode in modes:
        result = PartResult(sheet.name, mode)
        result.notes.extend([read_note, thermal_note, table_note])
        if mode == "pdf":
            graphs = [reader_graph(g) for g in found if g.graph_type in FITTED_TYPES]
        else:
            fitted = [t for t in sheet.graphs if t.figure in BY_EYE[sheet.name]]
            matched = match_graphs(fitted, found)
            graphs = [
                exact_graph(
                    pdf,
                    truth,
                    found[matched[i]] if i in matched else None,
                    BY_EYE[sheet.name][truth.figure],
                    result.notes,
                )
                for i, truth in enumerate(fitted)
            ]
        fit_part(sheet.name, mode, graphs, thermal, table, result)
        results.append(result)
    return results


def _percent(value: float) -> str:
    return "     -" if math.isnan(value) else f"{value:6.1%}"


def print_table(results: list[PartResult], show_reasons: bool) -> None:
    print(
        f"{'part':10s} {'mode':6s} {'used':>4s} {'rej':>4s} {'output':>7s} {'transf':>7s}"
        f" {'C card':>7s} {'fit s':>6s} {'cpu s':>6s}  {'subckt out/tr/C':>21s}"
        f"  {'table-ok out/tr':>14s}  review"
    )
    for r in results:
        if r.error:
            print(f"{r.name:10s} {r.mode:6s} failed: {r.error}")
            continue
        print(
            f"{r.name:10s} {r.mode:6s} {r.used:4d} {r.rejected:4d} {_percent(r.output):>7s}"
            f" {_percent(r.transfer):>7s} {_percent(r.capacitance):>7s} {r.fit_s:6.2f}"
            f" {r.fit_cpu_s:6.2f}"
            f"  {' '.join(_percent(v) for v in r.pspice):>21s}"
            f"  {' '.join(_percent(v) for v in r.consistent):>14s}  {len(r.reasons)} reason(s)"
        )
    for r in results:
        print(f"\n{r.name} ({r.mode}):")
        for note in r.notes:
            print(f"  note: {note}")
        if show_reasons:
            for reason in r.reasons:
                print(f"  - {reason}")
    exact = [r for r in results if r.mode == "exact" and not r.error]
    misses = [
        f"{r.name} {kind}" + (_subcircuit_meets(r) if kind == "capacitance" else "")
        for r in exact
        for kind, value in (
            ("output", r.output),
            ("transfer", r.transfer),
            ("capacitance", r.capacitance),
            # On CPU time, as the fit's deadlines run: the wall time grows with the load.
            ("fit_s", r.fit_cpu_s),
        )
        if value > TARGETS[kind]
    ]
    if exact:
        print(
            "\nexact-mode targets (the VDMOS card, model.lib, the product's default model): "
            + ("all met" if not misses else "missed: " + ", ".join(misses))
        )


def _subcircuit_meets(result: PartResult) -> str:
    """Where the card misses its capacitance target: whether the PSpice-style subcircuit
    (``dialect=pspice``, which the review then recommends) meets it."""
    subcircuit = result.pspice[2]
    if math.isnan(subcircuit) or subcircuit > TARGETS["capacitance"]:
        return ""
    return f" (card; the pspice subcircuit meets it: {subcircuit:.1%})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--mode", choices=("exact", "pdf", "both"), default="both")
    parser.add_argument("--only", default=",".join(PARTS))
    parser.add_argument("--reasons", action="store_true", help="print every review reason")
    args = parser.parse_args(argv)
    modes = ["exact", "pdf"] if args.mode == "both" else [args.mode]
    wanted = [n for n in args.only.split(",") if n in PARTS]
    sheets = [s for s in load_truth() if s.name in wanted]
    load_before = os.getloadavg()[0]
    results = [r for sheet in sheets for r in run_part(args.directory, sheet, modes)]
    print_table(results, args.reasons)
    print(f"load average: {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

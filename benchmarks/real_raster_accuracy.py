"""The raster digitizer on real vendor graphs, with the PDF's own vector curves as truth.

Every vector graph that :func:`graphq.datasheet.read_datasheet` finds on the development
datasheets with both axes matching the hand-read truth (``datasheet_truth.toml``) becomes raster
test cases: its panel (frame plus tick labels) rendered by pypdfium2 at 72, 100, 150 and 300 dpi,
plus a JPEG q60 and a Gaussian-blur variant at 150 dpi. Its vector curves, in axis units, are the
truth. :func:`graphq.digitizer.digitize` gets the axes and no plot area (the frame is found
automatically), once with no labels and once with the truth labels listed highest-first, and
:func:`tests.datagen.score_result` scores each run.

A truth curve's label is the vector curve's label when it is one of the labels printed for the
graph (by the hand-read truth); curves without such a label count for recovery, not for labels.

Figures (SPEC §4, issue: raster digitizer on graphs it was not tuned on):

- ``rec %``: truth curves recovered (median error ≤ 1 % of span, ≥ 90 % of x-extent covered);
- ``label %``: recovered curves with a known label that carry it, no labels given;
- ``spur/20``: extracted curves matching no truth curve, per 20 images;
- ``med err %``: median point error of matched curves, % of span;
- ``ms/0.48MP``: median and maximum of digitize's CPU time, scaled to 800 × 600 pixels;
- confidence table: every extracted curve (no labels given) by its confidence, with the share
  that is right (recovered, with its own label when the truth has one; spurious curves are
  wrong).

Usage::

    .venv/bin/python -m benchmarks.real_raster_accuracy /work/data/curvetrace [--limit N]
        [--workers 2] [--variants 72,100,150,300,jpeg,blur]

``--limit N`` keeps the first N graphs (quick runs).
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from tests.datagen import GeneratedGraph, TruthCurve, score_result
from tests.datagen.artifacts import decode, degrade, encode

from benchmarks.datasheet_truth import (
    axis_right,
    display_points,
    find_pdf,
    load_truth,
    match_graphs,
    normalise_label,
)
from graphq.datasheet import read_datasheet
from graphq.datasheet.types import DatasheetGraph
from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.types import Axes
from graphq.errors import GraphqError

# Around the frame, in points: room for the tick labels and axis titles, as a user's crop.
MARGIN_PT = (40.0, 12.0, 14.0, 30.0)  # left, top, right, bottom
PIXELS_800X600 = 800 * 600
# The degraded variants are made from this rendering.
DEGRADED_DPI = 150
JPEG_STYLE = {"format": "jpeg", "jpeg_quality": 60}
BLUR_STYLE = {"background_grey": 255, "blur_sigma_px": 1.2, "noise_sigma": 0.0}
DEFAULT_VARIANTS = ("72", "100", "150", "300", "jpeg", "blur")
CONFIDENCE_BINS = ((0.9, 1.01, "≥ 0.9"), (0.75, 0.9, "0.75–0.9"), (-0.01, 0.75, "< 0.75"))


@dataclass(frozen=True)
class Case:
    """One vector graph: where it is, its axes and its truth curves (axis units)."""

    sheet: str
    path: str
    page: int
    figure: str
    box: tuple[float, float, float, float]
    axes: Axes
    graph_type: str
    truth: list[TruthCurve]


@dataclass(frozen=True)
class Run:
    case: str
    variant: str
    labels_given: bool
    truth_curves: int
    recovered: int
    labelled: int
    labels_right: int
    spurious: int
    errors: np.ndarray
    confidences: list[tuple[float, bool]]
    ms_per_048mp: float
    failed: str


def _highest_first(curves: list[TruthCurve], axes: Axes) -> list[TruthCurve]:
    """Curves ordered as a user lists them: the one drawn highest (mean display y) first."""

    def height(curve: TruthCurve) -> float:
        display = display_points(curve.points, axes.x, axes.y)
        return float(np.mean(display[:, 1])) if len(display) else 0.0

    return sorted(curves, key=height, reverse=True)


def _case(sheet: str, path: Path, graph: DatasheetGraph, printed: list[str]) -> Case:
    known = {normalise_label(label): label for label in printed if label}
    truth = [
        TruthCurve(
            label=known.get(normalise_label(c.label), "") if c.label else "",
            value=c.value,
            points=np.asarray(c.points, dtype=float).reshape(-1, 2),
        )
        for c in graph.curves
        if len(c.points) >= 2
    ]
    return Case(
        sheet=sheet,
        path=str(path),
        page=graph.page,
        figure=graph.caption or f"page {graph.page} graph",
        box=tuple(graph.box),  # type: ignore[arg-type]
        axes=graph.axes,
        graph_type=graph.graph_type,
        truth=_highest_first(truth, graph.axes),
    )


def collect_cases(directory: Path) -> list[Case]:
    """Vector graphs found with both axes right, from every vector datasheet under DIR once."""
    cases: list[Case] = []
    seen: set[str] = set()
    for sheet in load_truth():
        path = find_pdf(directory, sheet)
        if sheet.set != "vector" or path is None:
            continue
        data = path.read_bytes()
        if data in seen:  # the same PDF under two names (MJL21193 / MJL21194)
            continue
        seen.add(data)  # type: ignore[arg-type]
        result = read_datasheet(data)
        for i, j in match_graphs(sheet.graphs, result.graphs).items():
            truth, found = sheet.graphs[i], result.graphs[j]
            right = axis_right(truth.x, found.axes.x) and axis_right(truth.y, found.axes.y)
            if truth.axes_checked and right and found.source == "vector" and found.curves:
                cases.append(_case(sheet.name, path, found, truth.labels))
    return cases


def render_panel(case: Case, dpi: float) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """RGB pixels of the frame and its margin, and the frame's pixel box (line centres)."""
    left, top, right, bottom = case.box
    crop_left = max(0.0, left - MARGIN_PT[0])
    crop_top = max(0.0, top - MARGIN_PT[1])
    document = pdfium.PdfDocument(case.path)
    try:
        page = document[case.page - 1]
        width, height = page.get_size()
        crop_right = min(width, right + MARGIN_PT[2])
        crop_bottom = min(height, bottom + MARGIN_PT[3])
        scale = dpi / 72.0
        bitmap = page.render(
            scale=scale,
            crop=(crop_left, height - crop_bottom, width - crop_right, crop_top),
        )
        pixels = np.array(bitmap.to_numpy()[:, :, :3][:, :, ::-1])  # BGR → RGB
    finally:
        document.close()
    frame = tuple(
        (value - origin) * scale - 0.5
        for value, origin in (
            (left, crop_left),
            (top, crop_top),
            (right, crop_left),
            (bottom, crop_top),
        )
    )
    return pixels, frame  # type: ignore[return-value]


def variant_image(case: Case, variant: str) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    if variant.isdigit():
        return render_panel(case, float(variant))
    pixels, frame = render_panel(case, DEGRADED_DPI)
    if variant == "jpeg":
        return decode(encode(pixels, JPEG_STYLE)), frame
    if variant == "blur":
        return degrade(pixels, BLUR_STYLE, np.random.default_rng(0)), frame
    raise ValueError(f"unknown variant {variant!r}")


def run_case(job: tuple[Case, str, bool]) -> Run:
    case, variant, labels_given = job
    image, frame = variant_image(case, variant)
    labels = [c.label or f"curve {k + 1}" for k, c in enumerate(case.truth)]
    meta = GraphMeta(
        axes=case.axes,
        graph_type=case.graph_type,  # type: ignore[arg-type]
        labels=labels if labels_given else None,
    )
    graph = GeneratedGraph(b"", image, meta, frame, case.truth, {})
    name = f"{case.sheet} p{case.page} {case.figure[:40]}"
    start = time.process_time()
    try:
        result = digitize(image, meta)
    except GraphqError as error:
        return Run(
            name,
            variant,
            labels_given,
            len(case.truth),
            0,
            0,
            0,
            0,
            np.empty(0),
            [],
            0.0,
            error.code,
        )
    cpu_ms = 1000.0 * (time.process_time() - start)
    score = score_result(result, graph)
    right_by_extracted: dict[int, bool] = {}
    labelled = labels_right = 0
    for truth, curve in zip(case.truth, score.curves, strict=True):
        known = bool(truth.label)
        own = curve.label_correct or not known
        if curve.matched is not None:
            right_by_extracted[curve.matched] = curve.recovered and own
        if known and curve.recovered:
            labelled += 1
            labels_right += curve.label_correct
    confidences = [
        (c.confidence, right_by_extracted.get(i, False)) for i, c in enumerate(result.curves)
    ]
    return Run(
        name,
        variant,
        labels_given,
        len(case.truth),
        score.recovered_count,
        labelled,
        labels_right,
        score.spurious,
        score.point_errors,
        confidences,
        cpu_ms * PIXELS_800X600 / (image.shape[0] * image.shape[1]),
        "",
    )


def _report(title: str, runs: list[Run]) -> None:
    if not runs:
        return
    truth = sum(r.truth_curves for r in runs)
    recovered = sum(r.recovered for r in runs)
    labelled = sum(r.labelled for r in runs)
    labels_right = sum(r.labels_right for r in runs)
    spurious = sum(r.spurious for r in runs)
    errors = np.concatenate([r.errors for r in runs if len(r.errors)] or [np.empty(0)])
    times = np.array([r.ms_per_048mp for r in runs if not r.failed])
    failed = sum(bool(r.failed) for r in runs)
    print(
        f"{title:22} {len(runs):5} {truth:6} {100.0 * recovered / max(truth, 1):6.1f} "
        f"{100.0 * labels_right / max(labelled, 1):6.1f} ({labels_right}/{labelled}) "
        f"{20.0 * spurious / len(runs):7.2f} "
        f"{100.0 * float(np.median(errors)) if len(errors) else float('nan'):8.3f} "
        f"{float(np.median(times)) if len(times) else float('nan'):8.0f} "
        f"{float(np.max(times)) if len(times) else float('nan'):8.0f} {failed:4}"
    )


def _confidence_table(runs: list[Run]) -> None:
    pairs = [pair for run in runs for pair in run.confidences]
    print("confidence   curves  % right")
    for low, high, name in CONFIDENCE_BINS:
        inside = [right for confidence, right in pairs if low <= confidence < high]
        share = 100.0 * sum(inside) / len(inside) if inside else float("nan")
        print(f"{name:10} {len(inside):8} {share:8.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="folder holding the datasheets' folders")
    parser.add_argument("--limit", type=int, default=0, help="keep only the first N graphs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS))
    args = parser.parse_args(argv)

    cases = collect_cases(args.directory)
    if args.limit:
        cases = cases[: args.limit]
    variants = args.variants.split(",")
    jobs = [
        (case, variant, given) for case in cases for variant in variants for given in (False, True)
    ]
    print(
        f"{len(cases)} vector graphs with right axes, {sum(len(c.truth) for c in cases)} curves; "
        f"{len(jobs)} digitizer runs"
    )
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        runs = pool.map(run_case, jobs, chunksize=1)
    print(
        f"{'runs':22} {'images':>5} {'curves':>6} {'rec %':>6} {'label % (right/known)':>21} "
        f"{'spur/20':>7} {'med err%':>8} {'ms/.48MP':>8} {'max ms':>8} {'fail':>4}"
    )
    for given in (False, True):
        chosen = [r for r in runs if r.labels_given == given]
        _report("labels given" if given else "no labels", chosen)
        for variant in variants:
            _report(f"  {variant}", [r for r in chosen if r.variant == variant])
    _confidence_table([r for r in runs if not r.labels_given])
    failures = sorted({(r.case, r.failed) for r in runs if r.failed})
    for case, code in failures:
        print(f"failed: {case}: {code}")


if __name__ == "__main__":
    main()

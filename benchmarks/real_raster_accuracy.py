"""The raster digitizer on real vendor graphs, with the PDF's own vector curves as truth.

Every vector graph that :func:`graphq.datasheet.read_datasheet` finds on the development
datasheets with both axes matching the hand-read truth (``datasheet_truth.toml``) becomes raster
test cases: its panel (frame plus tick labels, and the curve labels printed just right of the
frame, as a user crops it) rendered by pypdfium2 at 72, 100, 150 and 300 dpi,
plus a JPEG q60 and a Gaussian-blur variant at 150 dpi. Its vector curves, in axis units, are the
truth. :func:`graphq.digitizer.digitize` gets the axes and no plot area (the frame is found
automatically), once with no labels and once with the truth labels listed highest-first, and
:func:`tests.datagen.score_result` scores each run.

A truth curve's label is the vector curve's label when it is one of the labels printed for the
graph (by the hand-read truth); curves without such a label count for recovery, not for labels.

Figures (SPEC §4, issue: raster digitizer on graphs it was not tuned on):

- ``rec %``: truth curves recovered (median error ≤ 1 % of span, ≥ 90 % of x-extent covered);
- ``label %``: recovered curves with a known label that carry it (compared as
  :func:`benchmarks.datasheet_truth.normalise_label` folds them), with no labels given the
  labels read from the image, with labels given those bound;
- ``spur/20``: extracted curves matching no truth curve, per 20 images;
- ``med err %``: median point error of matched curves, % of span;
- ``ms/0.48MP``: median and maximum of digitize's CPU time (OCR's tesseract runs included),
  scaled to 800 × 600 pixels;
- confidence tables (:mod:`benchmarks.confidence_table`), with no labels given and with them:
  every extracted curve by its confidence, with the share that is right (recovered, with its
  own label when the truth has one; spurious curves are wrong), and every result (image) by
  :func:`graphq.digitizer.confidence.result_confidence`, right when every curve it gives is
  right and none is missed. Each table is given for the calibration half of the graphs
  (every other graph, in the order of their names: what the confidence's caps were set
  from), the check half (the others) and both.

Usage::

    .venv/bin/python -m benchmarks.real_raster_accuracy /work/data/curvetrace [--limit N]
        [--workers 2] [--variants 72,100,150,300,jpeg,blur] [--calibration HALF]

``--limit N`` keeps the first N graphs (quick runs); ``--calibration calibration`` (or
``check``) runs only that half of the graphs.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import pickle
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from tests.datagen import GeneratedGraph, TruthCurve, score_result
from tests.datagen.artifacts import decode, degrade, encode
from tests.datagen.axes import to_display

from benchmarks.confidence_table import confidence_table
from benchmarks.datasheet_truth import (
    axis_right,
    display_points,
    find_pdf,
    load_truth,
    match_graphs,
    normalise_label,
)
from graphq.datasheet import read_datasheet
from graphq.datasheet.labels import LabelSettings
from graphq.datasheet.types import DatasheetGraph
from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.confidence import result_confidence
from graphq.digitizer.types import Axes, DigitizeResult
from graphq.errors import GraphqError

# Around the frame, in points: room for the tick labels and axis titles, as a user's crop.
MARGIN_PT = (40.0, 12.0, 14.0, 30.0)  # left, top, right, bottom
# A user cropping a graph takes in the curve labels printed just right of its frame: ink
# beside the frame (level with it) running on from it with no gap wider than LABEL_GAP_PT,
# up to LABEL_REACH_PT (the datasheet binder's reach), widens the crop to its end plus
# LABEL_PAD_PT. A wider gap is the page's next column or graph.
LABEL_GAP_PT = 6.0
LABEL_REACH_PT = LabelSettings().outside_reach_pt
LABEL_PAD_PT = 3.0
# The strip right of the frame is rendered at two pixels a point (144 dpi): a small label's
# hairline strokes still render darker than the ink threshold (at 72 dpi, anti-aliasing
# leaves them paler), and its gaps are measured to half a point, well inside LABEL_GAP_PT.
LABEL_STRIP_SCALE = 2.0
PIXELS_800X600 = 800 * 600
# The degraded variants are made from this rendering.
DEGRADED_DPI = 150
JPEG_STYLE = {"format": "jpeg", "jpeg_quality": 60}
BLUR_STYLE = {"background_grey": 255, "blur_sigma_px": 1.2, "noise_sigma": 0.0}
DEFAULT_VARIANTS = ("72", "100", "150", "300", "jpeg", "blur")
HALVES = ("calibration", "check")
# Spurious-curve classes, in display units (fractions of the frame): a curve within this of an
# edge over most of its points is left-over frame; one this flat (or this upright) is a grid
# line; one narrower than this a tick, a legend sample, a pointer or text.
EDGE_FRACTION = 0.02
FLAT_FRACTION = 0.006
SHORT_FRACTION = 0.15
# A spurious curve whose median distance to a truth curve is below this is a second copy or a
# piece of that curve (the truth curve went to another extracted curve).
PIECE_FRACTION = 0.05
# A frame found further than this fraction of the true frame's size from it (any edge) is
# taken wrong: every curve of that run is off, and its misses and spurious curves count as
# the frame's.
FRAME_FRACTION = 0.015


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
    spurious_classes: tuple[str, ...] = ()
    miss_classes: tuple[str, ...] = ()
    # The result's confidence, and whether it is right: every curve it gives right, none
    # missed.
    result_confidence: float = 0.0
    result_right: bool = False


def same_label(found: str, truth: str) -> bool:
    """Whether a label the digitizer gives is the truth's, as printed or read: spelling,
    spaces, units and a family's quantity name do not count (``"VGS = 10 V"`` is ``"10V"``)."""
    return normalise_label(found) == normalise_label(truth)


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


def cached_cases(directory: Path, cache: Path | None) -> list[Case]:
    """:func:`collect_cases`, kept in ``cache`` between runs (reading the image-only sheets by
    OCR takes a minute); the cache is keyed by the datasheets' bytes and the truth file."""
    if cache is None:
        return collect_cases(directory)
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.pdf")):
        digest.update(path.name.encode())
        digest.update(str(path.stat().st_size).encode())
    digest.update(Path(__file__).with_name("datasheet_truth.toml").read_bytes())
    key = digest.hexdigest()
    if cache.exists():
        stored_key, cases = pickle.loads(cache.read_bytes())
        if stored_key == key:
            return cases
    cases = collect_cases(directory)
    cache.write_bytes(pickle.dumps((key, cases)))
    return cases


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
        margin = RIGHT_PT if RIGHT_PT is not None else _label_margin(page, case.box)
        crop_right = min(width, right + margin)
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


def _label_margin(page: pdfium.PdfPage, box: tuple[float, float, float, float]) -> float:
    """How far right of the frame (points) the crop reaches: MARGIN_PT's, or to the end of the
    labels printed right beside the frame (see LABEL_GAP_PT)."""
    _, top, right, bottom = box
    width, height = page.get_size()
    reach = min(LABEL_REACH_PT, width - right)
    if reach <= 0:
        return MARGIN_PT[2]
    strip = page.render(
        scale=LABEL_STRIP_SCALE, crop=(right, height - bottom, width - right - reach, top)
    ).to_numpy()[:, :, :3]
    inked = np.flatnonzero((strip.min(axis=2) < 128).any(axis=0)) / LABEL_STRIP_SCALE
    end = 0.0
    for column in inked.tolist():
        if column - end > LABEL_GAP_PT:
            break
        end = column
    return max(MARGIN_PT[2], end + LABEL_PAD_PT)


def variant_image(case: Case, variant: str) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    if variant.isdigit():
        return render_panel(case, float(variant))
    pixels, frame = render_panel(case, DEGRADED_DPI)
    if variant == "jpeg":
        return decode(encode(pixels, JPEG_STYLE)), frame
    if variant == "blur":
        return degrade(pixels, BLUR_STYLE, np.random.default_rng(0)), frame
    raise ValueError(f"unknown variant {variant!r}")


def _display(points: np.ndarray | list[list[float]], axes: Axes) -> np.ndarray:
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    display = np.column_stack([to_display(points[:, 0], axes.x), to_display(points[:, 1], axes.y)])
    return display[np.all(np.isfinite(display), axis=1)]


def spurious_class(points: np.ndarray, truths: list[np.ndarray]) -> str:
    """What a spurious curve (display units) most likely is: a piece or copy of a truth curve,
    left-over frame, a grid line, something short (tick, legend sample, pointer, text) or
    another stretch of ink."""
    if len(points) == 0:
        return "empty"
    for truth in truths:
        if len(truth) and _median_distance(points, truth) <= PIECE_FRACTION:
            return "piece"
    x, y = points[:, 0], points[:, 1]
    near_edge = (np.minimum(y, 1 - y) <= EDGE_FRACTION) | (np.minimum(x, 1 - x) <= EDGE_FRACTION)
    if near_edge.mean() >= 0.8:
        return "frame"
    width, height = float(np.ptp(x)), float(np.ptp(y))
    if width >= SHORT_FRACTION and float(np.std(y)) <= FLAT_FRACTION:
        return "grid-h"
    if height >= SHORT_FRACTION and float(np.std(x)) <= FLAT_FRACTION:
        return "grid-v"
    if width < SHORT_FRACTION:
        flat = float(np.std(y)) <= FLAT_FRACTION
        return "short-flat" if flat else "short"
    return "other"


def _median_distance(points: np.ndarray, truth: np.ndarray) -> float:
    from scipy.spatial import cKDTree

    distance, _ = cKDTree(truth).query(points)
    return float(np.median(distance))


def miss_class(matched: bool, median_error: float, coverage: float) -> str:
    if not matched:
        return "unmatched"
    if median_error > 0.01:
        return "inaccurate"
    return "partial" if coverage < 0.9 else "recovered"


def _cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (tesseract's runs)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


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
    name = case_name(case)
    start = _cpu_seconds()
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
    cpu_ms = 1000.0 * (_cpu_seconds() - start)
    score = score_result(result, graph)
    right_by_extracted: dict[int, bool] = {}
    labelled = labels_right = 0
    mislabels: list[str] = []
    for truth, curve in zip(case.truth, score.curves, strict=True):
        known = bool(truth.label)
        named = curve.matched is not None and same_label(
            result.curves[curve.matched].label, truth.label
        )
        own = named or not known
        if curve.matched is not None:
            right_by_extracted[curve.matched] = curve.recovered and own
        if known and curve.recovered:
            labelled += 1
            labels_right += named
            if not named and curve.matched is not None:
                found = result.curves[curve.matched]
                mislabels.append(f"{truth.label!r} read {found.label!r} ({found.confidence:.2f})")
    confidences = [
        (c.confidence, right_by_extracted.get(i, False)) for i, c in enumerate(result.curves)
    ]
    result_right = all(right for _, right in confidences) and score.recovered_count == len(
        case.truth
    )
    truths = [_display(t.points, case.axes) for t in case.truth]
    matched = {c.matched for c in score.curves if c.matched is not None}
    spurious_classes = tuple(
        spurious_class(_display(c.points, case.axes), truths)
        for i, c in enumerate(result.curves)
        if i not in matched
    )
    miss_classes = tuple(
        miss_class(c.matched is not None, c.median_error, c.coverage)
        for c in score.curves
        if not c.recovered
    )
    true_w, true_h = frame[2] - frame[0], frame[3] - frame[1]
    if score.plot_area_error_px > FRAME_FRACTION * max(true_w, true_h):
        spurious_classes = ("wrong-frame",) * len(spurious_classes)
        miss_classes = ("wrong-frame",) * len(miss_classes)
    classes = (spurious_classes, miss_classes)
    if DUMP is not None:
        _dump(
            DUMP, f"{name} {variant} {int(labels_given)}", image, result, meta, classes, mislabels
        )
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
        spurious_classes,
        miss_classes,
        result_confidence(result),
        result_right,
    )


def case_name(case: Case) -> str:
    return f"{case.sheet} p{case.page} {case.figure[:40]}"


def halves_of(cases: list[Case]) -> dict[str, str]:
    """Which half each graph is in: every other one of the graphs' sorted names calibrates
    the confidence, the others check it."""
    names = sorted({case_name(case) for case in cases})
    return {name: HALVES[k % 2] for k, name in enumerate(names)}


# Where run_case writes each image, its overlay and its classes (``--dump``); set per worker.
DUMP: Path | None = None
# The crop's margin right of the frame (points), when not the one _label_margin measures
# (``--right-pt``); set per worker.
RIGHT_PT: float | None = None


def _set_dump(directory: Path | None, right_pt: float | None = None) -> None:
    global DUMP, RIGHT_PT
    DUMP = directory
    RIGHT_PT = right_pt


def _dump(
    directory: Path,
    name: str,
    image: np.ndarray,
    result: DigitizeResult,
    meta: GraphMeta,
    classes: tuple[tuple[str, ...], tuple[str, ...]],
    mislabels: list[str],
) -> None:
    from PIL import Image

    from graphq.digitizer import render_overlay

    stem = "".join(ch if ch.isalnum() else "_" for ch in name)
    Image.fromarray(image).save(directory / f"{stem}.png")
    (directory / f"{stem}_overlay.png").write_bytes(render_overlay(image, result, meta))
    lines = [f"spurious {classes[0]}", f"missed {classes[1]}"]
    lines += [f"label {line}" for line in mislabels]
    lines += [f"review {note.code}: {note.message}" for note in result.review.reasons]
    (directory / f"{stem}.txt").write_text("\n".join(lines) + "\n")


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


def _confidence_tables(runs: list[Run], halves: dict[str, str]) -> None:
    """Per curve and per result, by half: confidence against correctness."""
    chosen = {half: [r for r in runs if halves[r.case] == half] for half in HALVES}
    chosen["both"] = runs
    for what in ("curves", "results"):
        columns = {
            half: (
                [pair for run in picked for pair in run.confidences]
                if what == "curves"
                else [(run.result_confidence, run.result_right) for run in picked]
            )
            for half, picked in chosen.items()
        }
        print(f"\nper {what[:-1]}:")
        print(confidence_table(columns))


def _class_table(runs: list[Run], variants: list[str]) -> None:
    """Spurious curves and missed truth curves by class, per variant (no labels given)."""
    spurious = sorted({k for r in runs for k in r.spurious_classes})
    missed = sorted({k for r in runs for k in r.miss_classes})
    names = [f"s:{k}" for k in spurious] + [f"m:{k}" for k in missed]
    print(f"{'classes':10} " + " ".join(f"{n:>13}" for n in names))
    for variant in [*variants, "all"]:
        chosen = [r for r in runs if variant in ("all", r.variant)]
        s_count = Counter(k for r in chosen for k in r.spurious_classes)
        m_count = Counter(k for r in chosen for k in r.miss_classes)
        counts = [s_count[k] for k in spurious] + [m_count[k] for k in missed]
        print(f"{variant:10} " + " ".join(f"{c:>13}" for c in counts))
    by_case = Counter(r.case for r in runs for _ in r.spurious_classes)
    for case, count in by_case.most_common(8):
        print(f"spurious {count:3}: {case}")
    by_case = Counter(r.case for r in runs for _ in r.miss_classes)
    for case, count in by_case.most_common(8):
        print(f"missed   {count:3}: {case}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="folder holding the datasheets' folders")
    parser.add_argument("--limit", type=int, default=0, help="keep only the first N graphs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS))
    parser.add_argument(
        "--labels", choices=("both", "none", "given"), default="both", help="which runs to make"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path("/tmp/graphq_real_raster_cases.pickle"),
        help="where the cases are kept between runs",
    )
    parser.add_argument("--dump", type=Path, help="write each image, overlay and classes here")
    parser.add_argument("--only", default="", help="keep only cases whose name contains this")
    parser.add_argument(
        "--calibration",
        choices=("both", *HALVES),
        default="both",
        help="run this half of the graphs only (every other graph by name calibrates)",
    )
    parser.add_argument(
        "--right-pt",
        type=float,
        help="crop this far right of the frame (points; default: 14, or to the end of the "
        "labels printed right beside the frame, up to 45); 14 is the crop before labels were "
        "taken in",
    )
    args = parser.parse_args(argv)

    cases = cached_cases(args.directory, args.cache)
    halves = halves_of(cases)
    if args.calibration != "both":
        cases = [c for c in cases if halves[case_name(c)] == args.calibration]
    if args.only:
        cases = [c for c in cases if args.only in f"{c.sheet} p{c.page} {c.figure}"]
    if args.limit:
        cases = cases[: args.limit]
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    variants = args.variants.split(",")
    givens = {"both": (False, True), "none": (False,), "given": (True,)}[args.labels]
    jobs = [(case, variant, given) for case in cases for variant in variants for given in givens]
    print(
        f"{len(cases)} vector graphs with right axes, {sum(len(c.truth) for c in cases)} curves; "
        f"{len(jobs)} digitizer runs"
    )
    context = multiprocessing.get_context("spawn")
    with context.Pool(
        args.workers, initializer=_set_dump, initargs=(args.dump, args.right_pt)
    ) as pool:
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
    for given in (False, True):
        chosen = [r for r in runs if r.labels_given == given]
        if chosen:
            print(f"\nconfidence, {'labels given' if given else 'no labels given'}")
            _confidence_tables(chosen, halves)
    _class_table([r for r in runs if not r.labels_given], variants)
    failures = sorted({(r.case, r.failed) for r in runs if r.failed})
    for case, code in failures:
        print(f"failed: {case}: {code}")


if __name__ == "__main__":
    main()

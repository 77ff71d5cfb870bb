"""Accuracy and speed of the digitizer methods on generated datasheet graphs (SPEC §4).

Seed split: the digitizer is tuned on seeds 0–99 999 only; the figures reported in the
README come from seeds 100 000 and up (``--seed-start 100000``, the default), which no tuning
run ever looks at. Every graph is rendered by ``tests.datagen.generate_graph(seed)`` in its
seed's random style and graph type; each method gets the axis ranges and the graph type but
no ``plotArea``, so the frame is found automatically, as the SPEC's targets ask.

Figures, per method (scoring by :func:`tests.datagen.score_result`, in display units: a
fraction of the axis span, of the decades shown on a log axis):

- ``rec %``: truth curves recovered (median error ≤ 1 % of span, ≥ 90 % of x-extent covered);
- ``med %`` / ``p90 %``: median and 90th percentile of the point errors of every matched
  curve, pooled;
- ``cov %``: mean x-coverage of the truth curves (0 for a curve not found);
- ``spur/20``: extracted curves matching no truth curve, per 20 images;
- ``fail``: images the method answered with an error (every curve of them counts as missed);
- ``label %``: of the recovered curves in images that draw every curve's label
  (``labelled``), those carrying their own (compared as
  :func:`benchmarks.datasheet_truth.normalise_label` folds them): read from the image, or,
  with ``--labels``, bound from the labels given;
- ``ms``: median wall time of ``digitize`` per image, and ``ms/0.48MP`` scaled per
  800 × 600-equivalent (time × 480 000 / pixels), one image per worker process;
- confidence tables (:mod:`benchmarks.confidence_table`): every extracted curve by its
  confidence, with the share that is right (recovered and carrying its own label, whether
  the image draws it or not: a curve whose label the image does not show is not known to be
  the one its label names), and every result (image) by
  :func:`graphq.digitizer.confidence.result_confidence`, right when every curve it gives is
  right and none is missed.

Usage::

    .venv/bin/python -m benchmarks.digitizer_accuracy --count 200 --seed-start 100000 \\
        --methods standard,legacy [--workers 2] [--overlays DIR]

``--labels`` also gives each method the curve labels (and so their number), as a user
copying them from the graph's legend would; the SPEC's targets are for axis ranges only.
``--overlays DIR`` writes the overlay PNG of every image where a curve was missed or a
spurious one found (the first method only), for looking at failures.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tests.datagen import generate_graph, score_result

from benchmarks.confidence_table import confidence_table
from benchmarks.datasheet_truth import normalise_label
from graphq.digitizer import GraphMeta, digitize, render_overlay
from graphq.digitizer.confidence import result_confidence
from graphq.digitizer.types import DigitizeResult
from graphq.errors import GraphqError

HELD_OUT_SEED_START = 100_000
PIXELS_800X600 = 800 * 600


@dataclass
class MethodRun:
    """One method on one image: per-truth-curve scores, pooled point errors, time."""

    recovered: list[bool]
    coverage: list[float]
    errors: np.ndarray
    spurious: int
    failed: bool
    ms: float
    # Per extracted curve: its confidence and whether it was right (recovered, with its own
    # label).
    judged: list[tuple[float, bool]] = field(default_factory=list)
    needs_review: bool = False
    # Recovered curves whose label is drawn in the image, and of them those carrying it.
    labelled: int = 0
    labels_right: int = 0
    # The result's confidence and whether it was right (every curve right, none missed).
    result: tuple[float, bool] = (0.0, False)


@dataclass
class ImageRun:
    seed: int
    graph_type: str
    groups: dict[str, str]
    pixels: int
    runs: dict[str, MethodRun] = field(default_factory=dict)


def _width_bucket(width: int) -> str:
    for limit in (600, 1200, 2000):
        if width < limit:
            return f"<{limit}"
    return "≥2000"


def style_groups(style: dict[str, Any], graph_type: str, width: int) -> dict[str, str]:
    """The breakdown keys of one image: graph type and the main style choices."""
    return {
        "graph type": graph_type,
        "colour mode": style["color_mode"],
        "grid": style["grid_major"],
        "labels": style["label_mode"],
        "format": style["format"],
        "blur": "blur" if style["blur_sigma_px"] > 0 else "sharp",
        "curve width": f"{style['line_px']:g} px",
        "frame": style["frame"],
        "dashes": style["dash_mode"],
        "image width": _width_bucket(width),
    }


def _run_method(image: np.ndarray, meta: GraphMeta) -> tuple[DigitizeResult | None, float]:
    began = time.perf_counter()
    try:
        result: DigitizeResult | None = digitize(image, meta)
    except GraphqError:
        result = None
    return result, (time.perf_counter() - began) * 1000.0


def run_image(task: tuple[int, tuple[str, ...], str | None, bool]) -> ImageRun:
    """Render one seed and run every method on it (worker-process entry point)."""
    seed, methods, overlay_dir, with_labels = task
    graph = generate_graph(seed)
    height, width = graph.image.shape[:2]
    record = ImageRun(
        seed,
        graph.meta.graph_type,
        style_groups(graph.style, graph.meta.graph_type, width),
        width * height,
    )
    for index, method in enumerate(methods):
        meta = GraphMeta(
            axes=graph.meta.axes,
            graph_type=graph.meta.graph_type,
            method=method,
            labels=graph.meta.labels if with_labels else None,
        )
        result, ms = _run_method(graph.image, meta)
        truth_count = len(graph.truth)
        if result is None:
            record.runs[method] = MethodRun(
                [False] * truth_count, [0.0] * truth_count, np.empty(0), 0, True, ms, [], True
            )
            continue
        score = score_result(result, graph)
        right = {
            c.matched
            for t, c in zip(graph.truth, score.curves, strict=True)
            if c.recovered
            and c.matched is not None
            and normalise_label(result.curves[c.matched].label) == normalise_label(t.label)
        }
        judged = [(curve.confidence, i in right) for i, curve in enumerate(result.curves)]
        whole = all(ok for _, ok in judged) and score.recovered_count == score.truth_count
        # Labels count where the image draws every curve's: which of a partly drawn set
        # were drawn is not recorded.
        drawn = graph.style.get("labels_drawn", 0) == len(graph.truth) > 0
        named = [
            normalise_label(result.curves[c.matched].label) == normalise_label(t.label)
            for t, c in zip(graph.truth, score.curves, strict=True)
            if drawn and c.recovered and c.matched is not None
        ]
        record.runs[method] = MethodRun(
            [c.recovered for c in score.curves],
            [c.coverage for c in score.curves],
            score.point_errors.astype(np.float32),
            score.spurious,
            False,
            ms,
            judged,
            result.review.needs_review,
            len(named),
            sum(named),
            (result_confidence(result), whole),
        )
        missed = score.recovered_count < score.truth_count or score.spurious > 0
        if overlay_dir and index == 0 and missed:
            name = f"{seed}_{graph.meta.graph_type}.png"
            (Path(overlay_dir) / name).write_bytes(render_overlay(graph.image, result, meta))
    return record


def _summary(images: list[ImageRun], method: str) -> dict[str, float]:
    runs = [image.runs[method] for image in images]
    recovered = [r for run in runs for r in run.recovered]
    coverage = [c for run in runs for c in run.coverage]
    errors = np.concatenate([run.errors for run in runs]) if runs else np.empty(0)
    ms = np.array([run.ms for run in runs])
    scaled = ms * PIXELS_800X600 / np.array([image.pixels for image in images])
    return {
        "rec": 100.0 * float(np.mean(recovered)) if recovered else float("nan"),
        "med": 100.0 * float(np.median(errors)) if errors.size else float("nan"),
        "p90": 100.0 * float(np.percentile(errors, 90)) if errors.size else float("nan"),
        "cov": 100.0 * float(np.mean(coverage)) if coverage else float("nan"),
        "spur": 20.0 * sum(run.spurious for run in runs) / len(runs),
        "fail": float(sum(run.failed for run in runs)),
        "label": 100.0 * sum(r.labels_right for r in runs) / max(1, sum(r.labelled for r in runs)),
        "labelled": float(sum(r.labelled for r in runs)),
        "ms": float(np.median(ms)),
        "ms_std": float(np.median(scaled)),
    }


_COLUMNS = (
    ("rec %", "rec", "{:.1f}"),
    ("med %", "med", "{:.3f}"),
    ("p90 %", "p90", "{:.2f}"),
    ("cov %", "cov", "{:.1f}"),
    ("spur/20", "spur", "{:.2f}"),
    ("fail", "fail", "{:.0f}"),
    ("label %", "label", "{:.1f}"),
    ("labelled", "labelled", "{:.0f}"),
    ("ms", "ms", "{:.0f}"),
    ("ms/0.48MP", "ms_std", "{:.0f}"),
)


def markdown_table(
    title: str, rows: Iterable[tuple[str, list[ImageRun]]], methods: tuple[str, ...]
) -> str:
    """One row per group, each method's figures side by side."""
    header = [title, "images", "curves"] + [
        f"{name} {method}" for name, _, _ in _COLUMNS for method in methods
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, images in rows:
        if not images:
            continue
        curves = sum(len(image.runs[methods[0]].recovered) for image in images)
        summaries = {method: _summary(images, method) for method in methods}
        cells = [name, str(len(images)), str(curves)] + [
            fmt.format(summaries[method][key]) for _, key, fmt in _COLUMNS for method in methods
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(images: list[ImageRun], methods: tuple[str, ...]) -> str:
    sections = [markdown_table("all", [("all", images)], methods)]
    for key in images[0].groups if images else []:
        values = sorted({image.groups[key] for image in images})
        grouped = [(value, [i for i in images if i.groups[key] == value]) for value in values]
        sections.append(markdown_table(key, grouped, methods))
    return "\n\n".join(sections)


def confidence_tables(images: list[ImageRun], methods: tuple[str, ...]) -> str:
    """Per method, confidence against correctness per curve and per result (SPEC §4c wants
    ≥ 95 % right at ≥ 0.9), and the share of images whose result needs review."""
    lines = []
    for method in methods:
        runs = [image.runs[method] for image in images]
        curves = [pair for run in runs for pair in run.judged]
        results = [run.result for run in runs]
        review = 100.0 * float(np.mean([run.needs_review for run in runs]))
        lines += [
            f"{method}: {review:.1f} % of {len(runs)} images need review",
            confidence_table({"curves": curves, "results": results}),
            "",
        ]
    return "\n".join(lines)


def failure_listing(images: list[ImageRun], method: str) -> str:
    """One line per image with a missed or spurious curve: seed, type, recovered/total."""
    lines = []
    for image in images:
        run = image.runs[method]
        if run.failed or not all(run.recovered) or run.spurious:
            lines.append(
                f"{image.seed} {image.graph_type}: {sum(run.recovered)}/{len(run.recovered)} "
                f"recovered, {run.spurious} spurious{' (error)' if run.failed else ''}, "
                + ", ".join(f"{k}={v}" for k, v in image.groups.items() if k != "graph type")
            )
    return "\n".join(lines)


def run_all(
    seeds: range,
    methods: tuple[str, ...],
    workers: int,
    overlay_dir: str | None,
    on_done: Callable[[int], None] | None = None,
    with_labels: bool = False,
) -> list[ImageRun]:
    tasks = [(seed, methods, overlay_dir, with_labels) for seed in seeds]
    if workers <= 1:
        return [run_image(task) for task in tasks]
    images: list[ImageRun] = []
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        for image in pool.imap_unordered(run_image, tasks, chunksize=1):
            images.append(image)
            if on_done is not None:
                on_done(len(images))
    return sorted(images, key=lambda image: image.seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="images to render (default 200)")
    parser.add_argument(
        "--seed-start",
        type=int,
        default=HELD_OUT_SEED_START,
        help=f"first seed (default {HELD_OUT_SEED_START}, the held-out range)",
    )
    parser.add_argument("--methods", default="standard,legacy", help="comma-separated methods")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--overlays", metavar="DIR", help="write overlays of failed images here")
    parser.add_argument("--seeds", help="comma-separated explicit seeds (overrides --count)")
    parser.add_argument(
        "--list-failures", action="store_true", help="list images the first method got wrong"
    )
    parser.add_argument(
        "--labels",
        action="store_true",
        help="give each method the curve labels too, as a user copying them from the graph",
    )
    args = parser.parse_args(argv)
    methods = tuple(m.strip() for m in args.methods.split(",") if m.strip())
    if args.overlays:
        Path(args.overlays).mkdir(parents=True, exist_ok=True)
    seeds: Any = (
        [int(s) for s in args.seeds.split(",")]
        if args.seeds
        else range(args.seed_start, args.seed_start + args.count)
    )
    began = time.perf_counter()
    images = run_all(seeds, methods, args.workers, args.overlays, with_labels=args.labels)
    elapsed = time.perf_counter() - began
    first, last = min(image.seed for image in images), max(image.seed for image in images)
    print(
        f"{len(images)} images, seeds {first}–{last}, methods {', '.join(methods)}, "
        f"{args.workers} workers, {'labels given, ' if args.labels else ''}{elapsed:.0f} s\n"
    )
    print(report(images, methods))
    print("\n" + confidence_tables(images, methods))
    if args.list_failures:
        print("\n" + failure_listing(images, methods[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

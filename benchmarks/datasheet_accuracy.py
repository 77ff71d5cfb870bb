"""How well :func:`graphq.datasheet.read_datasheet` reads real datasheets (issue: PDF input).

Every datasheet of ``datasheet_truth.toml`` found under DIR is read once; its graphs are matched
to the hand-read truth (same page, frames overlapping IoU ≥ 0.5) and counted, per datasheet:

- ``truth`` / ``found``: graphs in the truth, and those of them read_datasheet found;
- ``spur``: graphs found that match no truth graph;
- ``axes``: found graphs whose both axes are right (scale, and each edge within 1 % of the span,
  of the decades on a log axis), out of the found graphs whose truth axes can be checked;
- ``curves``: curves extracted / curves in the truth, over the found graphs;
- ``labels``: truth labels carried by an extracted curve (normalised text, one to one) / truth
  curves that have a label of their own;
- ``type``: found graphs whose graph type is the truth's;
- ``s/page``: wall seconds of read_datasheet per page.

``cal err %``: for the graphs with right axes, every extracted point is placed in the frame by the
axes read and by the truth's axes; the median distance between the two, as % of the span, is
the calibration error the reading adds to the curves.

Usage::

    .venv/bin/python -m benchmarks.datasheet_accuracy /work/data/curvetrace [--limit N]
        [--only NAME,NAME] [--graphs]

``--graphs`` also prints one line per truth graph (what was found for it).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.datasheet_truth import (
    TruthGraph,
    TruthSheet,
    axis_right,
    display_points,
    find_pdf,
    labels_bound,
    load_truth,
    match_graphs,
)
from graphq.datasheet import read_datasheet
from graphq.datasheet.types import DatasheetGraph, DatasheetResult


@dataclass
class SheetScore:
    name: str
    set: str
    pages: int = 0
    seconds: float = 0.0
    truth: int = 0
    found: int = 0
    spurious: int = 0
    axes_checked: int = 0
    axes_right: int = 0
    truth_curves: int = 0
    extracted_curves: int = 0
    labelled: int = 0
    labels_right: int = 0
    type_right: int = 0
    calibration_errors: list[np.ndarray] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def add(self, other: SheetScore) -> None:
        for name in (
            "pages",
            "seconds",
            "truth",
            "found",
            "spurious",
            "axes_checked",
            "axes_right",
            "truth_curves",
            "extracted_curves",
            "labelled",
            "labels_right",
            "type_right",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.calibration_errors.extend(other.calibration_errors)


def calibration_error(truth: TruthGraph, found: DatasheetGraph) -> np.ndarray:
    """Per point: how far the axes read move it from where the truth's axes put it (display)."""
    pooled = [np.asarray(c.points, dtype=float).reshape(-1, 2) for c in found.curves if c.points]
    if not pooled:
        return np.empty(0)
    points = np.concatenate(pooled)
    # Only points both readings can place: a log axis cannot show zero or less.
    for column, scales in (
        (0, (truth.x.scale, found.axes.x.scale)),
        (1, (truth.y.scale, found.axes.y.scale)),
    ):
        if "log" in scales:
            points = points[points[:, column] > 0]
    by_found = display_points(points, found.axes.x, found.axes.y)
    by_truth = display_points(points, truth.x, truth.y)
    return np.hypot(*(by_found - by_truth).T)


def score_sheet(sheet: TruthSheet, result: DatasheetResult, seconds: float) -> SheetScore:
    score = SheetScore(sheet.name, sheet.set, pages=result.pages, seconds=seconds)
    matched = match_graphs(sheet.graphs, result.graphs)
    score.truth = len(sheet.graphs)
    score.found = len(matched)
    score.spurious = len(result.graphs) - len(matched)
    for i, truth in enumerate(sheet.graphs):
        j = matched.get(i)
        if j is None:
            score.lines.append(f"  p{truth.page} {truth.figure[:48]:48} not found")
            continue
        found = result.graphs[j]
        labels = [c.label for c in found.curves]
        score.truth_curves += truth.curves
        score.extracted_curves += len(found.curves)
        own = [label for label in truth.labels if label]
        bound = labels_bound(own, labels)
        score.labelled += len(own)
        score.labels_right += bound
        score.type_right += found.graph_type == truth.graph_type
        right = axis_right(truth.x, found.axes.x) and axis_right(truth.y, found.axes.y)
        if truth.axes_checked:
            score.axes_checked += 1
            score.axes_right += right
            if right:
                score.calibration_errors.append(calibration_error(truth, found))
        score.lines.append(
            f"  p{truth.page} {truth.figure[:48]:48} {found.source:6} "
            f"axes {'ok ' if right else 'BAD'}{'' if truth.axes_checked else '(unchecked)'} "
            f"x {found.axes.x.min:g}..{found.axes.x.max:g} {found.axes.x.scale} "
            f"y {found.axes.y.min:g}..{found.axes.y.max:g} {found.axes.y.scale} | "
            f"curves {len(found.curves)}/{truth.curves} labels {bound}/{len(own)} "
            f"{found.graph_type}{_type_mark(found.graph_type, truth.graph_type)}"
            f" {labels}"
        )
    return score


def _type_mark(found: str, truth: str) -> str:
    return "" if found == truth else f"≠{truth}"


def _percent(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:5.1f}" if whole else "    –"


def _row(score: SheetScore) -> str:
    errors = np.concatenate(score.calibration_errors) if score.calibration_errors else np.empty(0)
    median = f"{100.0 * float(np.median(errors)):7.3f}" if len(errors) else "      –"
    per_page = score.seconds / score.pages if score.pages else 0.0
    return (
        f"{score.name:16} {score.truth:5} {score.found:5} {_percent(score.found, score.truth)} "
        f"{score.spurious:4} {score.axes_right:3}/{score.axes_checked:<3} "
        f"{score.extracted_curves:4}/{score.truth_curves:<4} "
        f"{score.labels_right:3}/{score.labelled:<3} "
        f"{_percent(score.labels_right, score.labelled)} "
        f"{score.type_right:3} {median} {per_page:6.2f}"
    )


HEADER = (
    f"{'datasheet':16} {'truth':>5} {'found':>5} {'%':>5} {'spur':>4} {'axes':>7} "
    f"{'curves':>9} {'labels':>7} {'%':>5} {'type':>3} {'cal err%':>7} {'s/page':>6}"
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="folder holding the datasheets' folders")
    parser.add_argument("--limit", type=int, default=0, help="read only the first N datasheets")
    parser.add_argument("--only", default="", help="comma-separated datasheet names")
    parser.add_argument("--graphs", action="store_true", help="one line per truth graph")
    args = parser.parse_args(argv)

    sheets = load_truth()
    if args.only:
        wanted = set(args.only.split(","))
        sheets = [s for s in sheets if s.name in wanted]
    if args.limit:
        sheets = sheets[: args.limit]
    scores: list[SheetScore] = []
    for sheet in sheets:
        path = find_pdf(args.directory, sheet)
        if path is None:
            print(f"{sheet.name}: {sheet.file} not found under {args.directory}, skipped")
            continue
        start = time.perf_counter()
        result = read_datasheet(path.read_bytes())
        scores.append(score_sheet(sheet, result, time.perf_counter() - start))
        if args.graphs:
            print(sheet.name)
            print("\n".join(scores[-1].lines))
    print(HEADER)
    for score in scores:
        print(_row(score))
    for name in ("vector", "scanned"):
        total = SheetScore(f"total {name}", name)
        for score in scores:
            if score.set == name:
                total.add(score)
        if total.truth:
            print(_row(total))


if __name__ == "__main__":
    main()

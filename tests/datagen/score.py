"""How well a digitization recovered a generated graph, in display units.

Every distance is measured in the frame's normalised display space: x and y as fractions of
their axis span (a log axis as a fraction of the decades shown), so an error of 0.01 is 1 % of
span whatever the units. A point's error is its distance to the truth polyline there, which
for a flat curve is the vertical offset and for a near-vertical one the horizontal offset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial import cKDTree

from graphq.digitizer.types import Axes, DigitizeResult

from .axes import to_display
from .graph import GeneratedGraph

RECOVERED_MEDIAN_ERROR = 0.01
RECOVERED_COVERAGE = 0.90
# An extracted curve further than this (median, fraction of span) from every truth curve
# is spurious rather than a bad copy of one.
MATCH_LIMIT = 0.05
# The cost of a pair beyond the limit in the assignment: more than any admissible set costs.
_NO_MATCH = 1e6
# A point counts towards coverage when it is this close to the truth ...
COVERING_ERROR = 0.02
# ... and two such points cover the x between them when they are at most this far apart.
COVERING_GAP = 0.03


@dataclass(frozen=True)
class CurveScore:
    """One truth curve: how well its matched extracted curve follows it."""

    label: str
    matched: int | None
    median_error: float
    p90_error: float
    coverage: float
    recovered: bool
    label_correct: bool
    errors: np.ndarray


@dataclass(frozen=True)
class GraphScore:
    curves: list[CurveScore]
    spurious: int
    plot_area_error_px: float

    @property
    def truth_count(self) -> int:
        return len(self.curves)

    @property
    def recovered_count(self) -> int:
        return sum(c.recovered for c in self.curves)

    @property
    def point_errors(self) -> np.ndarray:
        """Errors of every point of every matched curve, pooled."""
        pooled = [c.errors for c in self.curves if c.matched is not None]
        return np.concatenate(pooled) if pooled else np.empty(0)


class _Polyline:
    """A dense truth polyline in display space, queried for point-to-curve distances."""

    def __init__(self, display: np.ndarray) -> None:
        self.vertices = display
        self.tree = cKDTree(display)
        steps = np.hypot(*np.diff(display, axis=0).T)
        # Clipping can join two pieces of a curve; such a jump is not part of the curve.
        limit = 4.0 * float(np.median(steps)) if len(steps) else 0.0
        self.segment_ok = steps <= limit

    def distances(self, points: np.ndarray) -> np.ndarray:
        if len(points) == 0:
            return np.empty(0)
        nearest, index = self.tree.query(points)
        best = nearest
        for offset in (-1, 0):
            start = index + offset
            valid = (start >= 0) & (start < len(self.vertices) - 1)
            start = np.clip(start, 0, max(len(self.vertices) - 2, 0))
            if len(self.vertices) < 2:
                break
            a = self.vertices[start]
            b = self.vertices[start + 1]
            ab = b - a
            length2 = np.maximum(np.sum(ab * ab, axis=1), 1e-30)
            t = np.clip(np.sum((points - a) * ab, axis=1) / length2, 0.0, 1.0)
            distance = np.hypot(*(points - (a + t[:, None] * ab)).T)
            usable = valid & self.segment_ok[start]
            best = np.where(usable, np.minimum(best, distance), best)
        return best


def _to_display(points: np.ndarray, axes: Axes) -> np.ndarray:
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    display = np.column_stack([to_display(points[:, 0], axes.x), to_display(points[:, 1], axes.y)])
    return display[np.all(np.isfinite(display), axis=1)]


def _coverage(display_x: np.ndarray, errors: np.ndarray, truth_x: np.ndarray) -> float:
    """Fraction of the truth's x-extent spanned by close points without large gaps."""
    low, high = float(truth_x.min()), float(truth_x.max())
    good = np.sort(display_x[errors <= COVERING_ERROR])
    if len(good) == 0:
        return 0.0
    if high - low < 1e-9:
        return 1.0
    starts, ends = good[:-1], good[1:]
    bridged = (ends - starts) <= COVERING_GAP
    covered = np.clip(ends[bridged], low, high) - np.clip(starts[bridged], low, high)
    return float(min(1.0, covered.sum() / (high - low)))


def score_result(result: DigitizeResult, graph: GeneratedGraph) -> GraphScore:
    """Match extracted curves to truth curves one to one and score every truth curve.

    Matching is a Hungarian assignment on the median point-to-curve distance; a pair further
    apart than :data:`MATCH_LIMIT` is no match. A truth curve is recovered when its match has a
    median error ≤ 1 % of span and covers ≥ 90 % of the truth's x-extent. Extracted curves
    left without a truth curve are spurious.
    """
    axes = graph.meta.axes
    truths = [_to_display(t.points, axes) for t in graph.truth]
    polylines = [_Polyline(t) for t in truths]
    extracted = [_to_display(c.points, axes) for c in result.curves]
    cost = np.full((len(extracted), len(truths)), np.inf)
    distances: dict[tuple[int, int], np.ndarray] = {}
    for i, points in enumerate(extracted):
        for j, polyline in enumerate(polylines):
            if len(points):
                distances[i, j] = polyline.distances(points)
                cost[i, j] = float(np.median(distances[i, j]))
    pairs: dict[int, int] = {}
    if cost.size:
        # Pairs beyond the limit are no match, so they must not steer the assignment: a
        # spurious curve assigned to some truth curve at any cost would push the curves
        # found off theirs.
        admissible = np.where(cost <= MATCH_LIMIT, cost, _NO_MATCH)
        rows, cols = linear_sum_assignment(admissible)
        pairs = {
            int(j): int(i) for i, j in zip(rows, cols, strict=True) if cost[i, j] <= MATCH_LIMIT
        }
    scores = []
    for j, truth in enumerate(graph.truth):
        i = pairs.get(j)
        if i is None:
            scores.append(
                CurveScore(truth.label, None, np.inf, np.inf, 0.0, False, False, np.empty(0))
            )
            continue
        errors = distances[i, j]
        median_error = float(np.median(errors))
        coverage = _coverage(extracted[i][:, 0], errors, truths[j][:, 0])
        scores.append(
            CurveScore(
                label=truth.label,
                matched=i,
                median_error=median_error,
                p90_error=float(np.percentile(errors, 90)),
                coverage=coverage,
                recovered=median_error <= RECOVERED_MEDIAN_ERROR and coverage >= RECOVERED_COVERAGE,
                label_correct=result.curves[i].label == truth.label,
                errors=errors,
            )
        )
    plot_area_error_px = (
        float(np.max(np.abs(np.subtract(result.plot_area, graph.plot_area))))
        if len(result.plot_area) == 4
        else np.inf
    )
    return GraphScore(scores, len(result.curves) - len(pairs), plot_area_error_px)

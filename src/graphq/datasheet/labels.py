"""Binding label text to curves by reading the page, never by counting curves.

A label names a curve when the page ties them together: the text stands right beside the
curve (inline, or at its end beside the frame), a leader line runs from the text to the
curve, or a legend's sample is drawn in the curve's own style. A label near two curves alike
binds to neither. Text that names no curve but states conditions ("VDS = 10 V",
"Tj = 25 °C", "f = 1 MHz") holds for the whole graph. A stacked column of values whose first
line names the quantity ("VGS = 1.0 V", "0.5 V", "0 V") lends that name to the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.datasheet.conditions import bare_value, parse_conditions
from graphq.datasheet.curves import Leader, LegendSample, VectorCurve
from graphq.datasheet.textlines import TextLine

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class LabelSettings:
    # Inline text stands within this many of its heights of its curve ...
    inline_reach_em: float = 1.6
    # ... and the next curve is at least this much further away (its heights), or this
    # factor further: otherwise the text could name either.
    min_margin_em: float = 0.5
    min_ratio: float = 1.8
    # Labels are read from this far outside the frame (points): curve-end labels stacked
    # to the right of the frame.
    outside_reach_pt: float = 45.0
    # A leader's tip lies within this of its curve (points).
    leader_tip_pt: float = 3.0


@dataclass(frozen=True)
class Binding:
    """Per curve its label text ("" when none binds); and the graph's own conditions."""

    labels: list[str]
    graph_conditions: dict[str, float]
    texts: list[str]  # every text line read in and around the panel, for the record


def bind_labels(
    curves: list[VectorCurve],
    lines: list[TextLine],
    box: Box,
    leaders: list[Leader],
    samples: list[LegendSample],
    settings: LabelSettings | None = None,
) -> Binding:
    chosen = settings or LabelSettings()
    candidates = [line for line in lines if _label_region(line, box, chosen)]
    labels = [""] * len(curves)
    distance_of = [np.inf] * len(curves)
    used: set[int] = set()
    dense = [_dense(c.points) for c in curves]
    for index, line in enumerate(candidates):
        target = _by_leader(line, leaders, dense, chosen)
        if target is None:
            target = _by_sample(line, samples, curves)
        distance = 0.0
        if target is None:
            target, distance = _inline(line, dense, chosen)
        if target is not None and distance < distance_of[target]:
            labels[target] = line.text
            distance_of[target] = distance
            used.add(index)
    labels = _lend_names(labels, candidates)
    graph_conditions: dict[str, float] = {}
    bound = set(labels)
    for line in candidates:
        if line.text not in bound:
            graph_conditions.update(parse_conditions(line.text))
    return Binding(labels, graph_conditions, [line.text for line in candidates])


def _label_region(line: TextLine, box: Box, settings: LabelSettings) -> bool:
    """Upright text inside the frame, or just right of it (curve-end labels)."""
    if not line.upright:
        return False
    x0, y0, x1, y1 = box
    cx, cy = line.centre
    inside = x0 < cx < x1 and y0 < cy < y1
    beside = x1 <= line.x0 <= x1 + 0.3 * settings.outside_reach_pt and y0 - 2 < cy < y1 + 2
    return inside or beside


def _dense(points: np.ndarray, spacing: float = 1.0) -> np.ndarray:
    steps = np.hypot(*np.diff(points, axis=0).T)
    distance = np.concatenate(([0.0], np.cumsum(steps)))
    targets = np.arange(0.0, distance[-1] + spacing, spacing)
    return np.column_stack(
        (np.interp(targets, distance, points[:, 0]), np.interp(targets, distance, points[:, 1]))
    )


def _box_distance(line: TextLine, points: np.ndarray) -> float:
    dx = np.maximum(np.maximum(line.x0 - points[:, 0], 0), points[:, 0] - line.x1)
    dy = np.maximum(np.maximum(line.top - points[:, 1], 0), points[:, 1] - line.bottom)
    return float(np.hypot(dx, dy).min())


def _inline(
    line: TextLine, dense: list[np.ndarray], settings: LabelSettings
) -> tuple[int | None, float]:
    if not dense:
        return None, np.inf
    distances = np.array([_box_distance(line, points) for points in dense])
    order = np.argsort(distances)
    nearest = float(distances[order[0]])
    if nearest > settings.inline_reach_em * line.size:
        return None, nearest
    if len(order) > 1:
        second = float(distances[order[1]])
        clear = second - nearest >= settings.min_margin_em * line.size
        if not (clear or second >= settings.min_ratio * max(nearest, 0.5)):
            return None, nearest
    return int(order[0]), nearest


def _by_leader(
    line: TextLine, leaders: list[Leader], dense: list[np.ndarray], settings: LabelSettings
) -> int | None:
    for leader in leaders:
        tx, ty = leader.text_end
        dx = max(line.x0 - tx, 0, tx - line.x1)
        dy = max(line.top - ty, 0, ty - line.bottom)
        if np.hypot(dx, dy) > settings.leader_tip_pt + 2:
            continue
        tip = np.asarray(leader.tip)
        distances = [float(np.hypot(*(points - tip).T).min()) for points in dense]
        if distances and min(distances) <= settings.leader_tip_pt:
            return int(np.argmin(distances))
    return None


def _by_sample(
    line: TextLine, samples: list[LegendSample], curves: list[VectorCurve]
) -> int | None:
    for sample in samples:
        sx, sy = sample.centre
        if not (
            line.top - 2 <= sy <= line.bottom + 2
            and abs(sx - line.centre[0]) < 3 * (line.x1 - line.x0 + 20)
        ):
            continue
        alike = [
            i
            for i, c in enumerate(curves)
            if c.color == sample.color
            and abs(c.width - sample.width) < 0.05
            and c.dashed == sample.dashed
        ]
        if len(alike) == 1:
            return alike[0]
    return None


def _lend_names(labels: list[str], lines: list[TextLine]) -> list[str]:
    """ "0.5V" under "VGS = 1.0V" in the same column reads "VGS = 0.5V"."""
    named = [(line, cond) for line in lines if len(cond := parse_conditions(line.text)) == 1]
    out = []
    for label in labels:
        bare = bare_value(label) if label else None
        if bare is None:
            out.append(label)
            continue
        line = next((ln for ln in lines if ln.text == label), None)
        donors = [
            (abs(d.x0 - line.x0) + abs(d.top - line.top), next(iter(c)))
            for d, c in named
            if line is not None and abs(d.x0 - line.x0) < 2 * line.size and d.top < line.top
        ]
        out.append(f"{min(donors)[1]} = {label}" if donors else label)
    return out

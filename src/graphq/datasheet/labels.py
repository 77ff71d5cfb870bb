"""Binding label text to curves by reading the page, never by counting curves.

A label names a curve when the page ties them together, in this order of certainty:

- a leader or arrow runs from the text to the curve;
- a legend's sample is drawn in the curve's own style, or the label names the style
  ("(DASHED)") of exactly one curve;
- the text stands right beside the curve (inline), clearly nearer it than any other;
- the text stands right of the frame level with where the curve ends (curve-end labels,
  often stacked in a column);
- a bare value ("-55 °C", "125°") stands beside the curve with no curve on its other side:
  along its row or column the curve is the first one met, and nothing lies beyond the text
  (a label above a family of curves, or left of the leftmost); text naming a quantity
  ("VDS = 10 V") that far from a curve states a condition instead, unless that quantity
  already names other curves of the graph;
- a "Top: … Bottom: …" or "in descending order" list (:mod:`graphq.datasheet.lists`);
- a graph with one curve and one condition line in its frame: that line is the curve's.

A label near two curves alike binds to neither. Text that names no curve but assigns a
condition ("VDS = 10 V", "f = 1 MHz") holds for the whole graph; a bare value ("-55 °C") that
binds to no curve is a curve label left unread, never a condition of every curve. A stacked
column of values whose first line names the quantity ("VGS = 1.0 V", "0.5 V", "0 V") lends
that name to the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from graphq.datasheet.arrows import Leader
from graphq.datasheet.boxes import in_box
from graphq.datasheet.conditions import bare_value, parse_conditions
from graphq.datasheet.curves import LegendSample, VectorCurve
from graphq.datasheet.lists import LabelList, find_lists, order_top_down
from graphq.datasheet.textlines import TextLine

Box = tuple[float, float, float, float]

# How sure each way of binding is (0..1): a line drawn from text to curve or a sample in
# the curve's style leaves no doubt; nearness leaves a little; a list relies on the curves'
# order being the one the list means.
CERTAINTY = {
    "leader": 1.0,
    "sample": 1.0,
    "inline": 0.95,
    "end": 0.9,
    "beside": 0.8,
    "list": 0.8,
    "sole": 0.8,
}


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
    # A curve-end label's middle lies within this many of its heights of the curve's end.
    end_reach_em: float = 1.0
    # A label beside a curve with nothing beyond it is at most this fraction of the frame's
    # diagonal from the curve.
    beside_reach: float = 0.2


@dataclass(frozen=True)
class Binding:
    """Per curve its label text ("" when none binds) and how it was bound ("" when not);
    the graph's own conditions; labels the page prints that bound to no curve."""

    labels: list[str]
    kinds: list[str]
    graph_conditions: dict[str, float]
    unbound: list[str]
    texts: list[str]  # every text line read in and around the panel, for the record


def bind_labels(
    curves: list[VectorCurve],
    lines: list[TextLine],
    box: Box,
    leaders: list[Leader],
    samples: list[LegendSample],
    settings: LabelSettings | None = None,
    *,
    boxes: list[Box] | None = None,
) -> Binding:
    """``boxes`` are the panel's bordered boxes (:func:`graphq.datasheet.boxes.bordered_boxes`):
    their text states conditions or lists labels, and is never a label by nearness."""
    chosen = settings or LabelSettings()
    candidates = [line for line in lines if _label_region(line, box, chosen)]
    lists = find_lists(candidates)
    listed = {id(line) for found in lists for line in found.lines}
    free = [line for line in candidates if id(line) not in listed]
    boxed = [line for line in free if in_box(line, boxes or [])]
    labels = [""] * len(curves)
    kinds = [""] * len(curves)
    rank = [(np.inf, np.inf)] * len(curves)
    dense = [_dense(c.points) for c in curves]
    for line in free:
        target, kind, distance = _target(
            line, curves, dense, box, leaders, samples, chosen, by_nearness=line not in boxed
        )
        if target is None:
            continue
        key = (1.0 - CERTAINTY[kind], distance)
        if key < rank[target]:
            labels[target], kinds[target], rank[target] = line.text, kind, key
    _bind_named_beside(free, boxed, curves, dense, box, labels, kinds, chosen)
    labels = _lend_names(labels, free)
    _bind_lists(lists, curves, labels, kinds)
    _bind_sole(free, curves, box, labels, kinds)
    bound = set(labels)
    graph_conditions: dict[str, float] = {}
    for line in boxed:
        graph_conditions.update(parse_conditions(line.text, lone_temperature=False))
    unbound = []
    for line in free:
        if line.text in bound or line in boxed:
            continue
        graph_conditions.update(parse_conditions(line.text, lone_temperature=False))
        if _bare_label(line.text):
            unbound.append(line.text)
    return Binding(labels, kinds, graph_conditions, unbound, [line.text for line in candidates])


def _target(
    line: TextLine,
    curves: list[VectorCurve],
    dense: list[np.ndarray],
    box: Box,
    leaders: list[Leader],
    samples: list[LegendSample],
    settings: LabelSettings,
    *,
    by_nearness: bool,
) -> tuple[int | None, str, float]:
    target = _by_leader(line, leaders, dense, settings)
    if target is not None:
        return target, "leader", 0.0
    target = _by_sample(line, samples, curves)
    if target is None:
        target = _by_style_word(line, curves)
    if target is not None:
        return target, "sample", 0.0
    if not dense or not by_nearness:
        return None, "", np.inf
    distances = np.array([_box_distance(line, points) for points in dense])
    target = _inline(line, distances, settings)
    if target is not None:
        return target, "inline", float(distances[target])
    target = _curve_end(line, dense, box, settings)
    if target is not None:
        return target, "end", float(distances[target])
    target = _beside(line, dense, distances, box, settings) if _bare_label(line.text) else None
    if target is not None:
        return target, "beside", float(distances[target])
    return None, "", np.inf


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


def _clear(distances: np.ndarray, best: int, size: float, settings: LabelSettings) -> bool:
    """Whether curve ``best`` is clearly the nearest: by a margin or a ratio."""
    others = np.delete(distances, best)
    if others.size == 0:
        return True
    nearest, second = float(distances[best]), float(others.min())
    return second - nearest >= settings.min_margin_em * size or second >= settings.min_ratio * max(
        nearest, 0.5
    )


def _inline(line: TextLine, distances: np.ndarray, settings: LabelSettings) -> int | None:
    best = int(np.argmin(distances))
    if distances[best] > settings.inline_reach_em * line.size:
        return None
    return best if _clear(distances, best, line.size, settings) else None


def _curve_end(
    line: TextLine, dense: list[np.ndarray], box: Box, settings: LabelSettings
) -> int | None:
    """A label right of the frame, level with where one curve meets the right edge."""
    x1 = box[2]
    if line.x0 < x1 - 1:
        return None
    ends = np.full(len(dense), np.inf)
    for k, points in enumerate(dense):
        at_edge = points[points[:, 0] >= x1 - 1.5]
        if at_edge.size:
            ends[k] = float(np.abs(at_edge[:, 1] - line.centre[1]).min())
    best = int(np.argmin(ends))
    if ends[best] > settings.end_reach_em * line.size:
        return None
    return best if _clear(ends, best, line.size, settings) else None


def _beside(
    line: TextLine,
    dense: list[np.ndarray],
    distances: np.ndarray,
    box: Box,
    settings: LabelSettings,
) -> int | None:
    """The nearest curve, when it is the first one met along the label's row or column and
    no curve lies on the label's other side."""
    best = int(np.argmin(distances))
    reach = settings.beside_reach * float(np.hypot(box[2] - box[0], box[3] - box[1]))
    if distances[best] > reach:
        return None
    row = [(p[:, 0], (p[:, 1] >= line.top) & (p[:, 1] <= line.bottom)) for p in dense]
    column = [(p[:, 1], (p[:, 0] >= line.x0) & (p[:, 0] <= line.x1)) for p in dense]
    for band, low, high in ((row, line.x0, line.x1), (column, line.top, line.bottom)):
        before = np.array([np.any(inside & (along < low)) for along, inside in band])
        after = np.array([np.any(inside & (along > high)) for along, inside in band])
        for side, other in ((before, after), (after, before)):
            if side[best] and not other.any() and _first_met(band, best, side, low, high):
                return best
    return None


def _first_met(
    band: list[tuple[np.ndarray, np.ndarray]], best: int, side: np.ndarray, low: float, high: float
) -> bool:
    """Whether curve ``best`` is the first one met going out from the label on its side."""
    gaps = []
    for along, inside in band:
        hits = along[inside]
        gap = np.minimum(np.abs(hits - low), np.abs(hits - high)) if hits.size else np.array([])
        gaps.append(float(gap.min()) if gap.size else np.inf)
    met = [k for k in np.flatnonzero(side)]
    return min(met, key=lambda k: gaps[k]) == best


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


def _by_style_word(line: TextLine, curves: list[VectorCurve]) -> int | None:
    """ "VCE = 5 V (DASHED)": the one curve drawn in the style the label names."""
    words = line.text.casefold()
    for word, dashed in (("dashed", True), ("solid", False)):
        if word in words:
            alike = [i for i, c in enumerate(curves) if c.dashed == dashed]
            return alike[0] if len(alike) == 1 else None
    return None


def _bind_named_beside(
    free: list[TextLine],
    boxed: list[TextLine],
    curves: list[VectorCurve],
    dense: list[np.ndarray],
    box: Box,
    labels: list[str],
    kinds: list[str],
    settings: LabelSettings,
) -> None:
    """A named text ("VCE = 5 V") binds beside a curve when its quantity already names other
    curves of the graph: then it is one of the family's labels, not the graph's condition."""
    naming = {name for label in labels if len(c := parse_conditions(label)) == 1 for name in c}
    open_curves = [k for k, label in enumerate(labels) if not label]
    if not naming or not open_curves:
        return
    for line in free:
        stated = parse_conditions(line.text, lone_temperature=False)
        if line in boxed or line.text in labels or len(stated) != 1 or not set(stated) <= naming:
            continue
        distances = np.array([_box_distance(line, points) for points in dense])
        target = _beside(line, dense, distances, box, settings)
        if target is not None and not labels[target]:
            labels[target], kinds[target] = line.text, "beside"


def _bind_lists(
    lists: list[LabelList], curves: list[VectorCurve], labels: list[str], kinds: list[str]
) -> None:
    """A list naming exactly the panel's curves binds them top to bottom; the page states
    it, so it holds over labels bound by nearness alone."""
    for found in lists:
        if len(found.entries) != len(curves):
            continue
        order = order_top_down([c.points for c in curves])
        if order is None:
            continue
        for index, entry in zip(order, found.entries, strict=True):
            if CERTAINTY.get(kinds[index], 0.0) <= CERTAINTY["inline"]:
                named = (
                    f"{found.quantity} = {entry}" if found.quantity and "=" not in entry else entry
                )
                labels[index], kinds[index] = named, "list"


def _bind_sole(
    lines: list[TextLine], curves: list[VectorCurve], box: Box, labels: list[str], kinds: list[str]
) -> None:
    """One curve and one line inside the frame stating one condition: the line is the curve's."""
    if len(curves) != 1 or labels[0]:
        return
    x0, y0, x1, y1 = box
    inside = [ln for ln in lines if x0 < ln.centre[0] < x1 and y0 < ln.centre[1] < y1]
    stating = [ln for ln in inside if len(parse_conditions(ln.text, lone_temperature=False)) == 1]
    if len(inside) == 1 and len(stating) == 1:
        labels[0], kinds[0] = stating[0].text, "sole"


def _bare_label(text: str) -> bool:
    """A value printed on its own ("-55°C", "0.5V", "125°"): a curve's label, no condition."""
    if "=" in text:
        return False
    return bare_value(text) is not None or bool(
        re.fullmatch(r"[-−+]?\d+(?:[.,]\d+)?\s*\S{0,4}", text)
    )


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

"""Binding label text to curves by reading the page, never by counting curves.

A label names a curve when the page ties them together, in this order of certainty:

- a leader or arrow runs from the text to the curve;
- a legend's sample is drawn in the curve's own style, or the label names the style
  ("(DASHED)") of exactly one curve;
- the text stands right beside the curve (inline), clearly nearer it than any other;
- the text starts just right of where the curve ends, level with that end: right of the
  frame (curve-end labels, often stacked in a column), or inside it where curves stop short;
- a bare value ("-55 °C", "125°") stands beside the curve with no curve on its other side:
  along its row or column the curve is the first one met, and nothing lies beyond the text
  (a label above a family of curves, or left of the leftmost); text naming a quantity
  ("VDS = 10 V") that far from a curve states a condition instead, unless that quantity
  already names other curves of the graph;
- a "Top: … Bottom: …" or "in descending order" list (:mod:`graphq.datasheet.lists`);
- a graph with one curve and one condition line in its frame: that line is the curve's.

Nearness is measured to each curve's own stretches (:mod:`graphq.datasheet.nearness`): text
beside a stretch several curves share names none of them. A stacked block (a name over its
conditions, :mod:`graphq.datasheet.stacks`) binds as one label, its conditions the curve's.
A label near two curves alike binds to neither. Text that names no curve but assigns a
condition ("VDS = 10 V", "f = 1 MHz") holds for the whole graph; a bare value ("-55 °C") that
binds to no curve is a curve label left unread, never a condition of every curve; so are
texts giving one quantity different values (a legend's "VDS = 48 V", "VDS = 12 V"). A stacked
column of values whose first line names the quantity ("VGS = 1.0 V", "0.5 V", "0 V") lends
that name to the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from graphq.datasheet.arrows import Leader
from graphq.datasheet.boxes import in_box
from graphq.datasheet.conditions import bare_value, parse_conditions
from graphq.datasheet.curves import LegendSample, VectorCurve
from graphq.datasheet.legends import by_leader, by_sample, by_style_word
from graphq.datasheet.lists import LabelList, find_lists, order_top_down
from graphq.datasheet.nearness import (
    NearnessSettings,
    beside,
    curve_end,
    densify,
    distances,
    inline,
    own_stretches,
)
from graphq.datasheet.stacks import find_stacks
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
    nearness: NearnessSettings = field(default_factory=NearnessSettings)
    # Labels are read from this far outside the frame (points): curve-end labels stacked
    # to the right of the frame.
    outside_reach_pt: float = 45.0
    # A leader's tip lies within this of its curve (points).
    leader_tip_pt: float = 3.0


@dataclass(frozen=True)
class Binding:
    """Per curve its label text ("" when none binds), how it was bound ("" when not) and the
    conditions printed under its label; the graph's own conditions; labels the page prints
    that bound to no curve."""

    labels: list[str]
    kinds: list[str]
    graph_conditions: dict[str, float]
    unbound: list[str]
    texts: list[str]  # every text line read in and around the panel, for the record
    conditions: list[dict[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class _Geometry:
    """The curves as the binders measure them: whole (leaders) and their own stretches."""

    curves: list[VectorCurve]
    whole: list[np.ndarray]
    own: list[np.ndarray]
    box: Box


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
    stacks = find_stacks([line for line in free if line not in boxed])
    stacked = {id(line) for stack in stacks for line in stack.lines}
    free = [line for line in free if id(line) not in stacked] + [s.line for s in stacks]
    stack_conditions = {id(s.line): s.conditions for s in stacks}
    geometry = _Geometry(
        curves,
        [densify(c.points) for c in curves],
        own_stretches([c.points for c in curves], chosen.nearness),
        box,
    )
    labels = [""] * len(curves)
    kinds = [""] * len(curves)
    conditions: list[dict[str, float]] = [{} for _ in curves]
    rank = [(np.inf, np.inf)] * len(curves)
    for line in free:
        target, kind, distance = _target(
            line, geometry, leaders, samples, chosen, by_nearness=line not in boxed
        )
        if target is None:
            continue
        key = (1.0 - CERTAINTY[kind], distance)
        if key < rank[target]:
            labels[target], kinds[target], rank[target] = line.text, kind, key
            conditions[target] = stack_conditions.get(id(line), {})
    _bind_named_beside(free, boxed, geometry, labels, kinds, chosen)
    labels = _lend_names(labels, free)
    _bind_lists(lists, curves, labels, kinds)
    conditions = [{} if kind == "list" else c for kind, c in zip(kinds, conditions, strict=True)]
    _bind_sole(free, curves, box, labels, kinds)
    bound = set(labels)
    graph_conditions: dict[str, float] = {}
    unbound = []
    stated = [
        (line.text, parse_conditions(line.text, lone_temperature=False))
        for line in boxed
        if line.text not in bound
    ]
    for line in free:
        if line.text in bound or line in boxed:
            continue
        if id(line) in stack_conditions:  # a named block's conditions are its curve's
            unbound.append(line.text)
            continue
        stated.append((line.text, parse_conditions(line.text, lone_temperature=False)))
        if _bare_label(line.text):
            unbound.append(line.text)
    family = _family_quantities([c for _, c in stated] + [parse_conditions(t) for t in labels])
    for text, assigned in stated:
        if family & set(assigned):  # one of a family's labels left unbound: no condition
            unbound.append(text)
        else:
            graph_conditions.update(assigned)
    texts = [line.text for line in candidates]
    return Binding(labels, kinds, graph_conditions, unbound, texts, conditions)


def _target(
    line: TextLine,
    geometry: _Geometry,
    leaders: list[Leader],
    samples: list[LegendSample],
    settings: LabelSettings,
    *,
    by_nearness: bool,
) -> tuple[int | None, str, float]:
    target = by_leader(line, leaders, geometry.whole, settings.leader_tip_pt)
    if target is not None:
        return target, "leader", 0.0
    target = by_sample(line, samples, geometry.curves)
    if target is None:
        target = by_style_word(line, geometry.curves)
    if target is not None:
        return target, "sample", 0.0
    own = geometry.own
    if not own or not by_nearness:
        return None, "", np.inf
    near = settings.nearness
    gaps = distances(line, own)
    target = inline(line, gaps, near)
    if target is not None:
        return target, "inline", float(gaps[target])
    target = curve_end(line, own, gaps, geometry.box, near)
    if target is not None:
        return target, "end", float(gaps[target])
    target = beside(line, own, gaps, geometry.box, near) if _bare_label(line.text) else None
    if target is not None:
        return target, "beside", float(gaps[target])
    return None, "", np.inf


def _label_region(line: TextLine, box: Box, settings: LabelSettings) -> bool:
    """Upright text inside the frame, across its right edge, or just right of it (curve-end
    labels)."""
    if not line.upright:
        return False
    x0, y0, x1, y1 = box
    cx, cy = line.centre
    inside = x0 < cx < x1 and y0 < cy < y1
    across = x0 < line.x0 < x1 < line.x1 and y0 < cy < y1
    beside = x1 <= line.x0 <= x1 + 0.3 * settings.outside_reach_pt and y0 - 2 < cy < y1 + 2
    return inside or across or beside


def _bind_named_beside(
    free: list[TextLine],
    boxed: list[TextLine],
    geometry: _Geometry,
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
        own = geometry.own
        target = beside(line, own, distances(line, own), geometry.box, settings.nearness)
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
                # Entries come named where they are values ("VGS = 10 V"); a word entry
                # ("single pulse") names its curve as printed.
                labels[index], kinds[index] = entry, "list"


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


def _family_quantities(stated: list[dict[str, float]]) -> set[str]:
    """Quantities given different values by different texts ("VDS = 48 V", "VDS = 12 V"):
    they name a family of curves, and hold for no whole graph."""
    values: dict[str, set[float]] = {}
    for conditions in stated:
        for name, value in conditions.items():
            values.setdefault(name, set()).add(value)
    return {name for name, seen in values.items() if len(seen) > 1}


def _bare_label(text: str) -> bool:
    """A value printed on its own ("-55°C", "0.5V", "125°"): a curve's label, no condition."""
    if "=" in text:
        return False
    return bare_value(text) is not None or bool(
        re.fullmatch(r"[-−+]?\d+(?:[.,]\d+)?\s*\S{0,4}", text)
    )


def _lend_names(labels: list[str], lines: list[TextLine]) -> list[str]:
    """ "0.5V" under "VGS = 1.0V" in the same column reads "VGS = 0.5V". Only a printed name
    is lent: "25°C" names no quantity, its Tj is only how a lone temperature is read."""
    named = [
        (line, cond)
        for line in lines
        if len(cond := parse_conditions(line.text, lone_temperature=False)) == 1
    ]
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

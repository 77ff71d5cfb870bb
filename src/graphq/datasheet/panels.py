"""Graph panels on a page: their frame, their tick positions and their caption.

A frame is whatever encloses the plot: a rectangle, four lines, the four outermost lines of a
grid, or just two axis lines meeting at a corner. All of these are a set of long horizontal
and vertical rules that touch one another, so a panel is a connected group of touching
rules, its frame the group's outermost rules. A legend or note box inside the frame touches
the grid and joins its group; a table is a group too, but it holds no curves (no slanted
strokes), which every graph does. Whether its tick labels read is the axes' business.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from graphq.datasheet.content import Strokes
from graphq.datasheet.rules import Rules
from graphq.datasheet.textlines import TextLine


@dataclass(frozen=True)
class PanelSettings:
    # A frame side is at least this long (points): a graph narrower than ~0.7 inch is a
    # logo or a package drawing, not a plot.
    min_side_pt: float = 50.0
    # Rules count as touching within this distance (points): frame lines are often drawn
    # with butt caps that stop half a line width short.
    touch_pt: float = 1.5
    # The bottom and left rules cover at least this fraction of the frame's sides.
    min_edge_cover: float = 0.7
    # A graph encloses slanted strokes (its curves) at least this fraction of its diagonal
    # long in all.
    min_curve_fraction: float = 0.1
    # Tick marks are at most this fraction of the frame's size long ...
    max_tick_fraction: float = 0.08
    # ... and touch the frame within this (points).
    tick_touch_pt: float = 1.5
    # A grid line inside the frame spans at least this fraction of it.
    min_grid_fraction: float = 0.6
    # The caption lies within this distance of the frame (points), below or above: below,
    # past the axis title and tick labels.
    caption_below_pt: float = 70.0
    caption_above_pt: float = 30.0


@dataclass(frozen=True)
class Panel:
    box: tuple[float, float, float, float]
    x_ticks: list[float]
    y_ticks: list[float]


_FIGURE = re.compile(r"^(fig(ure)?\.?)\s*\d+", re.IGNORECASE)


def find_panels(
    rules: Rules, strokes: Strokes, settings: PanelSettings | None = None
) -> list[Panel]:
    """Every frame that encloses curves, with its tick positions, top to bottom."""
    chosen = settings or PanelSettings()
    h = rules.horizontal[(rules.horizontal[:, 2] - rules.horizontal[:, 1]) >= chosen.min_side_pt]
    v = rules.vertical[(rules.vertical[:, 2] - rules.vertical[:, 1]) >= chosen.min_side_pt]
    if len(h) == 0 or len(v) == 0:
        return []
    t = chosen.touch_pt
    touch = (
        (v[None, :, 0] >= h[:, None, 1] - t)
        & (v[None, :, 0] <= h[:, None, 2] + t)
        & (h[:, None, 0] >= v[None, :, 1] - t)
        & (h[:, None, 0] <= v[None, :, 2] + t)
    )
    rows, cols = np.nonzero(touch)
    n = len(h) + len(v)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols + len(h))), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    slanted = _slanted_midpoints(strokes)
    boxes: list[tuple[float, float, float, float]] = []
    for group in np.unique(label):
        members_h = h[label[: len(h)] == group]
        members_v = v[label[len(h) :] == group]
        if len(members_h) == 0 or len(members_v) == 0:
            continue
        box = _frame(members_h, members_v, chosen)
        if box is None:
            continue
        x0, y0, x1, y1 = box
        inside = (
            (slanted[:, 0] > x0)
            & (slanted[:, 0] < x1)
            & (slanted[:, 1] > y0)
            & (slanted[:, 1] < y1)
        )
        if slanted[inside, 2].sum() >= chosen.min_curve_fraction * np.hypot(x1 - x0, y1 - y0):
            boxes.append(box)
    boxes = _drop_nested(boxes)
    boxes.sort(key=lambda b: (round(b[1] / 20), b[0]))
    return [Panel(b, *panel_ticks(b, rules, chosen)) for b in boxes]


def _frame(
    h: np.ndarray, v: np.ndarray, settings: PanelSettings
) -> tuple[float, float, float, float] | None:
    """The outermost rules, when they are long enough and the bottom and left ones span."""
    top, bottom = float(h[:, 0].min()), float(h[:, 0].max())
    left, right = float(v[:, 0].min()), float(v[:, 0].max())
    width, height = right - left, bottom - top
    if width < settings.min_side_pt or height < settings.min_side_pt:
        return None
    base = h[np.abs(h[:, 0] - bottom) < settings.touch_pt]
    side = v[np.abs(v[:, 0] - left) < settings.touch_pt]
    if (base[:, 2] - base[:, 1]).max() < settings.min_edge_cover * width:
        return None
    if (side[:, 2] - side[:, 1]).max() < settings.min_edge_cover * height:
        return None
    return left, top, right, bottom


def _drop_nested(
    boxes: list[tuple[float, float, float, float]],
) -> list[tuple[float, float, float, float]]:
    """Of two nested boxes, the inner one is a legend or inset when it is small, and the
    outer one a page border or section box when the inner one is a graph of its own."""
    dropped: set[int] = set()
    for i, inner in enumerate(boxes):
        for j, outer in enumerate(boxes):
            if i == j or not _inside(inner, outer):
                continue
            big = _area(inner) >= _MIN_NESTED_GRAPH_AREA * _area(outer)
            dropped.add(j if big else i)
    return [b for k, b in enumerate(boxes) if k not in dropped]


# A box nested in another covering at least this fraction of its area is a graph; a
# smaller one is a legend or note box.
_MIN_NESTED_GRAPH_AREA = 0.06


def _area(box: tuple[float, ...]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (
        inner[0] >= outer[0] - 1
        and inner[1] >= outer[1] - 1
        and inner[2] <= outer[2] + 1
        and inner[3] <= outer[3] + 1
    )


def _slanted_midpoints(strokes: Strokes) -> np.ndarray:
    """(x, y, length) of every stroked slanted segment."""
    seg = strokes.segments
    if seg.size == 0:
        return np.zeros((0, 3))
    dx = np.abs(seg[:, 2] - seg[:, 0])
    dy = np.abs(seg[:, 3] - seg[:, 1])
    slanted = (dx > 0.05) & (dy > 0.05) & strokes.stroked[strokes.path]
    return np.column_stack(
        (
            (seg[slanted, 0] + seg[slanted, 2]) / 2,
            (seg[slanted, 1] + seg[slanted, 3]) / 2,
            np.hypot(dx[slanted], dy[slanted]),
        )
    )


def panel_ticks(
    box: tuple[float, float, float, float], rules: Rules, settings: PanelSettings
) -> tuple[list[float], list[float]]:
    """Positions of tick marks and grid lines along the x and y axes."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    t = settings.tick_touch_pt
    v, h = rules.vertical, rules.horizontal
    v_len = v[:, 2] - v[:, 1]
    at_edge = (np.abs(v[:, 1] - y1) < t) | (np.abs(v[:, 2] - y1) < t) | (
        np.abs(v[:, 1] - y0) < t) | (np.abs(v[:, 2] - y0) < t)  # fmt: skip
    within_x = (v[:, 0] >= x0 - t) & (v[:, 0] <= x1 + t)
    x_tick = within_x & at_edge & (v_len <= settings.max_tick_fraction * height)
    x_grid = within_x & (v[:, 1] <= y1) & (v[:, 2] >= y0) & (
        v_len >= settings.min_grid_fraction * height)  # fmt: skip
    h_len = h[:, 2] - h[:, 1]
    at_side = (np.abs(h[:, 1] - x0) < t) | (np.abs(h[:, 2] - x0) < t) | (
        np.abs(h[:, 1] - x1) < t) | (np.abs(h[:, 2] - x1) < t)  # fmt: skip
    within_y = (h[:, 0] >= y0 - t) & (h[:, 0] <= y1 + t)
    y_tick = within_y & at_side & (h_len <= settings.max_tick_fraction * width)
    y_grid = within_y & (h[:, 1] <= x1) & (h[:, 2] >= x0) & (
        h_len >= settings.min_grid_fraction * width)  # fmt: skip
    return _unique(v[x_tick | x_grid, 0]), _unique(h[y_tick | y_grid, 0])


def _unique(positions: np.ndarray, tol: float = 0.4) -> list[float]:
    if positions.size == 0:
        return []
    ordered = np.sort(positions)
    keep = np.concatenate(([True], np.diff(ordered) > tol))
    return ordered[keep].tolist()


def find_caption(
    lines: list[TextLine],
    box: tuple[float, float, float, float],
    settings: PanelSettings | None = None,
    *,
    others: Sequence[tuple[float, float, float, float]] = (),
) -> str:
    """The "Figure N. …" line nearest below (or above) the frame, else the title line just
    above it ("Output Characteristics"). A line nearer the bottom of one of the page's
    ``others`` frames, over it, is that graph's axis title ("ID (milliamps)"), no title of
    this one."""
    chosen = settings or PanelSettings()
    x0, y0, x1, y1 = box
    near: list[tuple[float, TextLine]] = []
    for line in lines:
        if not line.upright or line.x1 < x0 - 0.3 * (x1 - x0) or line.x0 > x1 + 0.3 * (x1 - x0):
            continue
        # Side by side panels share the caption row: the caption centred nearer the frame's
        # centre is its own, so the horizontal offset counts with the distance.
        offset = abs(line.centre[0] - (x0 + x1) / 2)
        if y1 < line.top <= y1 + chosen.caption_below_pt:
            near.append((line.top - y1 + offset, line))
        elif y0 - chosen.caption_above_pt <= line.bottom < y0 + 1:
            near.append((y0 - line.bottom + offset, line))
    # Below first: "Figure N" under a graph belongs to it, one above it to the graph above.
    near.sort(key=lambda item: (item[1].bottom < y0 + 1, item[0]))
    for _, line in near:
        if _FIGURE.match(line.text):
            return _join_continuation(line, lines)
    above = [
        (d, line)
        for d, line in near
        if line.bottom < y0 + 1 and not _numeric(line.text) and not _under(line, y0, others)
    ]
    return above[0][1].text if above else ""


def _under(line: TextLine, y0: float, others: Sequence[tuple[float, float, float, float]]) -> bool:
    """Whether the line above a frame's top ``y0`` stands nearer below another frame."""
    return any(
        bottom <= line.top < bottom + (y0 - line.bottom) and x0 < line.x1 and line.x0 < x1
        for x0, _, x1, bottom in others
    )


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-−+\d.,E\s]+", text))


def _join_continuation(line: TextLine, lines: list[TextLine]) -> str:
    """A caption wrapped onto a second, centred line ("Figure 7. Breakdown Voltage Variation
    / vs. Temperature")."""
    below = [
        other
        for other in lines
        if other.upright
        and 0 < other.top - line.bottom < 0.6 * line.size
        and other.x0 < line.x1
        and other.x1 > line.x0
        and abs(other.size - line.size) < 0.2 * line.size
    ]
    return " ".join([line.text] + [other.text for other in sorted(below, key=lambda o: o.top)[:1]])

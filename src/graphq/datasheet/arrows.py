"""Arrows inside a panel: a leader line from a label to its curve, and the marks that are no
curve (arrowheads, dots, little symbols).

Vendors draw an arrow three ways: a stroked line with a filled triangle at its tip, the same
with the triangle also outlined, or the whole arrow as filled shapes (a thin sliver for the
shaft and a triangle). A mark is any small closed shape: curves are open lines, so a closed
outline a few points across is never a curve, whatever its ink. An arrow's tip is the point
of its head farthest from the shaft's other end — where the arrow points, on the curve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from graphq.datasheet.content import Strokes
from graphq.datasheet.rules import subpath_boxes

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class ArrowSettings:
    # Arrowheads, dots and symbols are at most this big across (points); a curve's closed
    # loop, where one exists, spans far more of the frame.
    max_mark_pt: float = 8.0
    # A filled sliver at most this wide (points) and at least this long is a line drawn as
    # a shape (the shaft of a filled arrow).
    max_shaft_width_pt: float = 1.5
    min_shaft_pt: float = 6.0
    max_shaft_pt: float = 80.0
    # A head sits on its shaft's end within this much beyond its own size (points).
    head_reach_pt: float = 1.5


@dataclass(frozen=True)
class Leader:
    """A straight line from a word (at ``text_end``) towards a curve (at ``tip``)."""

    text_end: tuple[float, float]
    tip: tuple[float, float]
    headed: bool = False


@dataclass(frozen=True)
class Marks:
    """Per subpath id, whether it is a mark; the marks' vertices; filled shafts as segments."""

    is_mark: np.ndarray
    heads: list[np.ndarray]
    shafts: list[np.ndarray]  # (2, 2): the shaft's two ends


def find_marks(strokes: Strokes, box: Box, settings: ArrowSettings | None = None) -> Marks:
    chosen = settings or ArrowSettings()
    size = int(strokes.subpath.max()) + 1 if strokes.segments.size else 0
    is_mark = np.zeros(size, dtype=bool)
    if not size:
        return Marks(is_mark, [], [])
    ids, first, boxes = subpath_boxes(strokes)
    ends = np.append(first[1:], len(strokes.segments))
    seg = strokes.segments
    x0, y0, x1, y1 = box
    centre_x, centre_y = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    inside = (centre_x > x0) & (centre_x < x1) & (centre_y > y0) & (centre_y < y1)
    extent = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    closed = np.hypot(*(seg[ends - 1, 2:] - seg[first, :2]).T) < 0.1
    filled = strokes.filled[strokes.path[first]]
    stroked = strokes.stroked[strokes.path[first]]
    shapes = inside & (closed | filled) & (ends - first >= 2) & (extent <= chosen.max_shaft_pt)
    heads: list[np.ndarray] = []
    shafts: list[np.ndarray] = []
    for k in np.flatnonzero(shapes):
        vertices = seg[first[k] : ends[k], :2]
        if extent[k] <= chosen.max_mark_pt:
            is_mark[ids[k]] = True
            heads.append(vertices)
        elif filled[k] and not stroked[k]:
            shaft = _sliver(vertices, chosen)
            if shaft is not None:
                shafts.append(shaft)
    return Marks(is_mark, heads, shafts)


def _sliver(vertices: np.ndarray, settings: ArrowSettings) -> np.ndarray | None:
    """The two ends of a thin filled polygon, or None when it is no line."""
    if len(vertices) < 3:
        return None
    x, y = vertices[:, 0], vertices[:, 1]
    area = 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
    centred = vertices - vertices.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    along = centred @ axes[0]
    length = float(np.ptp(along))
    if length < settings.min_shaft_pt or area / length > settings.max_shaft_width_pt:
        return None
    low, high = along <= along.min() + 0.5, along >= along.max() - 0.5
    return np.vstack((vertices[low].mean(axis=0), vertices[high].mean(axis=0)))


def leaders_from(
    shafts: list[np.ndarray],
    heads: list[np.ndarray],
    word_distance: Callable[[np.ndarray], np.ndarray],
    reach_pt: float,
    settings: ArrowSettings | None = None,
) -> list[Leader]:
    """Leaders from shafts (each (2, 2)): a shaft with a head at one end points there; one
    without points away from the end nearest a word. ``word_distance(points)`` gives each
    point's distance to the nearest word; a shaft whose tail is further than ``reach_pt``
    from any word is no leader."""
    chosen = settings or ArrowSettings()
    leaders = []
    for shaft in shafts:
        tip_end, apex = _head_at(shaft, heads, chosen)
        near = word_distance(shaft)
        if tip_end is None:
            tip_end = 1 if near[0] <= near[1] else 0
        tail = shaft[1 - tip_end]
        if near[1 - tip_end] > reach_pt:
            continue
        tip = apex if apex is not None else shaft[tip_end]
        leaders.append(
            Leader(
                (float(tail[0]), float(tail[1])), (float(tip[0]), float(tip[1])), apex is not None
            )
        )
    return leaders


def _head_at(
    shaft: np.ndarray, heads: list[np.ndarray], settings: ArrowSettings
) -> tuple[int | None, np.ndarray | None]:
    """Which end of the shaft carries a head, and the head's apex."""
    for head in heads:
        centre = head.mean(axis=0)
        size = float(np.ptp(head, axis=0).max())
        gaps = np.hypot(*(shaft - centre).T)
        end = int(np.argmin(gaps))
        if gaps[end] <= size + settings.head_reach_pt:
            other = shaft[1 - end]
            apex = head[int(np.argmax(np.hypot(*(head - other).T)))]
            return end, apex
    return None, None

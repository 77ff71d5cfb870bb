"""Bordered boxes inside a panel: tables, notes, equations and condition boxes.

Their text says something about the whole graph ("Notes: 1. 250 µs pulse test", "f = 1 MHz",
"Ciss = Cgs + Cgd") or lists labels in order ("Top: … Bottom: …"); it never stands beside a
curve as its label, however near a curve the box happens to be. A box is a closed, level
rectangle drawn with a visible border; a label's plain white background has none.
"""

from __future__ import annotations

import numpy as np

from graphq.datasheet.content import Strokes
from graphq.datasheet.rules import slanted_subpaths, subpath_boxes
from graphq.datasheet.textlines import TextLine

Box = tuple[float, float, float, float]

# A box is at least this big each way (points): smaller closed shapes are marks.
_MIN_SIDE_PT = 6.0
# ... and covers at most this share of the panel: the frame itself is no box in it.
_MAX_PANEL_SHARE = 0.5
# Its border is darker than this on every channel (0..255): white borders are invisible.
_VISIBLE_BELOW = 240


def bordered_boxes(strokes: Strokes, panel: Box) -> list[Box]:
    """Stroked closed rectangles lying inside the panel (not its frame)."""
    if strokes.segments.size == 0:
        return []
    ids, first, boxes = subpath_boxes(strokes)
    seg = strokes.segments
    ends = np.append(first[1:], len(seg))
    path = strokes.path[first]
    closed = np.hypot(*(seg[ends - 1, 2:] - seg[first, :2]).T) < 0.1
    level = ~slanted_subpaths(strokes)[ids]
    visible = strokes.stroked[path] & np.any(strokes.color[path] < _VISIBLE_BELOW, axis=1)
    x0, y0, x1, y1 = panel
    width, height = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    # Boxes often sit in a corner, their border on the frame.
    inside = (boxes[:, 0] > x0 - 1) & (boxes[:, 1] > y0 - 1) & (boxes[:, 2] < x1 + 1) & (
        boxes[:, 3] < y1 + 1)  # fmt: skip
    small = width * height < _MAX_PANEL_SHARE * (x1 - x0) * (y1 - y0)
    big = (width >= _MIN_SIDE_PT) & (height >= _MIN_SIDE_PT) & small
    rectangle = closed & level & (ends - first >= 4)
    keep = rectangle & visible & inside & big
    return [tuple(float(v) for v in b) for b in boxes[keep]]  # type: ignore[misc]


def in_box(line: TextLine, boxes: list[Box]) -> bool:
    cx, cy = line.centre
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

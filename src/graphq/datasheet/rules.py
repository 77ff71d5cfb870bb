"""Straight horizontal and vertical lines of a page: frames, grid lines, ticks, box edges.

A grid line may be drawn as one stroke, as many short pieces, as a dotted line of tiny dashes
or as a thin filled rectangle; all of them become one :class:`Rule` per row or column. The
grouping sorts segments by position once (numpy), so it stays linear in the segment count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.datasheet.content import Strokes


@dataclass(frozen=True)
class RuleSettings:
    # A segment is horizontal (vertical) when it drifts less than this across (points): PDF
    # writers round coordinates to 0.01–0.1 pt.
    straight_tol_pt: float = 0.3
    # Pieces of one line lie within this of the same position (points).
    same_line_pt: float = 0.6
    # Pieces of one line (dots of a dotted grid, dashes) are at most this far apart (points).
    join_gap_pt: float = 3.5
    # A filled rectangle thinner than this is a line drawn as a bar (points).
    bar_thickness_pt: float = 1.5


@dataclass(frozen=True)
class Rules:
    """``horizontal`` rows are (y, x0, x1); ``vertical`` rows are (x, y0, y1), in points."""

    horizontal: np.ndarray
    vertical: np.ndarray


def find_rules(strokes: Strokes, settings: RuleSettings | None = None) -> Rules:
    chosen = settings or RuleSettings()
    seg = strokes.segments
    if seg.size == 0:
        empty = np.zeros((0, 3))
        return Rules(empty, empty)
    dx = seg[:, 2] - seg[:, 0]
    dy = seg[:, 3] - seg[:, 1]
    flat = (np.abs(dy) <= chosen.straight_tol_pt) & (np.abs(dx) > 0)
    upright = (np.abs(dx) <= chosen.straight_tol_pt) & (np.abs(dy) > 0)
    # A straight piece of a subpath that also runs aslant is part of a curve (the flat
    # saturation of an output curve, a gate-charge plateau), not a rule.
    curve_subpath = slanted_subpaths(strokes)
    visible = strokes.stroked[strokes.path] & ~_white(strokes.color)[strokes.path]
    visible &= ~curve_subpath[strokes.subpath]
    flat &= visible
    upright &= visible
    h = np.column_stack(
        ((seg[flat, 1] + seg[flat, 3]) / 2, np.minimum(seg[flat, 0], seg[flat, 2]),
         np.maximum(seg[flat, 0], seg[flat, 2]))
    )  # fmt: skip
    v = np.column_stack(
        ((seg[upright, 0] + seg[upright, 2]) / 2, np.minimum(seg[upright, 1], seg[upright, 3]),
         np.maximum(seg[upright, 1], seg[upright, 3]))
    )  # fmt: skip
    bars_h, bars_v = _bars(strokes, chosen.bar_thickness_pt)
    return Rules(_merge(np.vstack((h, bars_h)), chosen), _merge(np.vstack((v, bars_v)), chosen))


def slanted_subpaths(strokes: Strokes) -> np.ndarray:
    """Per subpath id, whether any of its segments runs aslant: curves do, rules and boxes
    never (PDF writers draw them exactly level or plumb)."""
    seg = strokes.segments
    flagged = np.zeros(int(strokes.subpath.max()) + 1 if seg.size else 0, dtype=bool)
    if seg.size == 0:
        return flagged
    dx = np.abs(seg[:, 2] - seg[:, 0])
    dy = np.abs(seg[:, 3] - seg[:, 1])
    across, along = np.minimum(dx, dy), np.maximum(dx, dy)
    aslant = across > np.maximum(_ASLANT_PT, _ASLANT_SLOPE * along)
    flagged[strokes.subpath[aslant]] = True
    return flagged


# A segment that moves by more than this both across and along (points) is aslant: level
# and plumb rules drift by rounding only (~0.001 pt) ...
_ASLANT_PT = 0.02
# ... or, on a long rule, by a slope below this: some writers draw a 200 pt grid line 0.2 pt
# off level (0.06°), where a curve's flattest chords still climb ≥ 0.5°.
_ASLANT_SLOPE = 0.004


def _white(color: np.ndarray) -> np.ndarray:
    """Strokes in (near) white are invisible on the page: background grids, masks."""
    return np.all(color >= 240, axis=1) if color.size else np.zeros(0, dtype=bool)


def subpath_boxes(strokes: Strokes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per subpath: its id, the index of its first segment and its box (x0, y0, x1, y1)."""
    seg = strokes.segments
    ids, first = np.unique(strokes.subpath, return_index=True)
    xs0 = np.minimum(seg[:, 0], seg[:, 2])
    xs1 = np.maximum(seg[:, 0], seg[:, 2])
    ys0 = np.minimum(seg[:, 1], seg[:, 3])
    ys1 = np.maximum(seg[:, 1], seg[:, 3])
    boxes = np.column_stack(
        (np.minimum.reduceat(xs0, first), np.minimum.reduceat(ys0, first),
         np.maximum.reduceat(xs1, first), np.maximum.reduceat(ys1, first))
    )  # fmt: skip
    return ids, first, boxes


def _bars(strokes: Strokes, thickness: float) -> tuple[np.ndarray, np.ndarray]:
    """Thin filled rectangles, as lines along their long side."""
    empty = np.zeros((0, 3))
    if strokes.segments.size == 0:
        return empty, empty
    _, first, boxes = subpath_boxes(strokes)
    filled = strokes.filled[strokes.path[first]] & ~strokes.stroked[strokes.path[first]]
    w = boxes[:, 2] - boxes[:, 0]
    h = boxes[:, 3] - boxes[:, 1]
    flat = filled & (h <= thickness) & (w > 4 * np.maximum(h, 0.1))
    tall = filled & (w <= thickness) & (h > 4 * np.maximum(w, 0.1))
    return (
        np.column_stack(((boxes[flat, 1] + boxes[flat, 3]) / 2, boxes[flat, 0], boxes[flat, 2])),
        np.column_stack(((boxes[tall, 0] + boxes[tall, 2]) / 2, boxes[tall, 1], boxes[tall, 3])),
    )


def _merge(lines: np.ndarray, settings: RuleSettings) -> np.ndarray:
    """Collinear pieces joined: rows (position, start, end)."""
    if lines.size == 0:
        return np.zeros((0, 3))
    order = np.lexsort((lines[:, 1], np.round(lines[:, 0] / settings.same_line_pt)))
    lines = lines[order]
    row = np.round(lines[:, 0] / settings.same_line_pt)
    new_row = np.concatenate(([True], row[1:] != row[:-1]))
    row_index = np.cumsum(new_row)
    # A running maximum of the end within each row: offset rows so the maximum never carries
    # over from the previous row.
    span = float(lines[:, 2].max() - lines[:, 1].min()) + 10 * settings.join_gap_pt + 1
    shifted_end = lines[:, 2] + row_index * span
    reach = np.maximum.accumulate(shifted_end) - row_index * span
    starts = np.concatenate(
        ([True], new_row[1:] | (lines[1:, 1] > reach[:-1] + settings.join_gap_pt))
    )
    group = np.cumsum(starts) - 1
    count = group[-1] + 1
    position = np.bincount(group, weights=lines[:, 0], minlength=count) / np.bincount(
        group, minlength=count
    )
    lo = np.full(count, np.inf)
    hi = np.full(count, -np.inf)
    np.minimum.at(lo, group, lines[:, 1])
    np.maximum.at(hi, group, lines[:, 2])
    return np.column_stack((position, lo, hi))

"""Pointer lines in a raster plot: a short straight stroke (an arrow's shaft, with its head
or not) drawn from a label to the curve it names.

Left of the plot's ink once the traced curves and the grid are gone, a pointer is a stroke
longer than a glyph and far thinner than it is long, lying along one straight line; its end
nearer a text line is the text's, the other its tip. The datasheet binder takes them as
:class:`graphq.datasheet.arrows.Leader` values, as it takes a vector page's leader lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from graphq.datasheet.arrows import Leader

Box = tuple[float, float, float, float]
Point = tuple[float, float]


@dataclass(frozen=True)
class PointerSettings:
    # A pointer is at least this many glyph heights long (a dash of a curve, a minus sign
    # or a tick is shorter) and at most this fraction of the plot's width (a grid line's
    # remains are longer).
    min_length_glyphs: float = 1.2
    max_length_fraction: float = 0.4
    # A level or plumb one is at most this many glyph heights long: longer, it is what is
    # left of a box's side or a grid line.
    max_level_glyphs: float = 6.0
    # Its pixels lie within this many line widths (and a px) of its axis, but for this
    # fraction at most (an arrowhead's).
    straight_line_widths: float = 1.5
    max_off_line: float = 0.25
    # Its text end lies within this many glyph heights of a text line's box.
    text_reach_glyphs: float = 1.0
    # Where it crosses a curve it is cut: a piece this many glyph heights long at least
    # continues it when it starts within this many glyph heights past its tip, this many px
    # beside its line, and runs on in its direction (bending by this fraction at most).
    min_piece_glyphs: float = 0.5
    crossing_glyphs: float = 1.0
    in_line_px: float = 3.0
    max_bend: float = 0.15
    # Past the tip found in the cleaned ink, the pointer is followed on in the image's own
    # ink for up to this many glyph heights (the curves it crosses and its arrowhead were
    # taken out of the cleaned ink), as long as ink goes on in its line within this many px
    # aside; ink at least this dark is the pointer's or a curve's.
    carry_glyphs: float = 3.0
    carry_aside_px: int = 1
    carry_ink: float = 0.25


DEFAULT_POINTERS = PointerSettings()


def find_pointers(
    ink: np.ndarray,
    texts: list[Box],
    glyph: float,
    line_width: float,
    settings: PointerSettings = DEFAULT_POINTERS,
) -> list[Leader]:
    """Pointers in the mask ``ink`` (what no curve, grid line or glyph took, image pixels)
    that start beside one of the text boxes ``texts`` (x0, top, x1, bottom). A pointer
    crossing another curve on its way is cut there; the pieces in line are joined again."""
    if not texts:
        return []
    boxes = np.array(texts, dtype=np.float64)
    strokes = _strokes(ink, glyph, line_width, settings)
    reach = settings.text_reach_glyphs * glyph
    found = []
    for first, second in strokes:
        gaps = [_box_gap(boxes, first), _box_gap(boxes, second)]
        near = int(np.argmin(gaps))
        start, tip = (first, second) if near == 0 else (second, first)
        if gaps[1 - near] <= reach:
            continue
        # Its text end is beside a text, or points at one just past a curve it crossed there.
        if gaps[near] > reach:
            pointed = _points_at(boxes, tip, start, reach + settings.crossing_glyphs * glyph, reach)
            if pointed is None:
                continue
            start = pointed
        tip = _continued(start, tip, strokes, glyph, settings)
        # Its length counts the pieces continuing it: the grid lines erased across a pointer
        # cut it into pieces each shorter than a pointer.
        if float(np.hypot(*np.subtract(start, tip))) >= settings.min_length_glyphs * glyph:
            found.append(Leader(text_end=start, tip=tip))
    return found


def carried(
    leaders: list[Leader],
    ink: np.ndarray,
    glyph: float,
    settings: PointerSettings = DEFAULT_POINTERS,
) -> list[Leader]:
    """Each pointer with its tip carried on along its line over the image's ``ink``
    (darkness, 0..1) for as long as ink goes on: a pointer crossing a curve on its way to
    another was cut at the first in the cleaned ink, with too little of it left between
    the two to be seen as a stroke; followed in the image, it ends past the curve it points
    at."""
    height, width = ink.shape
    dark = ink >= settings.carry_ink
    reach = round(settings.carry_glyphs * glyph)
    found = []
    for leader in leaders:
        direction = np.subtract(leader.tip, leader.text_end)
        length = float(np.hypot(*direction))
        tip = leader.tip
        if length > 0:
            unit = direction / length
            across = np.array([-unit[1], unit[0]])
            for step in range(1, reach + 1):
                x, y = np.asarray(leader.tip) + step * unit
                inked = False
                for aside in range(-settings.carry_aside_px, settings.carry_aside_px + 1):
                    col, row = np.round((x, y) + aside * across).astype(int)
                    if 0 <= row < height and 0 <= col < width and dark[row, col]:
                        inked = True
                        break
                if not inked:
                    break
                tip = (float(x), float(y))
        found.append(Leader(text_end=leader.text_end, tip=tip, headed=leader.headed))
    return found


def _strokes(
    ink: np.ndarray, glyph: float, line_width: float, settings: PointerSettings
) -> list[tuple[Point, Point]]:
    """The ends of every straight stroke of ``ink`` long enough to point."""
    labels, _ = ndimage.label(ink, structure=np.ones((3, 3), bool))
    longest = settings.max_length_fraction * ink.shape[1]
    strokes = []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        extent = float(np.hypot(box[0].stop - box[0].start, box[1].stop - box[1].start))
        if not settings.min_piece_glyphs * glyph <= extent <= longest:
            continue
        rows, cols = np.nonzero(labels[box] == index)
        points = np.column_stack((cols + box[1].start, rows + box[0].start)).astype(np.float64)
        ends = _straight_ends(points, line_width, settings)
        if ends is None:
            continue
        (ax, ay), (bx, by) = ends
        level = min(abs(ax - bx), abs(ay - by)) <= line_width + 1.0
        if level and extent > settings.max_level_glyphs * glyph:
            continue  # what is left of a box's side or a grid line
        strokes.append(ends)
    return strokes


def _continued(
    start: Point,
    tip: Point,
    strokes: list[tuple[Point, Point]],
    glyph: float,
    settings: PointerSettings,
) -> Point:
    """The pointer's tip, carried on over the pieces that continue it in line across the
    curves it crosses."""
    if not strokes:
        return tip
    # Each stroke both ways round, in the order the pieces are tried: row 2k has stroke k's
    # first end near, row 2k + 1 its second.
    ends = np.array(strokes, dtype=np.float64)
    near = ends.reshape(-1, 2)
    far = ends[:, ::-1].reshape(-1, 2)
    onward = far - near
    onward_length = np.hypot(onward[:, 0], onward[:, 1])
    free = np.ones(len(near), bool)
    while True:
        direction = np.subtract(tip, start)
        length = float(np.hypot(*direction))
        if length == 0:
            return tip
        unit = direction / length
        step = near - np.asarray(tip)
        ahead = step[:, 0] * unit[0] + step[:, 1] * unit[1]
        aside = np.abs(step[:, 0] * unit[1] - step[:, 1] * unit[0])
        bend = np.abs(onward[:, 0] * unit[1] - onward[:, 1] * unit[0])
        fits = (
            free
            & (ahead >= 0)
            & (ahead <= settings.crossing_glyphs * glyph)
            & (aside <= settings.in_line_px)
            & (bend <= settings.max_bend * onward_length + settings.in_line_px)
            & (onward[:, 0] * unit[0] + onward[:, 1] * unit[1] > 0)
        )
        if not fits.any():
            return tip
        # The last piece in line, as the pieces are tried in order.
        best = int(np.flatnonzero(fits)[-1])
        free[best - best % 2 : best - best % 2 + 2] = False
        tip = (float(far[best, 0]), float(far[best, 1]))


def _straight_ends(
    points: np.ndarray, line_width: float, settings: PointerSettings
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The two ends of a stroke lying along one straight line, or None."""
    centre = points.mean(axis=0)
    offsets = points - centre
    _, _, axes = np.linalg.svd(offsets, full_matrices=False)
    along, across = offsets @ axes[0], offsets @ axes[1]
    off = np.abs(across) > settings.straight_line_widths * line_width + 1.0
    if off.mean() > settings.max_off_line:
        return None
    first, last = points[int(np.argmin(along))], points[int(np.argmax(along))]
    return (float(first[0]), float(first[1])), (float(last[0]), float(last[1]))


def _points_at(
    boxes: np.ndarray, tip: Point, end: Point, distance: float, reach: float
) -> Point | None:
    """Where the line from ``tip`` through ``end``, carried on up to ``distance`` px past
    ``end``, first comes within ``reach`` of a box; None if it does not."""
    direction = np.subtract(end, tip)
    length = float(np.hypot(*direction))
    if length == 0:
        return None
    steps = np.arange(0.0, distance + 1.0, 1.0)
    points = np.asarray(end) + steps[:, None] * direction / length
    x, y = points[:, :1], points[:, 1:]
    dx = np.maximum(np.maximum(boxes[:, 0] - x, 0.0), x - boxes[:, 2])
    dy = np.maximum(np.maximum(boxes[:, 1] - y, 0.0), y - boxes[:, 3])
    near = np.flatnonzero(np.hypot(dx, dy).min(axis=1) <= reach)
    if not len(near):
        return None
    return float(points[near[0], 0]), float(points[near[0], 1])


def _box_gap(boxes: np.ndarray, point: tuple[float, float]) -> float:
    """Distance from ``point`` to the nearest box."""
    x, y = point
    dx = np.maximum(np.maximum(boxes[:, 0] - x, 0.0), x - boxes[:, 2])
    dy = np.maximum(np.maximum(boxes[:, 1] - y, 0.0), y - boxes[:, 3])
    return float(np.hypot(dx, dy).min())

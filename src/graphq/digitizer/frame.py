"""Finding the plot frame: the box whose edges carry the axis range.

The frame is the largest box of two long horizontal and two long vertical lines that reach
each other at its corners. Tick marks never form runs that long, and a title or an axis
label that closes into a long run never closes a box with the frame; a thick frame is one
band whose centre is the edge; a frame drawn only as the outermost grid lines is found the
same way, because the ink threshold is low enough for grey.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.lines import Line, find_lines
from graphq.errors import GraphqError

# A pixel is ink for line finding when it is this much darker than the paper: light-grey
# grid lines (~#d0d0d0) pass, JPEG ringing on white does not.
LINE_INK_THRESHOLD = 0.1
# ... and when no frame is seen at that, it is looked for again at this one: a frame drawn as
# dotted light-grey edge grid lines, blurred, is paler still.
PALE_LINE_INK_THRESHOLD = 0.04
# Frame edges are at least this fraction of the image size long.
MIN_FRAME_FRACTION = 0.25
# How far (fraction of the frame size, plus one closed gap) a line's run may stop short of
# the other edges.
REACH_TOLERANCE = 0.03


def detect_plot_area(ink: np.ndarray) -> list[float]:
    """[x0, y0, x1, y1] pixel centres of the frame edges, or INVALID_PARAMETERS-free failure.

    Raises NO_CURVES_FOUND when no frame can be seen at all: without one there is nothing
    to calibrate against, and the client can pass ``plotArea`` explicitly.
    """
    height, width = ink.shape
    gap_px = max(3, round(0.01 * max(width, height)))
    for threshold in (LINE_INK_THRESHOLD, PALE_LINE_INK_THRESHOLD):
        mask = ink > threshold
        horizontal = find_lines(ink, mask, min_length=MIN_FRAME_FRACTION * width, gap_px=gap_px)
        vertical = find_lines(ink.T, mask.T, min_length=MIN_FRAME_FRACTION * height, gap_px=gap_px)
        frame = _largest_box(horizontal, vertical, gap_px)
        if frame is not None:
            return frame
    raise GraphqError(
        "NO_CURVES_FOUND",
        "no plot frame found; pass plotArea [x0, y0, x1, y1] to give it explicitly",
        status=422,
    )


def _reaches(line: Line, lo: float, hi: float, size: float, gap_px: int) -> bool:
    slack = REACH_TOLERANCE * size + gap_px + 2
    return line.start <= lo + slack and line.end >= hi - slack


def _largest_box(horizontal: list[Line], vertical: list[Line], gap_px: int) -> list[float] | None:
    """The largest box whose four sides reach each other at the corners.

    For every pair of vertical lines, the horizontal lines that span between them and lie
    within their extent are the candidate top and bottom; the outermost of those must in
    turn be reached by both verticals. A line of text, a legend rule or a long flat curve
    never closes such a box, so it cannot pull the frame off the real edges.
    """
    best: list[float] | None = None
    best_area = 0.0
    position = np.array([line.position for line in horizontal])
    start = np.array([line.start for line in horizontal])
    end = np.array([line.end for line in horizontal])
    pairs = sorted(
        ((a, b) for i, a in enumerate(vertical) for b in vertical[i + 1 :]),
        key=lambda pair: pair[0].position - pair[1].position,
    )
    for left, right in pairs:
        box_w = right.position - left.position
        top_limit = max(left.start, right.start) - gap_px - 2
        bottom_limit = min(left.end, right.end) + gap_px + 2
        # Widest pairs come first; a pair that cannot beat the best box is skipped cheaply.
        if box_w * (bottom_limit - top_limit) <= best_area:
            continue
        slack = REACH_TOLERANCE * box_w + gap_px + 2
        spanning = np.flatnonzero(
            (position >= top_limit)
            & (position <= bottom_limit)
            & (start <= left.position + slack)
            & (end >= right.position - slack)
        )
        if spanning.size < 2:
            continue
        top, bottom = horizontal[spanning[0]], horizontal[spanning[-1]]
        box_h = bottom.position - top.position
        if box_w * box_h <= best_area:
            continue
        if _reaches(left, top.position, bottom.position, box_h, gap_px) and _reaches(
            right, top.position, bottom.position, box_h, gap_px
        ):
            best = [left.position, top.position, right.position, bottom.position]
            best_area = box_w * box_h
    return best

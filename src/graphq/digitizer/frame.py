"""Finding the plot frame: the box whose edges carry the axis range.

The frame is the outermost pair of long horizontal lines and the outermost pair of long
vertical lines that reach each other. Tick marks, tick labels and titles never form runs that
long; a thick frame is one band whose centre is the edge; a frame drawn only as the outermost
grid lines is found the same way, because the ink threshold is low enough for grey.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.lines import Line, find_lines
from graphq.errors import GraphqError

# A pixel is ink for line finding when it is this much darker than the paper: light-grey
# grid lines (~#d0d0d0) pass, JPEG ringing on white does not.
LINE_INK_THRESHOLD = 0.1
# Frame edges are at least this fraction of the image size long.
MIN_FRAME_FRACTION = 0.25
# How far (fraction of the frame size) a line's run may stop short of the other edges.
REACH_TOLERANCE = 0.08


def detect_plot_area(ink: np.ndarray) -> list[float]:
    """[x0, y0, x1, y1] pixel centres of the frame edges, or INVALID_PARAMETERS-free failure.

    Raises NO_CURVES_FOUND when no frame can be seen at all: without one there is nothing
    to calibrate against, and the client can pass ``plotArea`` explicitly.
    """
    height, width = ink.shape
    mask = ink > LINE_INK_THRESHOLD
    gap_px = max(3, round(0.01 * max(width, height)))
    horizontal = find_lines(ink, mask, min_length=MIN_FRAME_FRACTION * width, gap_px=gap_px)
    vertical = find_lines(ink.T, mask.T, min_length=MIN_FRAME_FRACTION * height, gap_px=gap_px)
    frame = _outermost_box(horizontal, vertical)
    if frame is None:
        raise GraphqError(
            "NO_CURVES_FOUND",
            "no plot frame found; pass plotArea [x0, y0, x1, y1] to give it explicitly",
            status=422,
        )
    return frame


def _reaches(line: Line, lo: float, hi: float, size: float) -> bool:
    slack = REACH_TOLERANCE * size + 2
    return line.start <= lo + slack and line.end >= hi - slack


def _outermost_box(horizontal: list[Line], vertical: list[Line]) -> list[float] | None:
    """Shrink the candidate sets until the outermost lines reach each other."""
    while len(horizontal) >= 2 and len(vertical) >= 2:
        top, bottom = horizontal[0], horizontal[-1]
        left, right = vertical[0], vertical[-1]
        box_w = right.position - left.position
        box_h = bottom.position - top.position
        misfits = [
            (lines, index)
            for lines, index, line, lo, hi, size in (
                (horizontal, 0, top, left.position, right.position, box_w),
                (horizontal, -1, bottom, left.position, right.position, box_w),
                (vertical, 0, left, top.position, bottom.position, box_h),
                (vertical, -1, right, top.position, bottom.position, box_h),
            )
            if not _reaches(line, lo, hi, size)
        ]
        if not misfits:
            return [left.position, top.position, right.position, bottom.position]
        # Drop the shortest misfit: a long flat curve or a legend rule, never the real frame.
        lines, index = min(misfits, key=lambda item: item[0][item[1]].length)
        del lines[index]
    return None

"""Finding the plot frame: the box whose edges carry the axis range.

The frame is the largest box of two long horizontal and two long vertical lines that reach
each other at its corners. Tick marks never form runs that long, and a title or an axis
label that closes into a long run never closes a box with the frame; a thick frame is one
band whose centre is the edge; a frame drawn only as the outermost grid lines is found the
same way, because the ink threshold is low enough for grey.

A plot drawn with only its two axis lines (no box) has no such box: its frame is the corner
where a long vertical line's bottom meets a long horizontal line's left end, reaching as
far as those lines do. Where the axis range ends along them is less sure than on a box, and
:class:`Frame` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.preprocessing.lines import Line, find_lines, longest_runs
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
# Two axis lines without a box may run on past their corner by this fraction of the other
# line's length: outward ticks (a few px) and the "0" tick label at the corner (a glyph or
# two) that closing gaps joins to the line.
AXIS_OVERHANG = 0.15
# A closed box's sides run on past its top and right corners by a few per cent of its size
# at most (past the bottom and left ones, outward ticks and tick labels that closing gaps
# joined on reach as far as two axis lines'); grid lines run on past a box of grid lines
# inside the frame to the frame, further.
BOX_OVERHANG = 0.05
# Of the lines the sides reach close together (within the reach tolerance) at the top or the
# bottom, the frame is the outermost that is no line of text: at a low resolution a bold title
# closes into a long line just above the frame, and the sides, joined to its letters by the
# gap closing, reach it too; but its band is thicker than the frame's line and no row of its
# letters runs unbroken (a dashed or dotted frame is as broken, but thin). Solidity is the
# longest unbroken run of a line's rows over its length; a line less solid than this below
# the most solid close to it, and thicker than that one, is text.
SOLID_MARGIN = 0.1
# A side hidden in part (curve labels with white backgrounds set over the frame's right
# edge, as safe-operating-area graphs name their pulse widths) is broken into pieces that
# reach neither corner, so no box closes on it and a grid line inside is taken for it. The
# lines across the plot still end at it, together: within this many gap closings of each
# other (their ends are each found to a closed gap) ...
HIDDEN_SIDE = 1.0
# ... and at least this many of them: the top and bottom, and a grid line or more.
HIDDEN_SIDE_LINES = 3
# A side whose band is more than this many times as thick as the box's thinnest side is the
# frame line merged with the grid lines crowding beside it (a log axis's 7, 8, 9 lines at
# 72 dpi, or blurred): its edge is at the band's outer side, where a line as thick as the
# thinnest side would lie, not at the band's centre. A frame drawn thick all round stays one
# band whose centre is the edge.
MERGED_SIDE_THICKNESS = 3.0


@dataclass(frozen=True)
class Frame:
    """The plot frame found: [x0, y0, x1, y1] pixel centres of its edges, and whether it is
    a closed box (``False``: two axis lines, the far edges where those lines end)."""

    box: list[float]
    closed: bool


def detect_plot_area(ink: np.ndarray) -> list[float]:
    """[x0, y0, x1, y1] pixel centres of the frame edges (see :func:`find_frame`)."""
    return find_frame(ink).box


def find_frame(ink: np.ndarray) -> Frame:
    """The plot frame: the largest closed box, else the corner of two axis lines.

    Raises NO_CURVES_FOUND when no frame can be seen at all: without one there is nothing
    to calibrate against, and the client can pass ``plotArea`` explicitly.
    """
    height, width = ink.shape
    gap_px = max(3, round(0.01 * max(width, height)))
    found: list[tuple[list[Line], list[Line]]] = []
    for threshold in (LINE_INK_THRESHOLD, PALE_LINE_INK_THRESHOLD):
        mask = ink > threshold
        horizontal = find_lines(ink, mask, min_length=MIN_FRAME_FRACTION * width, gap_px=gap_px)
        vertical = find_lines(ink.T, mask.T, min_length=MIN_FRAME_FRACTION * height, gap_px=gap_px)
        solidity = np.array([_solidity(mask, line) for line in horizontal])
        box = _largest_box(horizontal, vertical, gap_px, solidity)
        if box is not None:
            return Frame(box, closed=True)
        found.append((horizontal, vertical))
    corner = _axis_corner(*found[0], gap_px)
    if corner is not None:
        return Frame(corner, closed=False)
    raise GraphqError(
        "NO_CURVES_FOUND",
        "no plot frame found; pass plotArea [x0, y0, x1, y1] to give it explicitly",
    )


def _reaches(line: Line, lo: float, hi: float, size: float, gap_px: int) -> bool:
    slack = REACH_TOLERANCE * size + gap_px + 2
    return line.start <= lo + slack and line.end >= hi - slack


def _runs_on(left: Line, right: Line, top: float, bottom: float, size: float, gap_px: int) -> bool:
    """Whether a side runs on far past the box's top or bottom, as grid lines do past a box
    of grid lines inside the frame (ticks and a tick label joined on are short)."""
    overhang = BOX_OVERHANG * size + REACH_TOLERANCE * size + gap_px + 2
    return any(
        side.start < top - overhang or side.end > bottom + overhang for side in (left, right)
    )


def _solidity(mask: np.ndarray, line: Line) -> float:
    """The longest unbroken run of ink in any row of a horizontal line, over its length."""
    lengths, _, _ = longest_runs(mask[line.first : line.last + 1, line.start : line.end])
    return float(lengths.max(initial=0)) / max(line.length, 1)


def _largest_box(
    horizontal: list[Line], vertical: list[Line], gap_px: int, solidity: np.ndarray
) -> list[float] | None:
    """The largest box whose four sides reach each other at the corners.

    For every pair of vertical lines, the horizontal lines that span between them and lie
    within their extent are the candidate top and bottom; the outermost of those must in
    turn be reached by both verticals. A line of text, a legend rule or a long flat curve
    never closes such a box, so it cannot pull the frame off the real edges. Nor do grid
    lines inside the frame: their box's sides run on past its corners to the frame.
    """
    best: list[float] | None = None
    best_area = 0.0
    sides: tuple[Line, Line, Line, Line] | None = None
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
            & (start >= left.position - AXIS_OVERHANG * box_w - slack)
            & (end <= right.position + BOX_OVERHANG * box_w + slack)
        )
        if spanning.size < 2:
            continue
        near = REACH_TOLERANCE * (position[spanning[-1]] - position[spanning[0]]) + gap_px + 2
        top = horizontal[_solidest(horizontal, spanning, solidity, near)]
        bottom = horizontal[_solidest(horizontal, spanning[::-1], solidity, near)]
        box_h = bottom.position - top.position
        if box_w * box_h <= best_area:
            continue
        if (
            _reaches(left, top.position, bottom.position, box_h, gap_px)
            and _reaches(right, top.position, bottom.position, box_h, gap_px)
            and not _runs_on(left, right, top.position, bottom.position, box_h, gap_px)
        ):
            best = _outer_edges(left, top, right, bottom)
            best_area = box_w * box_h
            sides = (left, top, right, bottom)
    if best is None or sides is None:
        return None
    return _past_hidden_sides(best, sides, horizontal, vertical, gap_px)


def _past_hidden_sides(
    box: list[float],
    sides: tuple[Line, Line, Line, Line],
    horizontal: list[Line],
    vertical: list[Line],
    gap_px: int,
) -> list[float]:
    """The box moved out to where its right side, hidden in part, lies (see
    :data:`HIDDEN_SIDE`): its top and bottom lines both running on past the side found and
    ending together, as most lines across the plot do. A line drawn there across the box is
    a side of its own, not hidden; tick labels joined to the ends of a few lines (right of
    the frame on a second axis) end where only those few do."""
    _, top, _, bottom = sides
    x0, y0, x1, y1 = box
    slack_x = REACH_TOLERANCE * (x1 - x0) + gap_px + 2
    slack_y = REACH_TOLERANCE * (y1 - y0) + gap_px + 2
    together = HIDDEN_SIDE * (gap_px + 2)
    ends = (top.end - 1, bottom.end - 1)
    if min(ends) > x1 + slack_x and abs(ends[0] - ends[1]) <= together:
        across = [
            line.end - 1.0
            for line in horizontal
            if y0 - slack_y <= line.position <= y1 + slack_y and line.start <= x0 + slack_x
        ]
        edge = float(min(ends))
        if _most_end_here(across, edge, x1, together, slack_x) and not _drawn_across(
            vertical, edge, y0, y1, slack_x
        ):
            x1 = edge
    return [x0, y0, x1, y1]


def _most_end_here(
    ends: list[float], edge: float, side: float, together: float, slack: float
) -> bool:
    """Whether more of the lines ``ends`` end at ``edge`` than at the box's ``side``, and at
    least :data:`HIDDEN_SIDE_LINES` of them."""
    here = sum(abs(end - edge) <= together for end in ends)
    there = sum(abs(end - side) <= slack for end in ends)
    return here >= HIDDEN_SIDE_LINES and here > there


def _drawn_across(lines: list[Line], at: float, low: float, high: float, slack: float) -> bool:
    """Whether one of ``lines`` lies near ``at`` and reaches from ``low`` to ``high``."""
    return any(
        abs(line.position - at) <= slack and line.start <= low + slack and line.end >= high - slack
        for line in lines
    )


def _outer_edges(left: Line, top: Line, right: Line, bottom: Line) -> list[float]:
    """[x0, y0, x1, y1] of a box, each side's line centre, or for a side merged with grid
    lines (see :data:`MERGED_SIDE_THICKNESS`) the centre of a thin line at its outer side."""
    thinnest = min(_thickness(side) for side in (left, top, right, bottom))
    half = (thinnest - 1) / 2.0

    def edge(side: Line, outer: float, inward: float) -> float:
        if _thickness(side) > MERGED_SIDE_THICKNESS * thinnest:
            return outer + inward * half
        return side.position

    return [
        edge(left, left.first, 1.0),
        edge(top, top.first, 1.0),
        edge(right, right.last, -1.0),
        edge(bottom, bottom.last, -1.0),
    ]


def _solidest(lines: list[Line], indices: np.ndarray, solidity: np.ndarray, near: float) -> int:
    """Of the lines ``indices`` (outermost first) within ``near`` px of the outermost, the
    outermost that is no line of text (see :data:`SOLID_MARGIN`)."""
    position = np.array([lines[k].position for k in indices])
    close = indices[np.abs(position - position[0]) <= near]
    best = int(close[np.argmax(solidity[close])])
    for k in close:
        text = solidity[k] < solidity[best] - SOLID_MARGIN and _thickness(lines[k]) > _thickness(
            lines[best]
        )
        if not text:
            return int(k)
    return best


def _thickness(line: Line) -> int:
    return line.last - line.first + 1


def _axis_corner(horizontal: list[Line], vertical: list[Line], gap_px: int) -> list[float] | None:
    """The largest plot two axis lines draw: a vertical line whose lower part meets a
    horizontal line's left part, the frame reaching to the vertical's top and the
    horizontal's right end. Either line may run on past the corner, by outward tick marks
    or a tick label the gap closing joined to it, for up to :data:`AXIS_OVERHANG` of the
    other."""
    best: list[float] | None = None
    best_area = 0.0
    for left in vertical:
        for bottom in horizontal:
            slack = REACH_TOLERANCE * max(left.length, bottom.length) + gap_px + 2
            below = left.end - bottom.position
            before = left.position - bottom.start
            meets = (
                -slack <= below <= AXIS_OVERHANG * bottom.length + slack
                and -slack <= before <= AXIS_OVERHANG * left.length + slack
            )
            box = [left.position, float(left.start), float(bottom.end - 1), bottom.position]
            area = (box[2] - box[0]) * (box[3] - box[1])
            if meets and box[2] > box[0] and box[3] > box[1] and area > best_area:
                best, best_area = box, area
    return best

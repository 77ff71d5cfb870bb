"""Bordered boxes inside the plot: legends, condition tables, notes, equations.

A box is four short lines that meet at their ends: two horizontal ones with the same start
and end, and two vertical ones joining them there. A flat curve is a long horizontal run too,
but no pair of vertical runs closes it into a rectangle. Nor does a line running on past the
corners: the faint trace an erased grid line leaves, or a steep curve, crossing two flat
curves that the same grid erasure cut to one extent. Everything inside a box (its text,
a legend's line samples) is erased with its border, since a box is drawn opaque over the
curves behind it.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from graphq.digitizer.preprocessing.lines import Line, find_lines

# How far (px, plus one line width) the corners of a box's four sides may miss each other.
_CORNER_SLACK_PX = 3.0
# A vertical side is inked over at least this fraction of the rows between its corners ...
_SIDE_COVERAGE = 0.9
# ... or this fraction, between two drawn sides of the same extent (already a rectangle's
# top and bottom): a thin border blurred and compressed at 72 dpi breaks up in places.
_PAIRED_SIDE_COVERAGE = 0.7


def find_boxes(
    mask: np.ndarray, min_side_px: float, line_width_px: float
) -> list[tuple[int, int, int, int]]:
    """Boxes ``(top, left, bottom, right)`` (inclusive rows/columns) drawn in ``mask``.

    ``min_side_px`` is the shortest side a box may have (about one text line high). The
    horizontal sides are found as thin straight lines; a vertical side is a column inked
    nearly all the way between them (curves crossing it only add ink).
    """
    height, width = mask.shape
    # A box drawn against the frame shares its side with it, and grid removal has erased
    # the frame, so the plot's top and bottom edges stand in for those sides.
    edges = (
        Line(0.0, 0, 0, 0, width, 1.0),
        Line(height - 1.0, height - 1, height - 1, 0, width, 1.0),
    )
    # A border is thin and straight; a sloping curve closes into a thick band.
    thickest = round(2 * line_width_px) + 3
    flat = mask & (_run_lengths(mask) <= thickest)
    drawn_lines = [
        line
        for line in find_lines(flat, flat, min_length=min_side_px, gap_px=1)
        if line.last - line.first < thickest
    ]
    horizontal = [edges[0], *drawn_lines, edges[1]]
    slack = round(_CORNER_SLACK_PX + line_width_px)
    boxes = []
    used: set[int] = set()
    for i, top in enumerate(horizontal):
        for j in range(i + 1, len(horizontal)):
            bottom = horizontal[j]
            if j in used or (top in edges and bottom in edges):
                continue
            # A box's inside is taller than its borders are thick; the thick flat strokes
            # of two sloping curves cut to one extent close in a sliver.
            thickness = max(top.last - top.first, bottom.last - bottom.first) + 1
            if (
                bottom.position - top.position < min_side_px
                or bottom.first - top.last - 1 < thickness
            ):
                continue
            # An edge stands in for a side of any length.
            drawn = bottom if top in edges else top
            other = top if top in edges else bottom
            if other not in edges and not _same_extent(mask, top, bottom, slack):
                continue
            if other not in edges:
                drawn = top if top.length >= bottom.length else bottom
            rows = slice(top.last, bottom.first + 1)
            coverage = _SIDE_COVERAGE if other in edges else _PAIRED_SIDE_COVERAGE
            sides = [
                _vertical_side(mask, rows, column, slack, coverage, min_side_px)
                for column in (drawn.start, drawn.end - 1)
            ]
            # Two drawn sides that start and end together need only one vertical side: the
            # other may lie on a grid line, erased with it.
            needed = 1 if other not in edges else 2
            if sum(side is not None for side in sides) < needed or not any(sides):
                continue
            # What is left of the frame itself is no box inside the plot.
            if (bottom.position - top.position) * (drawn.end - drawn.start) > 0.5 * height * width:
                continue
            boxes.append((top.first, drawn.start, bottom.last, drawn.end - 1))
            used.update((i, j))
            break
    return boxes


def _same_extent(mask: np.ndarray, top: Line, bottom: Line, slack: int) -> bool:
    """Both sides start and end together, or the shorter one's missing part is inked all
    along (curves crossing a side thicken it there, so it was not found as a thin line)."""
    for ends in ((top.start, bottom.start), (top.end, bottom.end)):
        if abs(ends[0] - ends[1]) <= slack:
            continue
        shorter = top if top.length < bottom.length else bottom
        low, high = min(ends), max(ends)
        inked = mask[shorter.first : shorter.last + 1, low:high].any(axis=0)
        if inked.mean() < _SIDE_COVERAGE:
            return False
    return True


def _vertical_side(
    mask: np.ndarray, rows: slice, column: int, slack: int, coverage: float, reach: float
) -> bool | None:
    """True for a drawn side at ``column`` (inked over ``coverage`` of ``rows``), False for
    the plot's edge standing in, else None: also for a line inked as far as ``reach`` rows
    on past either corner, which a box's side is not."""
    width = mask.shape[1]
    if column <= slack or column >= width - 1 - slack:
        return False
    columns = slice(max(0, column - slack), column + slack + 1)
    if mask[rows, columns].any(axis=1).mean() < coverage:
        return None
    beyond = round(reach)
    above = mask[max(0, rows.start - slack - beyond) : max(0, rows.start - slack), columns]
    below = mask[rows.stop + slack : rows.stop + slack + beyond, columns]
    for outside in (above, below):
        if outside.shape[0] >= beyond and outside.any(axis=1).mean() >= coverage:
            return None
    return True


def _run_lengths(mask: np.ndarray) -> np.ndarray:
    """Per pixel, the length of the vertical run of ``mask`` it lies in (0 off the mask)."""
    labels, _ = ndimage.label(mask, structure=np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]]))
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return sizes[labels]


def erase_boxes(ink: np.ndarray, boxes: list[tuple[int, int, int, int]], margin_px: int) -> None:
    """Blank each box and ``margin_px`` around it, in place."""
    height, width = ink.shape
    for top, left, bottom, right in boxes:
        ink[
            max(0, top - margin_px) : min(height, bottom + margin_px + 1),
            max(0, left - margin_px) : min(width, right + margin_px + 1),
        ] = 0.0

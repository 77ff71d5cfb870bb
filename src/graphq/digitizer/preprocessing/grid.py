"""Removing grid lines (and the frame) from the plot's ink.

A grid line is a row or column of ink that runs most of the plot's width or height from one
of its edges, solid, dashed or dotted, one of a family of look-alikes
(:mod:`graphq.digitizer.preprocessing.grid_or_curve` tells it from a flat curve). Where a
curve crosses it, the curve is usually darker than the grid, so a pixel is kept when it is
clearly darker than that line's own typical ink; a curve as dark as the grid loses one
line-width there, which the tracker bridges like a dash gap.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.axes.frame import LINE_INK_THRESHOLD
from graphq.digitizer.preprocessing.broken_grid import GridLook, broken_grid_lines
from graphq.digitizer.preprocessing.grid_erase import CURVE_OVER_GRID, erase_bands
from graphq.digitizer.preprocessing.grid_or_curve import (
    FAMILY_SIZE,
    inside_frame,
    interrupted_grid_lines,
    line_level,
    line_thickness,
    runs_on_as_curve,
    without_coloured,
    without_flat_curves,
)
from graphq.digitizer.preprocessing.lines import Line, find_lines, solid_cores

# A grid line spans at least this fraction of the plot.
MIN_GRID_FRACTION = 0.5
# A piece of a grid line that a box interrupts runs at least this fraction of the plot.
_PIECE_FRACTION = 0.25
# A grid line has at least this much own ink in each quarter of its run.
_PART_INK = 0.2


def remove_grid(
    ink: np.ndarray, colour: np.ndarray | None = None
) -> tuple[np.ndarray, list[Line], list[Line]]:
    """Ink with grid and frame lines erased, plus the horizontal and vertical lines found.

    ``colour`` (the image's chroma) tells a flat coloured curve from the grey grid: a line
    much more colourful than the grid's lines is a curve, however light or dotted.
    """
    height, width = ink.shape
    mask = ink > LINE_INK_THRESHOLD
    gap_px = max(3, round(0.015 * max(width, height)))
    horizontal = _from_frame(ink, mask, MIN_GRID_FRACTION, gap_px)
    vertical = _from_frame(ink.T, mask.T, MIN_GRID_FRACTION, gap_px)
    found_horizontal, found_vertical = horizontal, vertical
    pieces_h = _pieces(ink, mask, gap_px)
    pieces_v = _pieces(ink.T, mask.T, gap_px)
    horizontal, vertical = without_flat_curves(ink, horizontal, vertical, (pieces_h, pieces_v))
    if colour is not None:
        horizontal, vertical = without_coloured(ink, colour, horizontal, vertical)
    # The grid's look is taken from its whole lines, before any piece joins them.
    look = _grid_look(ink, horizontal, vertical)
    horizontal += interrupted_grid_lines(ink, horizontal, found_horizontal, pieces_h, by_mass=True)
    vertical += interrupted_grid_lines(ink.T, vertical, found_vertical, pieces_v)
    if look is not None:
        horizontal += broken_grid_lines(
            ink, mask, found_horizontal + horizontal, look, gap_px, grid=horizontal
        )
        vertical += broken_grid_lines(
            ink.T, mask.T, found_vertical + vertical, look, gap_px, grid=vertical
        )
    cleaned = ink.copy()
    erase_bands(cleaned, ink, horizontal)
    erase_bands(cleaned.T, ink.T, vertical)
    grid_level = _grid_level(ink, horizontal, vertical)
    if grid_level is not None:
        _erase_light(
            cleaned, ink, [line for line in found_horizontal if line not in horizontal], grid_level
        )
        _erase_light(
            cleaned.T, ink.T, [line for line in found_vertical if line not in vertical], grid_level
        )
    return cleaned, horizontal, vertical


def _grid_level(ink: np.ndarray, horizontal: list[Line], vertical: list[Line]) -> float | None:
    """Median level of the erased grid lines inside the frame; None without any."""
    height, width = ink.shape
    levels = [
        line_level(plane, line)
        for plane, lines, size in ((ink, horizontal, height), (ink.T, vertical, width))
        for line in lines
        if inside_frame(line, lines, size)
    ]
    return float(np.median(levels)) if levels else None


def _grid_look(ink: np.ndarray, horizontal: list[Line], vertical: list[Line]) -> GridLook | None:
    """How thick and dark the grid's lines inside the frame are; None without a grid (fewer
    lines than a family)."""
    height, width = ink.shape
    inner = [
        (plane, line)
        for plane, lines, size in ((ink, horizontal, height), (ink.T, vertical, width))
        for line in lines
        if inside_frame(line, lines, size)
    ]
    if len(inner) < FAMILY_SIZE:
        return None
    return GridLook(
        rows=np.array([line_thickness(line) for _, line in inner]),
        levels=np.array([line_level(plane, line) for plane, line in inner]),
        level=line_level,
        runs_on=runs_on_as_curve,
    )


def _erase_light(
    cleaned: np.ndarray, ink: np.ndarray, curves: list[Line], grid_level: float
) -> None:
    """Erase, in place, the ink no darker than the grid along dark lines judged flat curves.

    A flat curve drawn over a grid line covers it only where the curve runs; beyond its
    end the grid line goes on to the frame, and would be traced as the curve's tail. A
    curve as pale as the grid (kept for its colour, or a bundle merging) stays whole.
    """
    rows = cleaned.shape[0]
    for line in curves:
        if line_level(ink, line) <= grid_level + CURVE_OVER_GRID:
            continue
        band = cleaned[max(0, line.first - 1) : min(rows, line.last + 2), line.start : line.end]
        band[band < grid_level + CURVE_OVER_GRID] = 0.0


def _pieces(ink: np.ndarray, mask: np.ndarray, gap_px: int) -> list[Line]:
    """Lines from the frame at least a piece of a grid line long (a box may hide the rest)."""
    return _from_frame(ink, mask, _PIECE_FRACTION, gap_px)


def _from_frame(ink: np.ndarray, mask: np.ndarray, fraction: float, gap_px: int) -> list[Line]:
    """Horizontal lines at least ``fraction`` of the plot long that reach the frame, each
    thick band cut down to its solid cores
    (:func:`graphq.digitizer.preprocessing.lines.solid_cores`)."""
    min_length = fraction * mask.shape[1]
    lines = find_lines(ink, mask, min_length=min_length, gap_px=gap_px, min_part_ink=_PART_INK)
    return _edge_to_edge(solid_cores(ink, mask, lines, min_length, gap_px), mask)


def _edge_to_edge(lines: list[Line], mask: np.ndarray) -> list[Line]:
    """The lines whose ink reaches the frame at one end at least (and the frame itself).

    A grid line runs from frame to frame, or from the frame to a box drawn over it; a long
    side of a legend box stops short of both, and must survive for the box to be found.
    """
    width = mask.shape[1]
    lead = _solid_edge(mask.T)
    trail = _solid_edge(mask.T[::-1])
    kept = []
    for line in lines:
        inked = np.flatnonzero(mask[line.first : line.last + 1, lead : width - trail].any(axis=0))
        if inked.size == 0 or inked[0] <= 2 or inked[-1] >= width - lead - trail - 3:
            kept.append(line)
    return kept


def _solid_edge(mask: np.ndarray) -> int:
    """How many leading rows of ``mask`` are (almost) solid ink: the frame's thickness."""
    rows = 0
    while rows < min(8, mask.shape[0]) and mask[rows].mean() >= 0.8:
        rows += 1
    return rows

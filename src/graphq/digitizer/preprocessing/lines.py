"""Long axis-aligned lines in an ink mask: the frame, grid lines and box borders.

A line is a band of adjacent rows (or columns) each holding a long run of ink once small
gaps are closed, so dashed and dotted grid lines count and a short tick or a letter does not.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

# Fraction of a line's run that must be its own ink rather than bridged gaps.
_MIN_OWN_INK = 0.3
# Parts of a run checked one by one when the caller asks for ink all along it.
_PARTS = 4
# A band thicker than this many rows is a line only when one of its rows holds an unbroken
# run of this fraction of the minimum line length.
_MAX_THIN_ROWS = 4
_SOLID_CORE = 0.5
# A row of a thick band with its own ink along this fraction of the band's extent is one
# of the lines fused in it (a grid line broken by labels or crossings), not a row between.
_CORE_INK = 0.6


@dataclass(frozen=True)
class Line:
    """A horizontal (rows) or vertical (columns) line band.

    ``position`` is the ink-weighted centre across the band, ``start``/``end`` the extent of
    its longest run along the line, ``coverage`` the inked fraction of that extent.
    """

    position: float
    first: int
    last: int
    start: int
    end: int
    coverage: float

    @property
    def length(self) -> int:
        return self.end - self.start


def longest_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: length, start and end (exclusive) of the longest run of True."""
    rows, width = mask.shape
    padded = np.zeros((rows, width + 2), dtype=bool)
    padded[:, 1:-1] = mask
    # Along each row runs start and stop in turn: the changes between neighbours alternate.
    change_rows, change_cols = np.nonzero(padded[:, 1:] != padded[:, :-1])
    start_rows, start_cols, end_cols = change_rows[0::2], change_cols[0::2], change_cols[1::2]
    lengths = end_cols - start_cols
    best_length = np.zeros(rows, dtype=np.int64)
    best_start = np.zeros(rows, dtype=np.int64)
    if lengths.size:
        # Sort by length so the last write per row is its longest run.
        order = np.argsort(lengths, kind="stable")
        best_length[start_rows[order]] = lengths[order]
        best_start[start_rows[order]] = start_cols[order]
    return best_length, best_start, best_start + best_length


def close_gaps(mask: np.ndarray, gap_px: int) -> np.ndarray:
    """Fill gaps of up to ``2 * gap_px`` pixels along each row (a 1-D binary closing).

    Running max/min filters cost the same whatever the gap, unlike a structuring element.
    """
    size = 2 * gap_px + 1
    grown = ndimage.maximum_filter1d(mask.view(np.uint8), size, axis=1, mode="constant")
    return ndimage.minimum_filter1d(grown, size, axis=1, mode="nearest").astype(bool)


def find_lines(
    ink: np.ndarray,
    mask: np.ndarray,
    *,
    min_length: float,
    gap_px: int,
    min_part_ink: float = 0.0,
) -> list[Line]:
    """Horizontal lines in ``mask`` whose longest gap-closed run is at least ``min_length``.

    ``min_part_ink`` > 0 asks for own ink in each quarter of the run, as a solid, dashed or
    dotted grid line has: a short solid stroke (a box's side) that closing extends over the
    dots of a perpendicular dotted grid has a stretch of almost none. Transpose both arrays
    for vertical lines.
    """
    # Closing also bridges the gaps between dense perpendicular grid lines; a real line has
    # its own ink along most of the run (a dotted one about a third). Rows with too little
    # ink for that are no line whatever closing makes of them, and most rows are such.
    inked_rows = np.flatnonzero(np.count_nonzero(mask, axis=1) >= _MIN_OWN_INK * min_length)
    sub = mask[inked_rows]
    sub_length, sub_start, sub_end = longest_runs(close_gaps(sub, gap_px))
    inked = np.zeros((sub.shape[0], sub.shape[1] + 1), dtype=np.int32)
    np.cumsum(sub, axis=1, out=inked[:, 1:])
    rows = np.arange(sub.shape[0])
    own = (inked[rows, sub_end] - inked[rows, sub_start]) / np.maximum(sub_length, 1)
    if min_part_ink > 0:
        bounds = [sub_start + (sub_length * k) // _PARTS for k in range(_PARTS + 1)]
        parts = [
            (inked[rows, high] - inked[rows, low]) / np.maximum(high - low, 1)
            for low, high in itertools.pairwise(bounds)
        ]
        own = np.where(np.min(parts, axis=0) >= min_part_ink, own, 0.0)
    candidate = np.zeros(mask.shape[0], dtype=bool)
    start = np.zeros(mask.shape[0], dtype=np.int64)
    end = np.zeros(mask.shape[0], dtype=np.int64)
    candidate[inked_rows] = (sub_length >= min_length) & (own >= _MIN_OWN_INK)
    start[inked_rows], end[inked_rows] = sub_start, sub_end
    lines: list[Line] = []
    for band in _bands(candidate, start, end):
        first, last = band[0].start, band[0].stop - 1
        # A line of text closes into a thick band none of whose rows holds a long unbroken
        # run; a drawn line, however thick, has a solid core (a thin one may be dotted).
        if last - first + 1 > _MAX_THIN_ROWS:
            solid, _, _ = longest_runs(mask[first : last + 1])
            if solid.max() < _SOLID_CORE * min_length:
                continue
        lines.append(_line(ink, mask, first, last, gap_px))
    return lines


def _line(ink: np.ndarray, mask: np.ndarray, first: int, last: int, gap_px: int) -> Line:
    """The line of the band of rows ``first``..``last``."""
    # The extent is the band's union: a row of tick marks or a curve running along the
    # line joins the band without shortening it.
    union = np.asarray(close_gaps(mask[first : last + 1], gap_px).any(axis=0, keepdims=True))
    _, union_start, union_end = longest_runs(union)
    lo, hi = int(union_start[0]), int(union_end[0])
    weights = ink[first : last + 1, lo:hi].sum(axis=1).astype(np.float64)
    # The centre of the band's dark core: a lighter grid line or tick row fused to a
    # thick frame must not pull it.
    weights[weights < 0.5 * weights.max()] = 0.0
    rows = np.arange(first, last + 1, dtype=np.float64)
    position = (
        float((weights * rows).sum() / weights.sum())
        if weights.sum() > 0
        else ((first + last) / 2.0)
    )
    coverage = float(mask[first : last + 1, lo:hi].any(axis=0).mean()) if hi > lo else 0.0
    return Line(position, first, last, lo, hi, coverage)


def solid_cores(
    ink: np.ndarray, mask: np.ndarray, lines: list[Line], min_length: float, gap_px: int
) -> list[Line]:
    """``lines`` with each thick band of several lines fused cut down to those lines: the
    runs of its rows that hold an unbroken run of ink at least ``_SOLID_CORE`` of
    ``min_length`` long, or their own ink along ``_CORE_INK`` of the band's extent.

    Where a grid is denser than the closing gap (a log grid's last minor lines at 72 dpi or
    blurred), every row between its lines closes over the perpendicular lines into a long
    run, and the lines with the rows between them fuse into one band dozens of rows thick;
    erased whole, it takes every curve crossing it. The lines themselves are the rows of
    solid ink; the rows between them hold the crossings of the perpendicular grid and the
    curves. A band with one line in it (a thick or blurred line, its fringe included) stays
    whole.
    """
    cut: list[Line] = []
    for line in lines:
        if line.last - line.first + 1 <= _MAX_THIN_ROWS:
            cut.append(line)
            continue
        band = mask[line.first : line.last + 1]
        solid, _, _ = longest_runs(band)
        own = np.count_nonzero(band[:, line.start : line.end], axis=1)
        cores, count = ndimage.label(
            (solid >= _SOLID_CORE * min_length) | (own >= _CORE_INK * max(line.length, 1))
        )
        if count < 2:
            cut.append(line)
            continue
        for (core,) in ndimage.find_objects(cores):
            first, last = line.first + core.start, line.first + core.stop - 1
            cut.append(_line(ink, mask, first, last, gap_px))
    return cut


def _bands(candidate: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[tuple[slice]]:
    """Runs of adjacent candidate rows whose long runs overlap along the line.

    Rows holding long runs side by side (a box's border beside a flat curve) are two
    lines, not one thick band.
    """
    overlap = np.minimum(end[1:], end[:-1]) - np.maximum(start[1:], start[:-1])
    shorter = np.minimum(end[1:] - start[1:], end[:-1] - start[:-1])
    joined = candidate[1:] & candidate[:-1] & (overlap >= 0.5 * shorter)
    labels = np.cumsum(np.concatenate(([True], ~joined))) * candidate
    return [band for band in ndimage.find_objects(labels) if band is not None]

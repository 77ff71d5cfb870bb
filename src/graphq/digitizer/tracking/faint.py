"""Curves too pale for the main pass: a dotted line drawn finer than a pixel, a pastel colour.

Such a curve's ink is as light as a minor grid line's, below the floor that keeps anti-aliased
fringes and noise out of the main pass. Once the main curves are known, the ink left away from
them, from the grid and from text is traced again at a lower floor, one the paper's noise
does not reach. A pale piece that carries on where a main curve ends (the flat tail of a
dotted Crss) is that curve's; a pale curve of its own counts only when it is long, rises or
falls (a flat pale line is a grid line the grid removal did not take) and lies apart from
the curves found.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import ndimage

from graphq.digitizer.budget import Budget
from graphq.digitizer.preprocessing.ink import curve_threshold
from graphq.digitizer.preprocessing.lines import Line, find_lines
from graphq.digitizer.preprocessing.text import remove_text
from graphq.digitizer.tracking.coverage import near_ink
from graphq.digitizer.tracking.duplicates import drop_duplicates
from graphq.digitizer.tracking.linking import link_fragments
from graphq.digitizer.tracking.passes import track_both_ways
from graphq.digitizer.tracking.runs import column_runs
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import NO_RUN, TracedCurve, join_at, seen_columns


def faint_curves(
    ink: np.ndarray,
    grid: tuple[list[Line], list[Line]],
    curves: list[TracedCurve],
    scale: PlotScale,
    budget: Budget | None = None,
) -> list[TracedCurve]:
    """The main ``curves``, carried on along pale tails, and the pale curves apart from them.

    ``ink`` is the plot's ink with boxes erased but text still in; ``grid`` the horizontal
    and vertical lines grid removal erased. The pale ink is tracked as the main ink is
    (:func:`graphq.digitizer.tracking.passes.track_both_ways`); past ``budget`` the pale curves are
    those traced so far.
    """
    width, line_width_px = ink.shape[1], scale.line_width_px
    near = TRACKING.near_line_widths * line_width_px + 3.0
    pale = ink.copy()
    # The ink left where a pale curve crossed a grid line is too pale to tell from it.
    for plane, lines in ((pale, grid[0]), (pale.T, grid[1])):
        for line in lines:
            plane[max(0, line.first - 1) : line.last + 2, line.start : line.end] = 0.0
    # At the floor alone: a dark curve running close along a grid line would cut it short
    # at a threshold relative to the darkest ink nearby.
    _erase_pale_grid(pale, pale > TRACKING.pale_floors[0], curves, near)
    # The curves found and their fringes.
    pale[near_ink(pale.shape, curves, int(np.ceil(line_width_px)) + 2)] = 0.0
    floor = next(
        (
            f
            for f in TRACKING.pale_floors
            if _speckles(pale > f) <= TRACKING.max_speckle_fraction * pale.size
        ),
        None,
    )
    if floor is None:
        return curves
    threshold = curve_threshold(ink, floor)
    pale = remove_text(pale, threshold, line_width_px, scale.text_px)
    found = track_both_ways(column_runs(pale, threshold), scale, budget)
    # A pale track repeats another unless it leaves it for the scale's own columns (no
    # bundle fans out of pale ink).
    found = drop_duplicates(found, scale, budget=budget, fanning=False)
    dot_gap = scale.dot_gap
    pieces = [
        piece
        for piece in found
        if piece.span >= TRACKING.min_pale_piece_fraction * width
        and seen_columns(piece, dot_gap) >= TRACKING.min_pale_seen_fraction * piece.span
    ]
    # Their runs are the pale pass's, which later stages (given the main pass's) cannot look up.
    pieces = [replace(piece, run=np.full_like(piece.run, NO_RUN)) for piece in pieces]
    extended: list[TracedCurve] = []
    for curve in curves:
        curve, pieces = _with_tails(curve, pieces, near)
        extended.append(curve)
    kept = list(extended)
    for piece in sorted(
        link_fragments(pieces, scale, budget=budget),
        key=_longest_first,
    ):
        if (
            piece.span >= TRACKING.min_pale_span_fraction * width
            and np.subtract(*np.percentile(piece.middle, [95, 5])) >= TRACKING.min_pale_rise_px
            and seen_columns(piece, dot_gap) >= TRACKING.min_pale_seen_fraction * piece.span
            and _lies_on(piece, kept, near) < TRACKING.max_pale_shared_fraction
        ):
            kept.append(piece)
    return kept


def _longest_first(curve: TracedCurve) -> int:
    """Sort key putting the curves spanning most columns first."""
    return -curve.span


def _erase_pale_grid(
    pale: np.ndarray, mask: np.ndarray, curves: list[TracedCurve], near: float
) -> None:
    """Erase, in place, the long straight pale lines from the frame: grid lines lighter
    than grid removal looks for. A line from one side that a main curve ends on is that
    curve's pale tail and stays; it is found before the curves are cut out, which would
    cut the grid lines short."""
    height, width = pale.shape
    gap_px = max(3, round(TRACKING.pale_grid_gap_fraction * max(height, width)))
    ends = np.array(
        [(c.column[0], c.enter[0]) for c in curves] + [(c.column[-1], c.leave[-1]) for c in curves]
    ).reshape(-1, 2)
    for plane, plane_mask, along, across in (
        (pale, mask, ends[:, 0], ends[:, 1]),
        (pale.T, mask.T, ends[:, 1], ends[:, 0]),
    ):
        size = plane.shape[1]
        for line in find_lines(
            plane, plane_mask, min_length=TRACKING.min_pale_grid_fraction * size, gap_px=gap_px
        ):
            at_start, at_end = line.start <= gap_px, line.end >= size - gap_px
            if not (at_start or at_end):
                continue
            tail = (
                (np.abs(across - line.position) <= near)
                & (along >= line.start - gap_px)
                & (along <= line.end + gap_px)
            )
            if at_start != at_end and tail.any():
                continue
            plane[max(0, line.first - 1) : line.last + 2, line.start : line.end] = 0.0


def _with_tails(
    curve: TracedCurve, pieces: list[TracedCurve], near: float
) -> tuple[TracedCurve, list[TracedCurve]]:
    """The curve joined to the pale pieces that start (or stop) within ``near`` px of where
    it stops (or starts), longest first; and the pieces left."""
    left: list[TracedCurve] = []
    for piece in sorted(pieces, key=_longest_first):
        after = (
            piece.column[0] > curve.column[-1]
            and np.hypot(piece.column[0] - curve.column[-1], piece.enter[0] - curve.leave[-1])
            <= near
        )
        before = (
            piece.column[-1] < curve.column[0]
            and np.hypot(curve.column[0] - piece.column[-1], curve.enter[0] - piece.leave[-1])
            <= near
        )
        if after:
            curve = join_at(curve, piece, int(curve.column[-1]))
        elif before:
            curve = join_at(piece, curve, int(piece.column[-1]))
        else:
            left.append(piece)
    return curve, left


def _lies_on(curve: TracedCurve, others: list[TracedCurve], reach_px: float) -> float:
    """Fraction of the curve's columns where one of ``others`` runs within ``reach_px``."""
    on = np.zeros(curve.column.size, dtype=bool)
    for other in others:
        within = (curve.column >= other.column[0]) & (curve.column <= other.column[-1])
        rows = np.interp(curve.column, other.column, other.middle)
        on |= within & (np.abs(curve.middle - rows) <= reach_px)
    return float(on.mean())


def _speckles(mask: np.ndarray) -> int:
    """Pixels of ``mask`` with no neighbour in it."""
    neighbours = ndimage.convolve(mask.astype(np.uint8), np.ones((3, 3), np.uint8), mode="constant")
    return int(np.count_nonzero(mask & (neighbours == 1)))

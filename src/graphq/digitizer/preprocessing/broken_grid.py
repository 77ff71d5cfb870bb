"""Grid lines that labels break into pieces.

A label with a white background laid over a grid line cuts it in two (or three, with two
labels). Each piece alone is too short to be grid, and where the grid is not evenly spaced
(log axes, vendor graphs redrawn by hand) nothing places it among the other lines, so it was
traced as a flat curve. What gives it away is the line itself: pieces on the very same row
that together run most of the plot's width, one of them from the frame, none thicker or
darker than the grid's own lines. A flat curve broken by its label is as straight, but it is
drawn thicker, darker or lighter than the grid's lines, and where it ends it bends away
rather than stopping at a blank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from graphq.digitizer.preprocessing.lines import Line, close_gaps


@dataclass(frozen=True)
class BrokenGridSettings:
    """Tunables of broken grid lines, each with its reason."""

    # The pieces of one row together run at least this fraction of the plot (a grid line
    # does, less the labels laid over it) ...
    min_total_fraction: float = 0.5
    # ... each at least this long (shorter runs are letters, ticks and legend samples) ...
    min_piece_fraction: float = 0.08
    # ... with their own ink along this fraction of their run (a dotted grid line about a
    # third; closing bridges the rest) ...
    min_own_ink: float = 0.3
    # ... one of them starting or ending within this many px of the frame.
    edge_px: int = 3
    # A piece is grid when at least this many of the grid's whole lines look like it: as
    # thick to this many rows, and as dark to this much ink (the family test of
    # :mod:`graphq.digitizer.preprocessing.grid_or_curve`). Grey curves on a black grid, or thick
    # black curves on a thin grid, have no such family.
    family_size: int = 3
    family_rows: int = 1
    family_level: float = 0.12
    # A piece on a grid line's row beyond its end is that line's rest across a label when its
    # own ink covers at least this fraction of what the line's covers: the rest of a line is
    # as solid (or as dotted) as the line, a line of a note's text lying on the same row inside
    # a box the line stops at covers a third of it or less (letters and their gaps).
    beside_coverage: float = 0.5


BROKEN_GRID = BrokenGridSettings()


@dataclass(frozen=True)
class GridLook:
    """What the grid's own whole lines inside the frame look like (their thickness in rows and
    their ink level); a piece of grid looks like several of them. ``level`` measures a line's
    ink as the grid's were measured; ``runs_on`` tells whether ink goes on beside a line's
    end, as a flat curve bending away does, where a grid line stops at a label's blank."""

    rows: np.ndarray
    levels: np.ndarray
    level: Callable[[np.ndarray, Line], float]
    runs_on: Callable[[np.ndarray, Line], bool]


def broken_grid_lines(
    ink: np.ndarray,
    mask: np.ndarray,
    known: list[Line],
    look: GridLook,
    gap_px: int,
    settings: BrokenGridSettings = BROKEN_GRID,
    grid: Sequence[Line] = (),
) -> list[Line]:
    """The pieces of horizontal grid lines broken by labels (transpose for vertical ones).

    ``known`` are the long lines already found (grid, frame and flat curves): a piece on one
    of them is that line's, judged with it. A piece on the row of a ``grid`` line, beyond its
    ends and about as solid, is the rest of that line across a label, whatever the label's
    glyphs touching its end make it look like.
    """
    width = mask.shape[1]
    pieces = _long_runs(mask, gap_px, settings)
    rows = sorted({row for row, _, _ in pieces})
    by_row: dict[int, list[tuple[int, int]]] = {row: [] for row in rows}
    for row, start, end in pieces:
        by_row[row].append((start, end))
    broken = [
        row
        for row, runs in by_row.items()
        if len(runs) >= 2
        and sum(end - start for start, end in runs) >= settings.min_total_fraction * width
        and any(start <= settings.edge_px or end >= width - settings.edge_px for start, end in runs)
    ]
    taken = [(line.first - 1, line.last + 1, line.start, line.end) for line in known]
    found: list[Line] = []
    for band in _bands(broken):
        thick = np.abs(look.rows - len(band)) <= settings.family_rows
        if np.count_nonzero(thick) < settings.family_size:
            continue
        for start, end in _shared_runs(band, by_row):
            line = Line(
                position=float(np.mean(band)),
                first=band[0],
                last=band[-1],
                start=start,
                end=end,
                coverage=float(mask[band[0] : band[-1] + 1, start:end].any(axis=0).mean()),
            )
            if _inside_any(line, taken):
                continue
            if _beside_on_row(line, grid, settings.beside_coverage):
                found.append(line)
                continue
            if look.runs_on(mask, line):
                continue
            alike = thick & (np.abs(look.levels - look.level(ink, line)) <= settings.family_level)
            if np.count_nonzero(alike) >= settings.family_size:
                found.append(line)
    return found


def _long_runs(
    mask: np.ndarray, gap_px: int, settings: BrokenGridSettings
) -> list[tuple[int, int, int]]:
    """(row, start, end) of every gap-closed run long enough to be a piece of a grid line,
    with enough of its own ink."""
    width = mask.shape[1]
    min_piece = settings.min_piece_fraction * width
    candidate_rows = np.flatnonzero(
        np.count_nonzero(mask, axis=1) >= settings.min_own_ink * settings.min_total_fraction * width
    )
    if candidate_rows.size == 0:
        return []
    sub = mask[candidate_rows]
    closed = close_gaps(sub, gap_px)
    padded = np.zeros((sub.shape[0], width + 2), dtype=np.int8)
    padded[:, 1:-1] = closed
    edges = np.diff(padded, axis=1)
    start_rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    inked = np.zeros((sub.shape[0], width + 1), dtype=np.int64)
    np.cumsum(sub, axis=1, out=inked[:, 1:])
    lengths = ends - starts
    own = (inked[start_rows, ends] - inked[start_rows, starts]) / np.maximum(lengths, 1)
    keep = (lengths >= min_piece) & (own >= settings.min_own_ink)
    return [
        (int(candidate_rows[r]), int(s), int(e))
        for r, s, e in zip(start_rows[keep], starts[keep], ends[keep], strict=True)
    ]


def _bands(rows: list[int]) -> list[list[int]]:
    """Runs of adjacent rows: one anti-aliased line covers two or three."""
    if not rows:
        return []
    labels, count = ndimage.label(np.isin(np.arange(max(rows) + 1), rows))
    return [np.flatnonzero(labels == k).tolist() for k in range(1, count + 1)]


def _shared_runs(
    band: list[int], by_row: dict[int, list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """The band's pieces: the runs of its rows, overlapping runs merged."""
    runs = sorted(run for row in band for run in by_row[row])
    merged: list[list[int]] = []
    for start, end in runs:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _beside_on_row(piece: Line, grid: Sequence[Line], min_coverage: float) -> bool:
    """Whether a piece lies on the rows of a grid line, (mostly) beyond its ends, and inked
    along at least ``min_coverage`` of the line's own coverage."""
    return any(
        line.first - 1 <= piece.position <= line.last + 1
        and min(piece.end, line.end) - max(piece.start, line.start) < 0.5 * piece.length
        and piece.coverage >= min_coverage * line.coverage
        for line in grid
    )


def _inside_any(line: Line, taken: list[tuple[int, int, int, int]]) -> bool:
    """Whether a piece lies on a line already found (the longer piece of its row)."""
    return any(
        first <= line.first
        and line.last <= last
        and min(end, line.end) - max(start, line.start) >= 0.5 * line.length
        for first, last, start, end in taken
    )

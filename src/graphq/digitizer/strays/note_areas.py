"""Traces inside a knocked-out note area: the text of a note, never a curve.

Vendors print notes and condition lines inside the plot ("TJ(Max) = 150 °C", "D = 0.5, 0.3 …",
"Notes: 1. 250 µs pulse test") on a white rectangle laid over the grid, with no border to find
as a box. At 72–100 dpi, in a JPEG or blurred, the text stage cannot tell those letters from
curve ink and the tracker follows a line of them. What gives such an area away is the grid:
its lines stop where the rectangle begins and go on past it, a gap far longer than a dotted
line's or a JPEG's dropouts. A curve is drawn over the grid and leaves it whole around it.

A trace lying mostly where the grid is knocked out, and not running on well outside, is note
text. A curve passing a note (or its own knocked-out label) keeps most of its length outside.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.preprocessing.lines import Line, close_gaps
from graphq.digitizer.strays.frame_reach import ends_at_frame
from graphq.digitizer.stretches import true_stretches
from graphq.digitizer.tracking.tracks import TracedCurve


@dataclass(frozen=True)
class NoteAreaSettings:
    """Tunables of knocked-out note areas, each with its reason."""

    # Gaps along a grid line up to twice this many px are the line's own (a dotted or dashed
    # grid line, a JPEG's or a blur's dropouts) ...
    dash_gap_px: int = 2
    # ... and a knocked-out gap is at least this many glyph heights long (a note's white
    # rectangle reaches past its letters on every side).
    min_gap_glyphs: float = 1.0
    # Only grid lines inked over at least this fraction of the plot (after closing their own
    # gaps) vouch for a knockout: a pale line the ink mask half misses has gaps everywhere.
    min_line_ink: float = 0.6
    # A trace with at least this fraction of its samples inside knocked-out areas ...
    min_inside_fraction: float = 0.6
    # ... and fewer than this many glyph heights of columns outside them is note text; a curve
    # passing a note runs on outside it.
    max_outside_glyphs: float = 4.0
    # Only traces narrower than this many glyph heights, reaching the frame at one end at
    # most, are read as a note (a note's line is some twenty letters; a 72 dpi log grid's pale
    # minor lines break up all along, and a flat curve between them would look knocked out
    # over the plot's whole width; a curve runs from frame to frame, a note floats inside).
    max_span_glyphs: float = 30.0


NOTE_AREAS = NoteAreaSettings()


def knocked_out(
    ruled: np.ndarray,
    horizontal: list[Line],
    vertical: list[Line],
    glyph_px: float,
    settings: NoteAreaSettings = NOTE_AREAS,
) -> np.ndarray:
    """Where the grid is knocked out, as a mask of ``ruled``'s shape (the plot's ink before the
    grid was removed): for each long gap in a grid line, its stretch across the cells on
    both sides of that line (up to the neighbouring lines)."""
    area = np.zeros(ruled.shape, dtype=bool)
    _mark_gaps(area, ruled, horizontal, glyph_px, settings)
    _mark_gaps(area.T, ruled.T, vertical, glyph_px, settings)
    return area


def _mark_gaps(
    area: np.ndarray,
    ruled: np.ndarray,
    lines: list[Line],
    glyph_px: float,
    settings: NoteAreaSettings,
) -> None:
    """Mark in ``area`` (in place) the gaps of the row-wise ``lines`` in ``ruled``."""
    height = ruled.shape[0]
    positions = sorted(lines, key=lambda line: line.position)
    min_gap = max(2, round(settings.min_gap_glyphs * glyph_px))
    for index, line in enumerate(positions):
        band = np.asarray(ruled[line.first : line.last + 1].any(axis=0))[np.newaxis]
        inked = close_gaps(band, settings.dash_gap_px)[0]
        if inked.mean() < settings.min_line_ink:
            continue
        above = positions[index - 1].position if index > 0 else 0.0
        below = positions[index + 1].position if index + 1 < len(positions) else height - 1.0
        rows = slice(max(0, round(above)), min(height, round(below) + 1))
        for start, end in zip(*true_stretches(~inked), strict=True):
            if end - start >= min_gap:
                area[rows, start:end] = True


def drop_note_traces(
    curves: list[TracedCurve],
    area: np.ndarray,
    glyph_px: float,
    settings: NoteAreaSettings = NOTE_AREAS,
) -> list[TracedCurve]:
    """``curves`` without those lying mostly inside the knocked-out ``area`` and not running
    on well outside it."""
    height, width = area.shape
    kept = []
    for curve in curves:
        rows = np.clip(np.round(curve.middle).astype(np.int64), 0, height - 1)
        inside = area[rows, np.clip(curve.column, 0, width - 1)]
        outside = np.unique(curve.column[~inside]).size
        if (
            curve.span < settings.max_span_glyphs * glyph_px
            and not all(ends_at_frame(curve, area.shape))
            and inside.mean() >= settings.min_inside_fraction
            and outside < settings.max_outside_glyphs * glyph_px
        ):
            continue
        kept.append(curve)
    return kept

"""Traces that follow a line of text, not a curve.

At 72–100 dpi a label's letters are four or five pixels tall and touch the grid lines around
them, so the text stage cannot tell them from curve ink, and the tracker follows the line of
text as a short wavy curve (a note box's "RDS(ON) @ ID = 120 mA", a tick label inside the
frame). What gives it away is how it waves: it turns up and down by a letter's height about
once a letter, where a curve, even a measured one with its noise, keeps its direction over
many letters' widths or waves by far less than a letter's height. A line of a note read at
its baseline (or cut to a band by a grid line's erasure) does not wave at all, but it floats:
a flat curve as short as a note's line starts or ends at the frame, or bends away.

Nor does a grid line that a note or a label cut short, where the grid stage could not place its
pieces (a pale 72 dpi grid, a JPEG's or a blur's smeared line), often picking up the baseline of
the text that cut it. Such a stray is as flat as a ruled line and stops inside the plot at one
end or both; past each such end its row is broken (the text's blank, crossed by a few strokes
of its letters) and then goes on in the plot's ink, a long unbroken line again: the rest of
the grid line. A flat curve that ends at its own label has no line going on past the label;
one the tracker cut short goes on at once, unbroken.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.preprocessing.lines import close_gaps, longest_runs
from graphq.digitizer.strays.frame_reach import ends_at_frame
from graphq.digitizer.tracking.tracks import TracedCurve


@dataclass(frozen=True)
class TextTraceSettings:
    """Tunables of text traces, each with its reason."""

    # A turn counts when the trace comes back by this fraction of a glyph's height (a letter's
    # strokes run its full height) ...
    swing_glyphs: float = 0.5
    # ... and by at least this many line widths (a thick curve's centre wobbles by less).
    swing_line_widths: float = 1.0
    # A trace turning at least this often per glyph height of its width is text: letters are
    # about as wide as they are tall, and where the tracker runs through a letter rather than
    # along its baseline it turns once or twice.
    min_turns_per_glyph: float = 0.2
    # Only traces that stay within this many glyph heights from top to bottom are read as text:
    # a label's line or two; a short steep curve rises further.
    max_height_glyphs: float = 3.5
    # Only traces narrower than this many glyph heights are read as text: a label or a note's
    # line is a few dozen letters long, a curve crossing many labels runs on for longer.
    max_span_glyphs: float = 30.0
    # A trace that reaches the frame at neither end, rises or falls by at most this many glyph
    # heights and is narrower than this many and this fraction of the plot, is a line of text:
    # a note's line ("1. VDS = 40V", "D = 0.5, 0.3, 0.1, 0.05, single pulse") is a glyph tall
    # (traced through its letters, it wanders by another at 72–100 dpi) and up to thirty
    # letters wide; a curve that stops inside the plot at both ends (a capacitance, a
    # normalised breakdown voltage) still spans most of it, or rises or falls further.
    max_flat_glyphs: float = 2.0
    max_flat_span_glyphs: float = 30.0
    max_flat_span_fraction: float = 0.5
    # A flat stray (a cut grid line, a text line's baseline) keeps within this many px of its
    # median row (plus half a line width: a thick line's centre wanders by a row where it
    # straddles two) ...
    stray_flat_px: float = 1.0
    # ... over this fraction of its samples (where it crossed the text that cut it, it picked
    # up strokes of the glyphs) ...
    stray_flat_fraction: float = 0.75
    # ... rises or falls by at most this many glyph heights in all, reaches the frame at one
    # end at most, and is narrower than this many glyph heights (the plots measured are 30–70
    # glyphs wide; a grid line cut by a label near the frame may run on for most of that) ...
    max_stray_glyphs: float = 2.0
    max_stray_span_glyphs: float = 45.0
    # ... and past each end inside the plot, over the next this many glyph heights, its row is
    # inked in less than this fraction of the columns (a label's blank, crossed by strokes of
    # its letters; a curve cut short by the tracker goes on solid) ...
    blank_glyphs: float = 1.0
    max_blank_ink: float = 0.8
    # ... and further on, holds an unbroken line at least this many glyph heights long in the
    # plot's ink, grid included (a word of a label is shorter; vertical grid lines crossing
    # the row are a line width wide) ...
    resume_glyphs: float = 4.0
    # ... counting gaps up to twice this many px as unbroken (a dashed or dotted grid line).
    resume_gap_px: int = 2


TEXT_TRACES = TextTraceSettings()


def drop_text_traces(
    curves: list[TracedCurve],
    glyph_px: float,
    line_width_px: float,
    ruled: np.ndarray,
    settings: TextTraceSettings = TEXT_TRACES,
) -> list[TracedCurve]:
    """``curves`` without the traces that wave like a line of text ``glyph_px`` tall, float
    inside the plot as flat and as short as one, or are flat strays: pieces of a line that
    goes on past the text that cut it in ``ruled`` (the plot's ink before the grid was
    removed, as a mask)."""
    shape = ruled.shape
    swing = max(settings.swing_glyphs * glyph_px, settings.swing_line_widths * line_width_px)
    return [
        c
        for c in curves
        if (
            c.span >= settings.max_span_glyphs * glyph_px
            or float(np.ptp(c.middle)) > settings.max_height_glyphs * glyph_px
            or turns(c.middle, swing) * glyph_px < settings.min_turns_per_glyph * c.span
        )
        and not _floating_text_line(c, glyph_px, shape, settings)
        and not _flat_stray(c, glyph_px, line_width_px, ruled, settings)
    ]


def _floating_text_line(
    curve: TracedCurve, glyph_px: float, shape: tuple[int, int], settings: TextTraceSettings
) -> bool:
    return (
        not any(ends_at_frame(curve, shape))
        and float(np.ptp(curve.middle)) <= settings.max_flat_glyphs * glyph_px
        and curve.span < settings.max_flat_span_glyphs * glyph_px
        and curve.span < settings.max_flat_span_fraction * shape[1]
    )


def _flat_stray(
    curve: TracedCurve,
    glyph_px: float,
    line_width_px: float,
    ruled: np.ndarray,
    settings: TextTraceSettings,
) -> bool:
    """Whether a trace is as flat as a ruled line, stops inside the plot at one end or both,
    is shorter than the plot, and past each end inside, its row in ``ruled`` breaks and goes
    on as a line: a grid line cut by a label."""
    rows = curve.middle
    at_frame = ends_at_frame(curve, ruled.shape)
    if (
        curve.span >= settings.max_stray_span_glyphs * glyph_px
        or float(np.ptp(rows)) > settings.max_stray_glyphs * glyph_px
        or all(at_frame)
    ):
        return False
    median = float(np.median(rows))
    tolerance = settings.stray_flat_px + 0.5 * line_width_px
    if (np.abs(rows - median) <= tolerance).mean() < settings.stray_flat_fraction:
        return False
    height = ruled.shape[0]
    low = max(0, int(np.floor(median - tolerance)))
    band = np.asarray(ruled[low : min(height, int(np.ceil(median + tolerance)) + 1)].any(axis=0))
    first, last = int(curve.column[0]), int(curve.column[-1])
    beyond: list[np.ndarray] = []
    if not at_frame[0]:
        beyond.append(band[:first][::-1])
    if not at_frame[1]:
        beyond.append(band[last + 1 :])
    blank = max(1, round(settings.blank_glyphs * glyph_px))
    need = settings.resume_glyphs * glyph_px
    return all(
        inked[:blank].mean() < settings.max_blank_ink
        and longest_runs(close_gaps(inked[np.newaxis, blank:], settings.resume_gap_px))[0][0]
        >= need
        for inked in beyond
    )


def turns(rows: np.ndarray, swing: float) -> int:
    """How often ``rows`` turn back by at least ``swing`` (a zigzag count with hysteresis: a
    wobble smaller than ``swing`` is no turn). One pass over the samples."""
    return len(turn_samples(rows, swing))


def turn_samples(rows: np.ndarray, swing: float) -> list[int]:
    """The samples where ``rows`` turn back by at least ``swing`` (each turn's extreme), in
    order; one pass over the samples."""
    found: list[int] = []
    direction = 0
    extreme = float(rows[0]) if rows.size else 0.0
    at = 0
    for index, row in enumerate(rows[1:].tolist(), start=1):
        if direction == 0:
            if abs(row - extreme) >= swing:
                direction = 1 if row > extreme else -1
                extreme, at = row, index
        elif (row - extreme) * direction > 0:
            extreme, at = row, index
        elif abs(row - extreme) >= swing:
            found.append(at)
            direction = -direction
            extreme, at = row, index
    return found

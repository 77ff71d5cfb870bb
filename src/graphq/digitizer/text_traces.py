"""Traces that follow a line of text, not a curve.

At 72–100 dpi a label's letters are four or five pixels tall and touch the grid lines around
them, so the text stage cannot tell them from curve ink, and the tracker follows the line of
text as a short wavy curve (a note box's "RDS(ON) @ ID = 120 mA", a tick label inside the
frame). What gives it away is how it waves: it turns up and down by a letter's height about
once a letter, where a curve, even a measured one with its noise, keeps its direction over
many letters' widths or waves by far less than a letter's height. A line of a note read at
its baseline (or cut to a band by a grid line's erasure) does not wave at all, but it floats:
a flat curve as short as a note's line starts or ends at the frame, or bends away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.tracks import TracedCurve


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
    # A trace that reaches the frame at neither end (within this many px), rises or falls by
    # at most this many glyph heights and is narrower than this many, is a line of text: a
    # note's line ("1. VDS = 40V", "2. 250 µs Pulse Test") is a glyph tall and some twenty
    # letters wide.
    frame_reach_px: int = 4
    max_flat_glyphs: float = 1.0
    max_flat_span_glyphs: float = 15.0


TEXT_TRACES = TextTraceSettings()


def drop_text_traces(
    curves: list[TracedCurve],
    glyph_px: float,
    line_width_px: float,
    shape: tuple[int, int],
    settings: TextTraceSettings = TEXT_TRACES,
) -> list[TracedCurve]:
    """``curves`` without the traces that wave like a line of text ``glyph_px`` tall, or
    float inside the plot (of ``shape``) as flat and as short as one."""
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
    ]


def _floating_text_line(
    curve: TracedCurve, glyph_px: float, shape: tuple[int, int], settings: TextTraceSettings
) -> bool:
    height, width = shape
    reach = settings.frame_reach_px
    ends = (
        (float(curve.middle[0]), int(curve.column[0])),
        (float(curve.middle[-1]), int(curve.column[-1])),
    )
    at_frame = any(
        row <= reach or row >= height - 1 - reach or column <= reach or column >= width - 1 - reach
        for row, column in ends
    )
    return (
        not at_frame
        and float(np.ptp(curve.middle)) <= settings.max_flat_glyphs * glyph_px
        and curve.span < settings.max_flat_span_glyphs * glyph_px
    )


def turns(rows: np.ndarray, swing: float) -> int:
    """How often ``rows`` turn back by at least ``swing`` (a zigzag count with hysteresis: a
    wobble smaller than ``swing`` is no turn). One pass over the samples."""
    count = 0
    direction = 0
    extreme = float(rows[0]) if rows.size else 0.0
    for row in rows[1:].tolist():
        if direction == 0:
            if abs(row - extreme) >= swing:
                direction = 1 if row > extreme else -1
                extreme = row
        elif (row - extreme) * direction > 0:
            extreme = row
        elif abs(row - extreme) >= swing:
            count += 1
            direction = -direction
            extreme = row
    return count

"""A line of text that a trace ran through before running on along a curve to the frame.

Where a label's letters are too faint or too blurred to wave (a blurred "RDS(ON) @ ID =
120mA", a 72 dpi "VGS(OFF)"), the tracker follows the line of text as a flat trace and, where
the text ends beside a curve, on along that curve to the frame. The trace neither waves like
text (:mod:`graphq.digitizer.strays.label_chains` cuts such ends) nor floats
(:mod:`graphq.digitizer.strays.text_traces`): it reaches the frame, on another curve's ink.

What gives it away is how much of its way is its own: from the frame it lies on one longer
curve, and where it leaves that curve for good it runs on, to its end inside the plot, as
level, as flat and as short as a line of text. A real curve that starts or stops inside the
plot runs apart from the others for most of its way, keeps rising or falling where it does,
or runs in a bundle (thermal curves merging at long pulses).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.strays.frame_reach import ends_at_frame
from graphq.digitizer.strays.text_traces import TEXT_TRACES
from graphq.digitizer.tracking.coverage import overlaps
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve


@dataclass(frozen=True)
class ChainedTextSettings:
    """Tunables of text chained to a curve, each with its reason."""

    # From the frame to where it leaves for good, the trace lies on longer curves over this
    # fraction of its samples (within a line's width beyond touching, as tracking's copies
    # do): it is a copy there.
    copy_fraction: float = 0.9
    # A curve is longer than the trace when it spans at least this many glyph heights more: a
    # second copy of the same text and curve is no evidence for the first.
    longer_glyphs: float = 1.0
    # The floating part spans at least this many glyph heights (a short word): a curve whose
    # end parts from the one it ran along by a few samples is a copy, for tracking to judge.
    min_text_glyphs: float = 2.0
    # A line of text is level: the medians of its first and last third differ by at most this
    # many glyph heights. A curve's own part, however flat, keeps rising or falling.
    max_rise_glyphs: float = 1.0
    # It lies on more than one longer curve when each covers this fraction of its way to where
    # it leaves them: then it runs in a bundle.
    min_bundle_share: float = 0.5
    # An end within this fraction of the plot's width of the frame (or the tracking stage's
    # reach, if further) is at the frame: thermal curves start a percent or two inside it.
    frame_reach_fraction: float = 0.03


CHAINED_TEXT = ChainedTextSettings()


def drop_chained_text(
    curves: list[TracedCurve],
    glyph_px: float,
    scale: PlotScale,
    settings: ChainedTextSettings = CHAINED_TEXT,
) -> tuple[list[TracedCurve], list[str]]:
    """``curves`` without the traces that copy a longer curve from the frame and then run
    on, apart from every curve, to an end inside the plot as flat and as short as a line of
    text; and a sentence per trace dropped."""
    if len(curves) < 2:
        return curves, []
    copy_px = scale.on_curve_px + TRACKING.copy_line_widths * scale.line_width_px
    beside = overlaps(curves, copy_px)
    spans = np.array([c.span for c in curves])
    kept, dropped = [], []
    for index, curve in enumerate(curves):
        longer = spans >= spans[index] + settings.longer_glyphs * glyph_px
        on = [where for other, where in beside.on_each(index).items() if longer[other]]
        if on and _chained(curve, on, glyph_px, scale, settings):
            dropped.append(
                f"a trace over plot columns {int(curve.column[0])}–{int(curve.column[-1])} "
                "ran along another curve and on into a line of text; it was dropped"
            )
        else:
            kept.append(curve)
    return kept, dropped


def _chained(
    curve: TracedCurve,
    on_each: list[np.ndarray],
    glyph_px: float,
    scale: PlotScale,
    settings: ChainedTextSettings,
) -> bool:
    """Whether the curve, lying on longer curves (``on_each``: where, per curve), copies one
    of them from the frame and then, apart from all, floats to its other end as a line of text
    does. Where it lies on several (a bundle merging, as thermal curves do at long pulses), it
    is one of the bundle's curves."""
    reach = max(TRACKING.frame_reach_px, settings.frame_reach_fraction * scale.shape[1])
    first, last = ends_at_frame(curve, scale.shape, reach)
    if first == last:
        return False
    on = np.logical_or.reduce(on_each)
    order = np.arange(on.size) if first else np.arange(on.size)[::-1]
    along = on[order]
    if not along.any():
        return False
    leaves = int(np.flatnonzero(along)[-1]) + 1
    if leaves < 2 or along[:leaves].mean() < settings.copy_fraction:
        return False
    copied = sum(where[order[:leaves]].mean() >= settings.min_bundle_share for where in on_each)
    if copied > 1:
        return False
    text = order[leaves:]
    if text.size < 2:
        return False
    rows, columns = curve.middle[text], curve.column[text]
    span = float(np.ptp(columns)) + 1.0
    third = max(1, rows.size // 3)
    rise = abs(float(np.median(rows[:third])) - float(np.median(rows[-third:])))
    return bool(
        span >= settings.min_text_glyphs * glyph_px
        and rise <= settings.max_rise_glyphs * glyph_px
        and float(np.ptp(rows)) <= TEXT_TRACES.max_flat_glyphs * glyph_px
        and span < TEXT_TRACES.max_flat_span_glyphs * glyph_px
        and span < TEXT_TRACES.max_flat_span_fraction * scale.shape[1]
    )

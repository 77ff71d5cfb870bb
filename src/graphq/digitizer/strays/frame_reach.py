"""Whether a trace's ends reach the plot's frame.

A curve runs from frame side to frame side, or leaves the plot through one; a line of text, a
note, a legend sample or a pointer floats inside it. The stages that drop strays ask this of
every trace, so it is answered in one place and they agree on what "at the frame" means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve


def ends_at_frame(
    curve: TracedCurve, shape: tuple[int, int], reach_px: float = TRACKING.frame_reach_px
) -> tuple[bool, bool]:
    """Whether the curve's first and its last end lie within ``reach_px`` of an edge of the
    plot (``shape``: the plot crop's). An end's row is where the curve comes in or goes out
    (``enter`` of the first sample, ``leave`` of the last), so a steep curve leaving through
    the top or bottom edge reaches it."""
    height, width = shape
    ends = (
        (float(curve.enter[0]), int(curve.column[0])),
        (float(curve.leave[-1]), int(curve.column[-1])),
    )
    first, last = (
        row <= reach_px
        or row >= height - 1 - reach_px
        or column <= reach_px
        or column >= width - 1 - reach_px
        for row, column in ends
    )
    return first, last


@dataclass(frozen=True)
class EndJumpSettings:
    """Tunables of an end's jump along a line standing across the curve, with their reasons."""

    # A step between samples this many glyph heights tall or more is a jump: a curve's steep
    # stretch, traced one sample per column, climbs a few px from each to the next.
    min_jump_glyphs: float = 1.0
    # ... between samples at most this many columns apart (the line's own width).
    max_jump_columns: int = 2


END_JUMPS = EndJumpSettings()


def without_end_jumps(
    curve: TracedCurve, glyph_px: float, settings: EndJumpSettings = END_JUMPS
) -> TracedCurve:
    """The curve less the samples at each end that jump along a line standing across it (a
    limit line drawn where the curves end, a grid line's remnant): whether an end reaches the
    frame is judged where the trace itself arrived, not where that line took its last
    sample."""
    rows = curve.middle
    jumps = (np.abs(np.diff(rows)) > settings.min_jump_glyphs * glyph_px) & (
        np.diff(curve.column) <= settings.max_jump_columns
    )
    first, last = 0, rows.size
    while first < last - 1 and jumps[first]:
        first += 1
    while last - 1 > first and jumps[last - 2]:
        last -= 1
    return curve.part(slice(first, last))


@dataclass(frozen=True)
class FrameLeavingSettings:
    """Tunables of telling a curve whose tail lies on the frame from left-over frame."""

    # It rises (or falls) this fraction of the plot's height off the top or bottom frame line:
    # a frame line's fringe, tick stubs and a glyph touching it stay within a few px; a
    # capacitance curve's steep start (Crss from 20 pF onto its tail at 0) rises ~10 %.
    min_rise_fraction: float = 0.05
    # ... over this fraction of its samples, beyond the frame's reach ...
    min_off_fraction: float = 0.05
    # ... drawn by its own ink there in this fraction of them: a piece of frame the tracker
    # followed up onto another curve shares that curve's ink and is a copy of it.
    min_alone_fraction: float = 0.5
    # It climbs off gradually: no step between neighbouring samples over this share of its
    # rise. Left-over frame the tracker linked to a piece of some curve steps there at once.
    max_step_share: float = 0.5


FRAME_LEAVING = FrameLeavingSettings()


def leaves_frame(
    curve: TracedCurve, height: int, settings: FrameLeavingSettings = FRAME_LEAVING
) -> bool:
    """Whether a curve lying mostly on the top or bottom frame line leaves it for a real
    stretch on its own ink: then it is a curve whose flat tail the frame hides, not frame."""
    if curve.middle.size < 2:
        return False
    reach = TRACKING.frame_reach_px
    from_edge = np.minimum(curve.middle, height - 1 - curve.middle)
    off = from_edge > reach
    rise = float(from_edge.max())
    if rise < settings.min_rise_fraction * height:
        return False
    if np.abs(np.diff(curve.middle)).max() > settings.max_step_share * rise:
        return False
    if off.mean() < settings.min_off_fraction:
        return False
    return bool((curve.shared[off] == 1).mean() >= settings.min_alone_fraction)

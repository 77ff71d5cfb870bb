"""Whether a trace's ends reach the plot's frame.

A curve runs from frame side to frame side, or leaves the plot through one; a line of text, a
note, a legend sample or a pointer floats inside it. The stages that drop strays ask this of
every trace, so it is answered in one place and they agree on what "at the frame" means.
"""

from __future__ import annotations

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

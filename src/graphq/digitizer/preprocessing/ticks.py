"""Tick marks drawn inside the frame.

Grid removal erases the frame line but leaves the ticks drawn inward from it: short strokes
square to the frame at every axis division. Alone they are too short to be curves, but a
steep curve passing close to the frame lines up with the next tick on its slope and follows
the ticks as if they were its dashes. A tick is a thin straight stroke that starts on the
frame and goes no further in than a few hundredths of the plot; a curve that starts on the
frame goes on.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

# A tick reaches at most this fraction of the plot's width (or height) into it.
_MAX_TICK_FRACTION = 0.03
# A component touching the frame starts within this many px of the crop's border.
_ON_FRAME_PX = 1
# A tick is at most this many px thicker than a curve's line.
_TICK_OVER_LINE_PX = 2.0


def erase_ticks(ink: np.ndarray, threshold: float | np.ndarray, line_width_px: float) -> np.ndarray:
    """A copy of ``ink`` (the plot inside its frame) with the ticks on the frame erased."""
    height, width = ink.shape
    labels, count = ndimage.label(ink > threshold, structure=np.ones((3, 3), dtype=bool))
    if count == 0:
        return ink
    thin = line_width_px + _TICK_OVER_LINE_PX
    ticks = np.zeros(count + 1, dtype=bool)
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        rows, columns = box
        tall, wide = rows.stop - rows.start, columns.stop - columns.start
        on_side = columns.start <= _ON_FRAME_PX or columns.stop >= width - _ON_FRAME_PX
        on_top_or_bottom = rows.start <= _ON_FRAME_PX or rows.stop >= height - _ON_FRAME_PX
        ticks[index] = (on_side and tall <= thin and wide <= _MAX_TICK_FRACTION * width) or (
            on_top_or_bottom and wide <= thin and tall <= _MAX_TICK_FRACTION * height
        )
    cleaned = ink.copy()
    cleaned[ticks[labels]] = 0.0
    return cleaned

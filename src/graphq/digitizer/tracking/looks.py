"""How a piece of a curve looks: its colour and how much of it is ink (dashes leave gaps).

Where the tracker cannot tell which piece goes on from which (curves touching, several
meeting at one point), curves drawn differently keep their looks: a red dashed curve never
goes on as a blue solid one.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve

# A piece's look: its colour (RGB) and the share of its columns its ink was seen in.
Look = tuple[np.ndarray, float]


def look_difference(
    a: TracedCurve, b: TracedCurve, start: int, stop: int, image: np.ndarray
) -> int:
    """+1 when the pieces of ``a`` and ``b`` before and after the touching stretch look
    alike crossed over and unlike as they are, -1 the other way round, 0 when their looks
    do not tell (curves drawn alike, or a piece too short to see)."""
    before = (start - TRACKING.look_window, start - 1)
    after = (stop + 1, stop + TRACKING.look_window)
    looks = all_seen([look(curve, image, *part) for curve in (a, b) for part in (before, after)])
    if looks is None:
        return 0
    a_in, a_out, b_in, b_out = looks
    kept = unlike(a_in, a_out) + unlike(b_in, b_out)
    crossed = unlike(a_in, b_out) + unlike(b_in, a_out)
    # One pairing must be clearly (by one step) more alike than the other.
    if crossed + 1.0 <= kept:
        return 1
    if kept + 1.0 <= crossed:
        return -1
    return 0


def look(curve: TracedCurve, image: np.ndarray, first: int, last: int) -> Look | None:
    """A piece's colour (median of its darkest pixel per column) and the share of its
    columns its ink was seen in, between two columns."""
    inside = (curve.column >= first) & (curve.column <= last)
    low, high = max(first, int(curve.column[0])), min(last, int(curve.column[-1]))
    if inside.sum() < TRACKING.look_window // 4:
        return None
    columns = curve.column[inside]
    rows = np.round(curve.middle[inside]).astype(np.int64)
    height = image.shape[0]
    around = np.clip(rows[:, None] + np.arange(-1, 2), 0, height - 1)
    pixels = image[around, columns[:, None], :3].astype(np.float64)
    darkest = pixels[np.arange(columns.size), np.argmin(pixels.sum(axis=2), axis=1)]
    return np.median(darkest, axis=0), float(inside.sum() / (high - low + 1))


def all_seen(looks: list[Look | None]) -> list[Look] | None:
    """Every look, or None when one piece was too short to see."""
    seen = [look for look in looks if look is not None]
    return seen if len(seen) == len(looks) else None


def unlike(first: Look, second: Look) -> float:
    """How clearly two pieces are drawn differently, in steps of a clear difference."""
    colour = float(np.abs(first[0] - second[0]).max()) / TRACKING.colour_step
    return colour + abs(first[1] - second[1]) / TRACKING.dash_step

"""Re-pairing curves that bounced off each other where they cross.

Two curves crossing at a shallow angle share runs for a while; when their slopes barely
differ there, the tracker may hand each one the other's continuation, so both bounce. After
the crossing the curves are apart again, and whether they crossed is told by which pairing of
the pieces before and after continues each slope more smoothly.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.tracks import TracedCurve, join_at

# Columns either side of a touching stretch whose slope is compared.
_SLOPE_WINDOW = 25
# Swap when the crossed pairing's slope mismatch is below this fraction of the bounced one.
_SWAP_RATIO = 0.7
# Touches this many columns apart or fewer are one touching stretch.
_TOUCH_GAP = 8
# Curves touching over more than this fraction of the plot's width are a bundle.
_MAX_TOUCH_FRACTION = 0.1


def uncross(curves: list[TracedCurve], touch_px: float, plot_columns: int) -> list[TracedCurve]:
    """Swap the tails of every pair of curves that touch, part on the same side they met
    from, and would continue their slopes better crossed."""
    curves = list(curves)
    for i in range(len(curves)):
        for j in range(i + 1, len(curves)):
            swapped = _crossed_pair(curves[i], curves[j], touch_px, plot_columns)
            if swapped is not None:
                curves[i], curves[j] = swapped
    return curves


def _crossed_pair(
    a: TracedCurve, b: TracedCurve, touch_px: float, plot_columns: int
) -> tuple[TracedCurve, TracedCurve] | None:
    # Every column both span, bridged where either was not seen (a dash gap): dashed
    # curves are rarely seen in the same columns.
    common = np.arange(max(a.column[0], b.column[0]), min(a.column[-1], b.column[-1]) + 1)
    if common.size < 2 * _SLOPE_WINDOW:
        return None
    rows_a = np.interp(common, a.column, a.middle)
    rows_b = np.interp(common, b.column, b.middle)
    apart = rows_a - rows_b
    touching = np.abs(apart) <= touch_px
    # A crossing is one short touch of curves apart elsewhere; a bundle touches at length.
    if not touching.any() or touching.sum() > _MAX_TOUCH_FRACTION * plot_columns:
        return None
    # Curves meeting at a shallow angle touch, part by a pixel and touch again: one stretch.
    touches = np.flatnonzero(touching)
    breaks = np.flatnonzero(np.diff(common[touches]) > _TOUCH_GAP)
    first = int(touches[0])
    last = int(touches[breaks[0]]) if breaks.size else int(touches[-1])
    if (
        last == touching.size - 1
        or common[last] - common[first] > _MAX_TOUCH_FRACTION * plot_columns
    ):
        return None
    start, stop = int(common[first]), int(common[last])
    before = (common < start) & (common >= start - _SLOPE_WINDOW)
    after = (common > stop) & (common <= stop + _SLOPE_WINDOW)
    if before.sum() < _SLOPE_WINDOW // 2 or after.sum() < _SLOPE_WINDOW // 2:
        return None
    gap_before, gap_after = apart[before].mean(), apart[after].mean()
    if np.sign(gap_before) != np.sign(gap_after):
        return None
    if min(abs(gap_before), abs(gap_after)) <= touch_px:
        return None
    slopes = [
        _slope(common[part], rows[part]) for rows in (rows_a, rows_b) for part in (before, after)
    ]
    a_in, a_out, b_in, b_out = slopes
    bounced = (a_in - a_out) ** 2 + (b_in - b_out) ** 2
    crossed = (a_in - b_out) ** 2 + (b_in - a_out) ** 2
    if crossed >= _SWAP_RATIO * bounced:
        return None
    middle = (start + stop) // 2
    return join_at(a, b, middle), join_at(b, a, middle)


def _slope(columns: np.ndarray, rows: np.ndarray) -> float:
    return float(np.polyfit(columns.astype(np.float64), rows, 1)[0])

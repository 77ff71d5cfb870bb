"""Re-pairing curves that bounced off each other where they cross.

Two curves crossing at a shallow angle share runs for a while; when their slopes barely
differ there, the tracker may hand each one the other's continuation, so both bounce. After
the crossing the curves are apart again, and whether they crossed is told by which pairing of
the pieces before and after continues each slope more smoothly.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.tracks import TracedCurve

# Columns either side of a touching stretch whose slope is compared.
_SLOPE_WINDOW = 25
# Swap when the crossed pairing's slope mismatch is below this fraction of the bounced one.
_SWAP_RATIO = 0.7
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
    common, ia, ib = np.intersect1d(a.column, b.column, return_indices=True)
    if common.size < 2 * _SLOPE_WINDOW:
        return None
    apart = a.middle[ia] - b.middle[ib]
    touching = np.abs(apart) <= touch_px
    # A crossing is one short touch of curves apart elsewhere; a bundle touches at length.
    if not touching.any() or touching.sum() > _MAX_TOUCH_FRACTION * plot_columns:
        return None
    first = int(np.argmax(touching))
    last = first + int(np.argmin(touching[first:])) - 1 if not touching[first:].all() else -1
    if last < 0 or common[last] - common[first] > _MAX_TOUCH_FRACTION * plot_columns:
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
        _slope(common[part], curve.middle[index][part])
        for curve, index in ((a, ia), (b, ib))
        for part in (before, after)
    ]
    a_in, a_out, b_in, b_out = slopes
    bounced = abs(a_in - a_out) + abs(b_in - b_out)
    crossed = abs(a_in - b_out) + abs(b_in - a_out)
    if crossed >= _SWAP_RATIO * bounced:
        return None
    middle = (start + stop) // 2
    return _join(a, b, middle), _join(b, a, middle)


def _slope(columns: np.ndarray, rows: np.ndarray) -> float:
    return float(np.polyfit(columns.astype(np.float64), rows, 1)[0])


def _join(head: TracedCurve, tail: TracedCurve, column: int) -> TracedCurve:
    """``head`` up to ``column``, then ``tail`` after it."""
    keep_head = head.column <= column
    keep_tail = tail.column > column
    fields = ("column", "enter", "leave", "shared", "run")
    return TracedCurve(
        *(
            np.concatenate((getattr(head, name)[keep_head], getattr(tail, name)[keep_tail]))
            for name in fields
        )
    )

"""Re-pairing curves that bounced off each other where they cross.

Two curves crossing at a shallow angle share runs for a while; when their slopes barely
differ there, the tracker may hand each one the other's continuation, so both bounce. After
the crossing the curves are apart again, and whether they crossed is told by which pairing
keeps each curve's colour and dash pattern or, for curves drawn alike, which continues each
slope more smoothly. Where curves cross at a shallow angle while bending (transfer curves at
their temperature-compensation point) slopes hardly tell the pairings apart: but a red dashed
curve never goes on as a blue solid one, and curves of one family that come together from
well apart, run together and part again have crossed (they do not touch and turn back), so
there the slopes must clearly say otherwise to keep the pairing.
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
# ... unless they part again, drawn differently or to well apart: curves crossing at a
# shallow angle while bending alike may run together that long.
_MAX_CROSSING_TOUCH_FRACTION = 0.3
# A touching stretch at least this many columns long, between curves that get this many
# touching distances apart within this many columns either side, is a shallow crossing ...
_MIN_SHALLOW_TOUCH = 10
_CLEAR_TOUCHES = 3.0
_CLEAR_WINDOW = 100
# ... whose curves are crossed unless the crossed pairing's slope mismatch is this many
# times the bounced one.
_SHALLOW_SWAP_RATIO = 1.5
# Columns either side of a touching stretch whose look (colour, dash pattern) is compared.
_LOOK_WINDOW = 40
# A difference in colour (largest channel step, 0..255) or in the share of columns a curve's
# ink is seen in (dashes and dots leave gaps) that sets two pieces clearly apart.
_COLOUR_STEP = 40.0
_DASH_STEP = 0.25

# A piece's look: its colour (RGB) and the share of its columns its ink was seen in.
_Look = tuple[np.ndarray, float]


def uncross(
    curves: list[TracedCurve], touch_px: float, plot_columns: int, image: np.ndarray
) -> list[TracedCurve]:
    """Swap the tails of every pair of curves that touch, part on the same side they met
    from, and would keep their looks (in ``image``, the plot's RGB pixels) or, drawn alike,
    their slopes at least as well crossed."""
    curves = list(curves)
    for i in range(len(curves)):
        for j in range(i + 1, len(curves)):
            swapped = _crossed_pair(curves[i], curves[j], touch_px, plot_columns, image)
            if swapped is not None:
                curves[i], curves[j] = swapped
    return curves


def _crossed_pair(
    a: TracedCurve, b: TracedCurve, touch_px: float, plot_columns: int, image: np.ndarray
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
    if not touching.any() or touching.sum() > _MAX_CROSSING_TOUCH_FRACTION * plot_columns:
        return None
    # Curves meeting at a shallow angle touch, part by a pixel and touch again: one stretch.
    touches = np.flatnonzero(touching)
    breaks = np.flatnonzero(np.diff(common[touches]) > _TOUCH_GAP)
    first = int(touches[0])
    last = int(touches[breaks[0]]) if breaks.size else int(touches[-1])
    if (
        last == touching.size - 1
        or common[last] - common[first] > _MAX_CROSSING_TOUCH_FRACTION * plot_columns
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
    looks = _look_difference(a, b, start, stop, image)
    if looks < 0:
        return None
    if looks == 0:
        # Drawn alike: the slopes decide, leaning towards a crossing where the curves come
        # together from well apart and part again (a family's curves cross; they do not
        # touch and turn back).
        shallow = _shallow_crossing(common, apart, start, stop, touch_px)
        length = max(int(touching.sum()), stop - start)
        if (
            length
            > (_MAX_CROSSING_TOUCH_FRACTION if shallow else _MAX_TOUCH_FRACTION) * plot_columns
        ):
            return None
        slopes = [
            _slope(common[part], rows[part])
            for rows in (rows_a, rows_b)
            for part in (before, after)
        ]
        a_in, a_out, b_in, b_out = slopes
        bounced = (a_in - a_out) ** 2 + (b_in - b_out) ** 2
        crossed = (a_in - b_out) ** 2 + (b_in - a_out) ** 2
        if crossed >= (_SHALLOW_SWAP_RATIO if shallow else _SWAP_RATIO) * bounced:
            return None
    middle = (start + stop) // 2
    return join_at(a, b, middle), join_at(b, a, middle)


def _shallow_crossing(
    common: np.ndarray, apart: np.ndarray, start: int, stop: int, touch_px: float
) -> bool:
    """Whether two curves run together for a while, having come from well apart, and part
    to well apart again: a crossing at a shallow angle rather than two curves running so
    close that they graze."""
    if stop - start < _MIN_SHALLOW_TOUCH:
        return False
    before = (common < start) & (common >= start - _CLEAR_WINDOW)
    after = (common > stop) & (common <= stop + _CLEAR_WINDOW)
    clear = min(np.abs(apart[before]).max(), np.abs(apart[after]).max())
    return bool(clear >= _CLEAR_TOUCHES * touch_px)


def _slope(columns: np.ndarray, rows: np.ndarray) -> float:
    return float(np.polyfit(columns.astype(np.float64), rows, 1)[0])


def _look_difference(
    a: TracedCurve, b: TracedCurve, start: int, stop: int, image: np.ndarray
) -> int:
    """+1 when the pieces of ``a`` and ``b`` before and after the touching stretch look
    alike crossed over and unlike as they are, -1 the other way round, 0 when their looks
    do not tell (curves drawn alike, or a piece too short to see)."""
    before = (start - _LOOK_WINDOW, start - 1)
    after = (stop + 1, stop + _LOOK_WINDOW)
    looks = [_look(curve, image, *part) for curve in (a, b) for part in (before, after)]
    if any(look is None for look in looks):
        return 0
    a_in, a_out, b_in, b_out = looks
    kept = _unlike(a_in, a_out) + _unlike(b_in, b_out)
    crossed = _unlike(a_in, b_out) + _unlike(b_in, a_out)
    # One pairing must be clearly (by one step) more alike than the other.
    if crossed + 1.0 <= kept:
        return 1
    if kept + 1.0 <= crossed:
        return -1
    return 0


def _look(curve: TracedCurve, image: np.ndarray, first: int, last: int) -> _Look | None:
    """A piece's colour (median of its darkest pixel per column) and the share of its
    columns its ink was seen in, between two columns."""
    inside = (curve.column >= first) & (curve.column <= last)
    low, high = max(first, int(curve.column[0])), min(last, int(curve.column[-1]))
    if inside.sum() < _LOOK_WINDOW // 4:
        return None
    columns = curve.column[inside]
    rows = np.round(curve.middle[inside]).astype(np.int64)
    height = image.shape[0]
    around = np.clip(rows[:, None] + np.arange(-1, 2), 0, height - 1)
    pixels = image[around, columns[:, None], :3].astype(np.float64)
    darkest = pixels[np.arange(columns.size), np.argmin(pixels.sum(axis=2), axis=1)]
    return np.median(darkest, axis=0), float(inside.sum() / (high - low + 1))


def _unlike(first: _Look, second: _Look) -> float:
    """How clearly two pieces are drawn differently, in steps of a clear difference."""
    colour = float(np.abs(first[0] - second[0]).max()) / _COLOUR_STEP
    return colour + abs(first[1] - second[1]) / _DASH_STEP

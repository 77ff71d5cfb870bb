"""Re-pairing curves that bounced off each other where they cross, or crossed where they
only touched.

Two curves crossing at a shallow angle share runs for a while; when their slopes barely
differ there, the tracker may hand each one the other's continuation, so both bounce. After
the crossing the curves are apart again, and whether they crossed is told by which pairing
keeps each curve's colour and dash pattern or, for curves drawn alike, which continues each
slope more smoothly. Where curves cross at a shallow angle while bending (transfer curves at
their temperature-compensation point) slopes hardly tell the pairings apart: but a red dashed
curve never goes on as a blue solid one, and curves of one family that come together from
well apart, run together and part again have crossed (they do not touch and turn back), so
there the slopes must clearly say otherwise to keep the pairing.

Two curves touching with no third one near (a crossing, not a bundle) are judged by how long
they touch. Crossing at the angles they meet and part at takes a known number of columns;
touching far longer, they grazed (Ciss and Coss at low voltage, crossing and crossing back
within a line's width) and part on the sides they came from, even where the tracker carried
each slope on and crossed them. Touching far shorter, nearly parallel curves only came a pixel
closer for a moment. Curves drawn differently keep their looks whichever way the tracker
paired them.

"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.coverage import neighbours
from graphq.digitizer.tracking.looks import look_difference
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve, join_at


def uncross(
    curves: list[TracedCurve], scale: PlotScale, image: np.ndarray, budget: Budget | None = None
) -> list[TracedCurve]:
    """Re-pair every two curves that touch (within the scale's ``gate_px``) where their looks
    (in ``image``, the plot's RGB pixels) or, drawn alike, their slopes and the length of the
    touch call for it; past ``budget``, as re-paired so far. Only curves that come that
    close somewhere are tried as a pair."""
    curves = list(curves)
    near = neighbours(curves, scale.gate_px, scale.columns)
    for i in range(len(curves)):
        if budget is not None and budget.spent:
            break
        for j in range(i + 1, len(curves)):
            if j not in near[i]:
                continue
            repaired = _repaired_pair(
                curves, i, j, near[i] | near[j], scale.gate_px, scale.columns, image
            )
            if repaired is not None:
                curves[i], curves[j] = repaired
                # Each now holds a piece of the other: it may touch the other's neighbours.
                near[i] = near[j] = near[i] | near[j]
    return curves


def _repaired_pair(
    curves: list[TracedCurve],
    i: int,
    j: int,
    near: set[int],
    touch_px: float,
    plot_columns: int,
    image: np.ndarray,
) -> tuple[TracedCurve, TracedCurve] | None:
    """Curves ``i`` and ``j`` with their tails swapped at their first touching stretch, or
    None to keep them as they are; only the curves ``near`` them can touch them."""
    a, b = curves[i], curves[j]
    # Every column both span, bridged where either was not seen (a dash gap): dashed
    # curves are rarely seen in the same columns.
    common = np.arange(max(a.column[0], b.column[0]), min(a.column[-1], b.column[-1]) + 1)
    if common.size < 2 * TRACKING.slope_window:
        return None
    rows_a = np.interp(common, a.column, a.middle)
    rows_b = np.interp(common, b.column, b.middle)
    apart = rows_a - rows_b
    touching = np.abs(apart) <= touch_px
    if not touching.any():
        return None
    # Curves meeting at a shallow angle touch, part by a pixel and touch again: one stretch.
    touches = np.flatnonzero(touching)
    breaks = np.flatnonzero(np.diff(common[touches]) > TRACKING.touch_gap)
    first = int(touches[0])
    last = int(touches[breaks[0]]) if breaks.size else int(touches[-1])
    if last == touching.size - 1:
        return None
    start, stop = int(common[first]), int(common[last])
    before = (common < start) & (common >= start - TRACKING.slope_window)
    after = (common > stop) & (common <= stop + TRACKING.slope_window)
    if before.sum() < TRACKING.slope_window // 2 or after.sum() < TRACKING.slope_window // 2:
        return None
    gap_before, gap_after = apart[before].mean(), apart[after].mean()
    if min(abs(gap_before), abs(gap_after)) <= touch_px:
        return None
    crossed = bool(np.sign(gap_before) != np.sign(gap_after))
    slopes = [
        _slope(common[part], rows[part]) for rows in (rows_a, rows_b) for part in (before, after)
    ]
    looks = look_difference(a, b, start, stop, image)
    if looks != 0:
        swap = looks > 0
    elif _alone(curves, (i, j), near, start, stop, touch_px) and not _could_cross(
        slopes, stop - start + 1, touch_px
    ):
        # Grazed or came close: on the sides they came from, whatever the tracker did.
        swap = crossed
    elif crossed:
        swap = False
    else:
        shallow = _shallow_crossing(common, apart, start, stop, touch_px)
        length = max(int(touching.sum()), stop - start)
        swap = _bounced(shallow, length, slopes, plot_columns)
    if not swap:
        return None
    middle = (start + stop) // 2
    return join_at(a, b, middle), join_at(b, a, middle)


def _bounced(shallow: bool, length: int, slopes: list[float], plot_columns: int) -> bool:
    """Whether two curves drawn alike, touching for ``length`` columns, bounced.

    A crossing is a short touch of curves apart elsewhere; in a bundle curves run together
    at length and bend where they fan out (the knees of output curves). Curves that come
    together from well apart and part again (``shallow``) may touch longer, and there the
    slopes lean towards a crossing: a family's curves cross; they do not touch and turn back.
    """
    if (
        length
        > (TRACKING.max_crossing_touch_fraction if shallow else TRACKING.max_touch_fraction)
        * plot_columns
    ):
        return False
    return _swap_better(slopes, TRACKING.shallow_swap_ratio if shallow else TRACKING.swap_ratio)


def _swap_better(slopes: list[float], ratio: float) -> bool:
    """Whether swapping the tails carries each curve's slope on better by ``ratio``."""
    a_in, a_out, b_in, b_out = slopes
    bounced = (a_in - a_out) ** 2 + (b_in - b_out) ** 2
    crossed = (a_in - b_out) ** 2 + (b_in - a_out) ** 2
    return crossed < ratio * bounced


def _could_cross(slopes: list[float], columns: int, touch_px: float) -> bool:
    """Whether crossing at the angles the curves meet and part at takes about as many
    columns as they touched for: from ``touch_px`` apart to touching, then apart again."""
    a_in, a_out, b_in, b_out = slopes
    meeting, parting = abs(a_in - b_in), abs(a_out - b_out)
    if meeting == 0.0 or parting == 0.0:
        return False
    crossing = touch_px / meeting + touch_px / parting
    # Steep curves crossing at a wide angle touch for a column or two, however they cross.
    near_miss = crossing >= TRACKING.slope_window and columns * TRACKING.near_miss_ratio < crossing
    return not near_miss and columns <= TRACKING.grazing_ratio * crossing


def _alone(
    curves: list[TracedCurve],
    pair: tuple[int, int],
    near: set[int],
    start: int,
    stop: int,
    touch_px: float,
) -> bool:
    """Whether no other curve touches either of the ``pair`` of curves between ``start`` and
    ``stop``; only those ``near`` them can."""
    i, j = pair
    others = [curves[k] for k in sorted(near - {i, j})]
    for curve in (curves[i], curves[j]):
        inside = (curve.column >= start) & (curve.column <= stop)
        columns, rows = curve.column[inside], curve.middle[inside]
        for other in others:
            # Only the other's samples between the columns (it may be long).
            low, high = np.searchsorted(other.column, (start, stop + 1))
            part = other.part(slice(int(low), int(high)))
            _, mine, theirs = np.intersect1d(columns, part.column, return_indices=True)
            if np.any(np.abs(rows[mine] - part.middle[theirs]) <= touch_px):
                return False
    return True


def _shallow_crossing(
    common: np.ndarray, apart: np.ndarray, start: int, stop: int, touch_px: float
) -> bool:
    """Whether two curves run together for a while, having come from well apart, and part
    to well apart again: a crossing at a shallow angle rather than two curves running so
    close that they graze."""
    if stop - start < TRACKING.min_shallow_touch:
        return False
    before = (common < start) & (common >= start - TRACKING.clear_window)
    after = (common > stop) & (common <= stop + TRACKING.clear_window)
    clear = min(np.abs(apart[before]).max(), np.abs(apart[after]).max())
    return bool(clear >= TRACKING.clear_touches * touch_px)


def _slope(columns: np.ndarray, rows: np.ndarray) -> float:
    return float(np.polyfit(columns.astype(np.float64), rows, 1)[0])

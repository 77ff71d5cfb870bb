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

Where three or more curves of a family that all cross at one point meet (transfer curves at
their temperature-compensation point), pairs are not enough: the tracks leave the point in
any order, and two may follow one curve in while another curve's piece is lost. There the
pieces on either side are collected, a lost one taken from all the tracks found, and paired
again: by their looks, or in the reverse order, as lines through one point leave it.

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
from scipy.optimize import linear_sum_assignment

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
# Two curves touching alone this many times longer than a crossing at their angles would
# take did not cross ...
_GRAZING_RATIO = 2.0
# ... nor did ones touching this many times shorter (the slopes beside a touch understate
# the angle of curves bending apart, so this bound is looser).
_NEAR_MISS_RATIO = 4.0

# Curves meet where they touch in a chain in at least this many columns ...
_MIN_MEETING_COLUMNS = 3
# ... and a curve's piece beside the meeting point is a copy of another one's when it lies
# on it over this fraction of its columns.
_DUPLICATE_PIECE = 0.8
# Columns beside the meeting point whose rows give the order the pieces enter and leave it.
_ORDER_WINDOW = 50

# A piece's look: its colour (RGB) and the share of its columns its ink was seen in.
_Look = tuple[np.ndarray, float]


def uncross(
    curves: list[TracedCurve], touch_px: float, plot_columns: int, image: np.ndarray
) -> list[TracedCurve]:
    """Re-pair every two curves that touch where their looks (in ``image``, the plot's RGB
    pixels) or, drawn alike, their slopes and the length of the touch call for it."""
    curves = list(curves)
    for i in range(len(curves)):
        for j in range(i + 1, len(curves)):
            others = [c for k, c in enumerate(curves) if k not in (i, j)]
            repaired = _repaired_pair(curves[i], curves[j], others, touch_px, plot_columns, image)
            if repaired is not None:
                curves[i], curves[j] = repaired
    return curves


def _repaired_pair(
    a: TracedCurve,
    b: TracedCurve,
    others: list[TracedCurve],
    touch_px: float,
    plot_columns: int,
    image: np.ndarray,
) -> tuple[TracedCurve, TracedCurve] | None:
    """``a`` and ``b`` with their tails swapped at their first touching stretch, or None to
    keep them as they are."""
    # Every column both span, bridged where either was not seen (a dash gap): dashed
    # curves are rarely seen in the same columns.
    common = np.arange(max(a.column[0], b.column[0]), min(a.column[-1], b.column[-1]) + 1)
    if common.size < 2 * _SLOPE_WINDOW:
        return None
    rows_a = np.interp(common, a.column, a.middle)
    rows_b = np.interp(common, b.column, b.middle)
    apart = rows_a - rows_b
    touching = np.abs(apart) <= touch_px
    if not touching.any():
        return None
    # Curves meeting at a shallow angle touch, part by a pixel and touch again: one stretch.
    touches = np.flatnonzero(touching)
    breaks = np.flatnonzero(np.diff(common[touches]) > _TOUCH_GAP)
    first = int(touches[0])
    last = int(touches[breaks[0]]) if breaks.size else int(touches[-1])
    if last == touching.size - 1:
        return None
    start, stop = int(common[first]), int(common[last])
    before = (common < start) & (common >= start - _SLOPE_WINDOW)
    after = (common > stop) & (common <= stop + _SLOPE_WINDOW)
    if before.sum() < _SLOPE_WINDOW // 2 or after.sum() < _SLOPE_WINDOW // 2:
        return None
    gap_before, gap_after = apart[before].mean(), apart[after].mean()
    if min(abs(gap_before), abs(gap_after)) <= touch_px:
        return None
    crossed = bool(np.sign(gap_before) != np.sign(gap_after))
    slopes = [
        _slope(common[part], rows[part]) for rows in (rows_a, rows_b) for part in (before, after)
    ]
    looks = _look_difference(a, b, start, stop, image)
    if looks != 0:
        swap = looks > 0
    elif _alone(a, b, others, start, stop, touch_px) and not _could_cross(
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
    if length > (_MAX_CROSSING_TOUCH_FRACTION if shallow else _MAX_TOUCH_FRACTION) * plot_columns:
        return False
    return _swap_better(slopes, _SHALLOW_SWAP_RATIO if shallow else _SWAP_RATIO)


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
    near_miss = crossing >= _SLOPE_WINDOW and columns * _NEAR_MISS_RATIO < crossing
    return not near_miss and columns <= _GRAZING_RATIO * crossing


def _alone(
    a: TracedCurve,
    b: TracedCurve,
    others: list[TracedCurve],
    start: int,
    stop: int,
    touch_px: float,
) -> bool:
    """Whether no other curve touches either of the pair between ``start`` and ``stop``."""
    for curve in (a, b):
        inside = (curve.column >= start) & (curve.column <= stop)
        columns, rows = curve.column[inside], curve.middle[inside]
        for other in others:
            _, mine, theirs = np.intersect1d(columns, other.column, return_indices=True)
            if np.any(np.abs(rows[mine] - other.middle[theirs]) <= touch_px):
                return False
    return True


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
    looks = _all_seen([_look(curve, image, *part) for curve in (a, b) for part in (before, after)])
    if looks is None:
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


def _all_seen(looks: list[_Look | None]) -> list[_Look] | None:
    """Every look, or None when one piece was too short to see."""
    seen = [look for look in looks if look is not None]
    return seen if len(seen) == len(looks) else None


def _unlike(first: _Look, second: _Look) -> float:
    """How clearly two pieces are drawn differently, in steps of a clear difference."""
    colour = float(np.abs(first[0] - second[0]).max()) / _COLOUR_STEP
    return colour + abs(first[1] - second[1]) / _DASH_STEP


def untangle_meeting(
    curves: list[TracedCurve],
    pool: list[TracedCurve],
    touch_px: float,
    plot_columns: int,
    image: np.ndarray,
) -> list[TracedCurve]:
    """Re-pair the pieces of curves that meet at one point (three or more of them, or two
    and one's piece lost), taking a piece no curve kept from ``pool`` (every track found).

    Where several curves cross at one point (transfer curves at their temperature-
    compensation point) the tracks leave it in any order: some bounce, two may follow one
    curve in and another curve's piece is lost. Each side of the point holds one piece of
    every curve; curves drawn differently keep their looks, curves drawn alike leave the
    point in the reverse order they entered it, as lines through one point do.
    """
    for group, start, stop in _meetings(curves, touch_px, plot_columns):
        members = [curves[i] for i in group]
        others = [curve for i, curve in enumerate(curves) if i not in group]
        sides = ((0, start - 1), start), ((stop + 1, plot_columns - 1), stop)
        found = [len(_pieces(members, [], others, touch_px, *side, needed=0)) for side in sides]
        # A curve's piece lost on one side is looked for among all tracks.
        needed = max(found)
        # Two curves with all their pieces are a crossing of two (:func:`uncross`).
        if len(group) == 2 and min(found) == needed:
            continue
        heads, tails = (_pieces(members, pool, others, touch_px, *side, needed) for side in sides)
        if len(heads) >= 2 and len(heads) == needed and len(tails) == needed:
            middle = (start + stop) // 2
            pairs = _pair_pieces(heads, tails, start, stop, image)
            return others + [join_at(heads[i], tails[j], middle) for i, j in pairs]
    return curves


def _meetings(
    curves: list[TracedCurve], touch_px: float, plot_columns: int
) -> list[tuple[list[int], int, int]]:
    """Where curves touch in a chain, each within ``touch_px`` of the next: the curves and
    the first and last column of each short stretch they do so over (a bundle runs together
    at length), most curves first, then longest."""
    if len(curves) < 2:
        return []
    rows = np.full((len(curves), plot_columns), np.nan)
    for index, curve in enumerate(curves):
        span = np.arange(curve.column[0], curve.column[-1] + 1)
        # Across dash gaps too: a dashed curve meets the others where its ink is missing.
        rows[index, span] = np.interp(span, curve.column, curve.middle)
    chains: dict[frozenset[int], list[int]] = {}
    for column in range(plot_columns):
        present = np.flatnonzero(~np.isnan(rows[:, column]))
        if present.size < 2:
            continue
        order = present[np.argsort(rows[present, column])]
        apart = np.flatnonzero(np.diff(rows[order, column]) > touch_px) + 1
        for chain in np.split(order, apart):
            if chain.size >= 2:
                chains.setdefault(frozenset(chain.tolist()), []).append(column)
    found = []
    for group in chains:
        columns = np.unique([c for other, seen in chains.items() if group <= other for c in seen])
        first = max(int(curves[i].column[0]) for i in group)
        last = min(int(curves[i].column[-1]) for i in group)
        # Touches this few columns apart are one stretch.
        for stretch in np.split(columns, np.flatnonzero(np.diff(columns) > _TOUCH_GAP) + 1):
            start, stop = int(stretch[0]), int(stretch[-1])
            if stretch.size < _MIN_MEETING_COLUMNS:
                continue
            if stop - start <= _MAX_CROSSING_TOUCH_FRACTION * plot_columns:
                found.append((sorted(group), start, stop))
            # Tracks together from where they start may follow one curve up to the point
            # where another meets it: the stretch's other end.
            from_start, to_end = start <= first + _TOUCH_GAP, stop >= last - _TOUCH_GAP
            if from_start != to_end:
                point = stop if from_start else start
                found.append((sorted(group), point, point))
    return sorted(found, key=lambda m: (-len(m[0]), m[1] - m[2]))


def _pieces(
    members: list[TracedCurve],
    pool: list[TracedCurve],
    others: list[TracedCurve],
    touch_px: float,
    columns: tuple[int, int],
    meeting_column: int,
    needed: int,
) -> list[TracedCurve]:
    """The curves (members first, longest first) whose parts between ``columns`` are pieces
    of different curves; a track from ``pool`` adds one, while fewer than ``needed`` are
    found, when its piece reaches the meeting point and lies on no curve found."""
    first, last = columns

    def part(curve: TracedCurve) -> np.ndarray:
        return (curve.column >= first) & (curve.column <= last)

    kept: list[TracedCurve] = []
    for curve in sorted(members, key=lambda c: -part(c).sum()):
        if part(curve).sum() >= _SLOPE_WINDOW and not any(
            _same_piece(curve, other, part(curve), touch_px) for other in kept
        ):
            kept.append(curve)
    for curve in sorted(pool, key=lambda c: -part(c).sum()):
        if len(kept) >= needed:
            break
        inside = part(curve)
        if inside.sum() < _SLOPE_WINDOW:
            continue
        reach = np.abs(curve.column[inside] - meeting_column).min()
        if reach <= _SLOPE_WINDOW and not any(
            _same_piece(curve, other, inside, touch_px) for other in kept + others
        ):
            kept.append(curve)
    return kept


def _same_piece(
    curve: TracedCurve, other: TracedCurve, inside: np.ndarray, touch_px: float
) -> bool:
    """Whether the ``inside`` part of a curve lies on another curve (a copy of its piece):
    within its rows in the plane (on a steep stretch a curve covers many rows of a column),
    or on the runs it took (two tracks dividing one steep stroke sit a stroke apart)."""
    columns = curve.column[inside]
    common = (columns >= other.column[0]) & (columns <= other.column[-1])
    if common.sum() < _DUPLICATE_PIECE * columns.size:
        return False
    columns = columns[common]
    low = np.interp(columns, other.column, np.minimum(other.enter, other.leave))
    high = np.interp(columns, other.column, np.maximum(other.enter, other.leave))
    rows = curve.middle[inside][common]
    at = np.minimum(np.searchsorted(other.column, columns), other.column.size - 1)
    same_run = (other.column[at] == columns) & (other.run[at] == curve.run[inside][common])
    close = same_run | ((rows >= low - touch_px) & (rows <= high + touch_px))
    return bool(close.mean() >= _DUPLICATE_PIECE)


def _pair_pieces(
    heads: list[TracedCurve],
    tails: list[TracedCurve],
    start: int,
    stop: int,
    image: np.ndarray,
) -> list[tuple[int, int]]:
    """Which tail goes on from which head: the pairing that keeps the pieces' looks when it
    is clearly better than the reverse order, else the reverse order."""
    head_rows = [_mean_row(curve, start - _ORDER_WINDOW, start - 1) for curve in heads]
    tail_rows = [_mean_row(curve, stop + 1, stop + _ORDER_WINDOW) for curve in tails]
    top_down = np.argsort(head_rows)
    bottom_up = np.argsort(tail_rows)[::-1]
    reverse = {int(h): int(t) for h, t in zip(top_down, bottom_up, strict=True)}
    head_looks = _all_seen([_look(c, image, start - _LOOK_WINDOW, start - 1) for c in heads])
    tail_looks = _all_seen([_look(c, image, stop + 1, stop + _LOOK_WINDOW) for c in tails])
    if head_looks is not None and tail_looks is not None:
        cost = np.array([[_unlike(h, t) for t in tail_looks] for h in head_looks])
        rows, columns = linear_sum_assignment(cost)
        best = float(cost[rows, columns].sum())
        if best + 1.0 <= sum(cost[h, t] for h, t in reverse.items()):
            return list(zip(rows.tolist(), columns.tolist(), strict=True))
    return sorted(reverse.items())


def _mean_row(curve: TracedCurve, first: int, last: int) -> float:
    """The curve's mean row between two columns (its nearest row where it has none)."""
    inside = (curve.column >= first) & (curve.column <= last)
    if inside.any():
        return float(curve.middle[inside].mean())
    nearest = np.argmin(np.abs(curve.column - (first + last) / 2))
    return float(curve.middle[nearest])

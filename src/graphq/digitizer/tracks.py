"""From raw tracks to curves: joining both passes, dropping duplicates.

A track walked right-to-left is turned to left-to-right order first. Tracks of the two
passes that claimed the same lone runs are one curve seen from both sides; their union keeps,
per column, the sample that divided its run among the most tracks (a bundle seen from the
side where its curves are told apart); :mod:`graphq.digitizer.linking` joins the fragments
of one curve. A curve whose columns lie almost all on a better curve is a duplicate. Where
several curves cross at one point, a track spliced from pieces of two others is dropped, and
a curve told apart only on one side of the point is joined to the one told apart only on the
other. Once all curves are known, one lying on the others together (a track crossing over
from one curve to another) is a duplicate too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracker import Track

# Two tracks are one curve when they agree on this fraction of their common columns.
_AGREEMENT = 0.9
# A curve lying on other curves over this fraction of its columns is a duplicate ...
_DUPLICATE_FRACTION = 0.85
# ... and so is one lying on them over this fraction unless it leaves them at one end, as
# a curve fanning out of (or merging into) a bundle does; one that leaves only in its
# middle is a piece of two curves bounced off each other at a crossing.
_DUPLICATE_INSIDE_FRACTION = 0.75
# A curve's own part and the part lying on other curves are this clear to be spliced.
_SPLICE_PART_FRACTION = 0.7
# A curve's end slope is fitted over a multiple of this many samples, up to this many, as
# long as a line fits them within this many px (RMS).
_MIN_END_WINDOW = 12
_MAX_END_WINDOW = 60
_END_FIT_PX = 1.0
# A curve ending within this many px of the frame's left or right side reaches it: the
# frame line, erased with its anti-aliased fringe, leaves a gap of a few columns.
_EDGE_REACH_PX = 4


# The per-column arrays of a TracedCurve, in constructor order.
_FIELDS = ("column", "enter", "leave", "shared", "run")
# The run of a sample traced in other runs than the main pass's (the pale pass's).
NO_RUN = -1
# Per plot column: lowest and highest row a curve covers, and its run.
_Band = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class TracedCurve:
    """A curve in plot pixels, one sample per column, ascending.

    ``enter``/``leave`` are the rows where the curve comes in from the left and goes out to
    the right of the column (they differ on steep stretches); ``shared`` counts the curves
    whose touching ink that column's run held; ``run`` indexes the main pass's runs, or is
    :data:`NO_RUN`.
    """

    column: np.ndarray
    enter: np.ndarray
    leave: np.ndarray
    shared: np.ndarray
    run: np.ndarray

    @property
    def middle(self) -> np.ndarray:
        return (self.enter + self.leave) / 2.0

    @property
    def span(self) -> int:
        return int(self.column[-1] - self.column[0] + 1)

    def part(self, keep: slice | np.ndarray) -> TracedCurve:
        """The samples ``keep`` selects."""
        return TracedCurve(*(getattr(self, name)[keep] for name in _FIELDS))

    @property
    def arc_length_px(self) -> float:
        xs = np.repeat(self.column, 2).astype(np.float64)
        ys = np.column_stack((self.enter, self.leave)).ravel()
        return float(np.hypot(np.diff(xs), np.diff(ys)).sum())


def seen_columns(curve: TracedCurve, dot_gap_px: int) -> int:
    """Columns where the curve's ink was seen, or that lie in a gap between its dots."""
    gaps = np.diff(curve.column) - 1
    return int(curve.column.size + gaps[gaps <= dot_gap_px].sum())


def to_curve(track: Track) -> TracedCurve:
    samples = track.samples
    column = np.array([s.column for s in samples], dtype=np.int64)
    enter = np.array([s.enter for s in samples])
    leave = np.array([s.leave for s in samples])
    shared = np.array([s.shared for s in samples], dtype=np.int64)
    run = np.array([s.run for s in samples], dtype=np.int64)
    if column.size > 1 and column[0] > column[-1]:
        return TracedCurve(column[::-1], leave[::-1], enter[::-1], shared[::-1], run[::-1])
    return TracedCurve(column, enter, leave, shared, run)


def _agree(a: TracedCurve, b: TracedCurve, tolerance_px: float) -> bool:
    common, ia, ib = np.intersect1d(a.column, b.column, return_indices=True)
    if common.size == 0:
        return False
    close = np.abs(a.middle[ia] - b.middle[ib]) <= tolerance_px
    return bool(close.mean() >= _AGREEMENT)


def unite(curves: list[TracedCurve]) -> TracedCurve:
    column = np.concatenate([c.column for c in curves])
    shared = np.concatenate([c.shared for c in curves])
    order = np.lexsort((-shared, column))
    column = column[order]
    keep = order[np.concatenate(([True], column[1:] != column[:-1]))]
    pick = [np.concatenate([getattr(c, name) for c in curves])[keep] for name in _FIELDS]
    return TracedCurve(*pick)


def join_passes(
    forward: list[TracedCurve], backward: list[TracedCurve], tolerance_px: float
) -> list[TracedCurve]:
    """One curve per group of tracks that share lone runs and agree where they overlap.

    Groups grow only while they agree as wholes: a track that took runs of two curves where
    they run together (or a speck that started a track in each pass, both walking off it
    onto different curves) agrees with the tracks of either curve alone, and chaining such
    ties would make one curve of several, zigzagging between them.
    """
    curves = forward + backward
    members = {index: [index] for index in range(len(curves))}
    group = list(range(len(curves)))
    union = dict(enumerate(curves))
    owner: dict[int, int] = {}
    for index, curve in enumerate(forward):
        for run in curve.run[curve.shared == 1].tolist():
            owner[run] = index
    for offset, curve in enumerate(backward):
        index = len(forward) + offset
        runs = curve.run[curve.shared == 1].tolist()
        for partner in sorted({owner[run] for run in runs if run in owner}):
            mine, theirs = group[index], group[partner]
            if mine == theirs or not (
                _agree(curves[partner], curve, tolerance_px)
                and _agree(union[theirs], union[mine], tolerance_px)
            ):
                continue
            members[theirs] = sorted(members[theirs] + members.pop(mine))
            union[theirs] = unite([curves[i] for i in members[theirs]])
            del union[mine]
            for i in members[theirs]:
                group[i] = theirs
    return [union[key] for key in sorted(union, key=lambda key: members[key][0])]


def end_slope(curve: TracedCurve, at_end: bool) -> float:
    """Slope of the curve's last (or first) stretch: long enough that pixel steps average
    out, short enough to follow a bend (the longest that a line still fits)."""
    slope = 0.0
    longest = max(_MIN_END_WINDOW, min(_MAX_END_WINDOW, curve.column.size // 3))
    for window in range(_MIN_END_WINDOW, longest + 1, _MIN_END_WINDOW):
        part = slice(-window, None) if at_end else slice(0, window)
        columns = curve.column[part].astype(np.float64)
        rows = curve.middle[part]
        if columns.size < 3 or np.ptp(columns) == 0:
            return slope
        # The least-squares line, in closed form (this runs for every fragment's two ends).
        dx, dy = columns - columns.mean(), rows - rows.mean()
        fitted = float(dx @ dy) / float(dx @ dx)
        residual = float(np.sqrt(np.mean((dy - fitted * dx) ** 2)))
        if window > _MIN_END_WINDOW and residual > _END_FIT_PX:
            return slope
        slope = fitted
    return slope


def drop_duplicates(
    curves: list[TracedCurve],
    tolerance_px: float,
    shape: tuple[int, int],
    min_own_columns: int,
    min_edge_columns: int,
    longest_first: bool = False,
    budget: Budget | None = None,
) -> list[TracedCurve]:
    """Keep curves best first; drop one that lies on the kept ones almost everywhere, leaves
    them for fewer than ``min_own_columns`` (a leader arrow running into its curve), or
    mostly lies on them and leaves them only in its middle (bounced at a crossing).

    A curve that leaves them for ``min_edge_columns`` at an end on the frame is kept all the
    same: it is one curve of a bundle, told apart only where the bundle fans out at the left
    or right edge (thermal-impedance curves at short pulses), or where a steep curve leaves
    it for the top or bottom edge (the highest output curve); an arrow starts at its label,
    inside the plot.

    Best is the most lone evidence; ``longest_first`` ranks by span instead, which drops a
    piece of a curve (cut off by a leader arrow) that was kept before the whole curve. A
    kept piece also gives way to a longer curve lying on it which would be kept without it:
    the whole curve shares its runs with the bundle it comes out of, its piece apart from
    the bundle is seen alone and ranks first.

    "On" is measured in the plane, not per column: a fragment of a steep stretch lies on it
    even where the rows of the same column differ. Past ``budget`` the curves not yet
    judged, the worst ones, are left out.
    """
    if longest_first:
        ranked = sorted(curves, key=lambda c: -c.span)
    else:
        ranked = sorted(curves, key=lambda c: -_evidence(c))
    reach = max(1, round(tolerance_px))

    def duplicate(curve: TracedCurve, taken: np.ndarray) -> bool:
        covered = _on_taken(curve, taken, reach)
        return _is_duplicate(covered, min_own_columns) and (
            _own_edge_columns(curve, covered, shape, reach) < min_edge_columns
        )

    taken = _taken(shape, reach)
    kept: list[TracedCurve] = []
    for curve in ranked:
        if duplicate(curve, taken):
            if budget is not None and budget.spent:
                continue
            band = [_band(curve, tolerance_px, shape[1])]
            on = [_covered_by(k, band, {0}).mean() >= _DUPLICATE_FRACTION for k in kept]
            pieces = [k for k, piece in zip(kept, on, strict=True) if piece]
            rest = [k for k, piece in zip(kept, on, strict=True) if not piece]
            if not pieces or max(k.span for k in pieces) >= curve.span:
                continue
            without = _taken(shape, reach, rest)
            if duplicate(curve, without):
                continue
            kept, taken = rest, without
        kept.append(curve)
        _mark(taken, curve, reach)
    return kept


def _taken(
    shape: tuple[int, int], reach: int, curves: list[TracedCurve] | None = None
) -> np.ndarray:
    """The plane of ``shape`` padded by ``reach``, with ``curves`` marked."""
    height, width = shape
    taken = np.zeros((height + 2 * reach + 1, width + 2 * reach + 1), dtype=bool)
    for curve in curves or []:
        _mark(taken, curve, reach)
    return taken


def near_ink(shape: tuple[int, int], curves: list[TracedCurve], reach: int) -> np.ndarray:
    """Per pixel of a plane of ``shape``, whether it lies within ``reach`` px of the ink of
    one of ``curves``."""
    height, width = shape
    return _taken(shape, reach, curves)[reach : reach + height, reach : reach + width]


def _mark(taken: np.ndarray, curve: TracedCurve, reach: int) -> None:
    """Mark, in place, the pixels within ``reach`` of the curve's ink."""
    height = taken.shape[0] - 2 * reach - 1
    low = np.floor(np.minimum(curve.enter, curve.leave)).astype(np.int64)
    high = np.ceil(np.maximum(curve.enter, curve.leave)).astype(np.int64)
    for column, top, bottom in zip(curve.column.tolist(), low.tolist(), high.tolist(), strict=True):
        first, last = max(top, -reach), min(bottom, height + reach)
        taken[first : last + 2 * reach + 1, column : column + 2 * reach + 1] = True


def _on_taken(curve: TracedCurve, taken: np.ndarray, reach: int) -> np.ndarray:
    """Per sample, whether the curve lies on the marked pixels."""
    height = taken.shape[0] - 2 * reach - 1
    rows = np.clip(np.round(curve.middle).astype(np.int64), -reach, height + reach)
    return taken[rows + reach, curve.column + reach]


def _evidence(curve: TracedCurve) -> float:
    """How surely a track is a curve of its own: its lone columns, and its length."""
    return float((curve.shared == 1).sum() + 0.5 * curve.span)


def _is_duplicate(covered: np.ndarray, min_own_columns: int) -> bool:
    """Whether a curve whose columns lie on kept curves where ``covered`` adds nothing."""
    if covered.mean() >= _DUPLICATE_FRACTION or (~covered).sum() < min_own_columns:
        return True
    leaves_at_end = not covered[:min_own_columns].any() or not covered[-min_own_columns:].any()
    return bool(covered.mean() >= _DUPLICATE_INSIDE_FRACTION and not leaves_at_end)


def _own_edge_columns(
    curve: TracedCurve, covered: np.ndarray, shape: tuple[int, int], reach: int
) -> int:
    """Columns the curve runs apart from kept curves from an end on the frame (any side)."""
    height, width = shape
    edge = max(reach, _EDGE_REACH_PX)

    def on_frame(column: int, row: float) -> bool:
        return min(column, width - 1 - column, row, height - 1 - row) <= edge

    own = 0
    if on_frame(int(curve.column[0]), float(curve.enter[0])):
        own = int(np.argmax(covered)) if covered.any() else covered.size
    if on_frame(int(curve.column[-1]), float(curve.leave[-1])):
        tail = covered[::-1]
        own = max(own, int(np.argmax(tail)) if tail.any() else tail.size)
    return own


def drop_redundant(
    curves: list[TracedCurve],
    tolerance_px: float,
    shape: tuple[int, int],
    min_own_columns: int,
    min_edge_columns: int,
) -> list[TracedCurve]:
    """Drop, worst first, a curve that lies on the others together as :func:`drop_duplicates`
    judges a curve on the better ones.

    A track that follows one curve, crosses over along a leader arrow or a bounce, and
    follows another may have more lone evidence than either curve (they share runs with it
    where it was the better-placed track), so it is kept before them and only shows up as
    a duplicate once both are known.
    """
    bands = [_band(curve, tolerance_px, shape[1]) for curve in curves]
    reach = max(1, round(tolerance_px))
    alive = set(range(len(curves)))
    for index in sorted(range(len(curves)), key=lambda i: _evidence(curves[i])):
        curve = curves[index]
        covered = _covered_by(curve, bands, alive - {index})
        if _is_duplicate(covered, min_own_columns) and (
            _own_edge_columns(curve, covered, shape, reach) < min_edge_columns
        ):
            alive.discard(index)
    return [curve for index, curve in enumerate(curves) if index in alive]


def drop_spliced(
    curves: list[TracedCurve], tolerance_px: float, width: int, min_part_columns: int
) -> list[TracedCurve]:
    """Undo tracks spliced from pieces of other curves where several curves cross at one
    point (transfer curves at their temperature-compensation point).

    Two tracks may leave such a point on the same branch while another comes in: one
    track then repeats a piece of each of its neighbours and is dropped (worst first);
    or one curve is told apart only before the point (then lies on another) and another
    only after it, and their own parts are one curve. A track that strayed onto a thick
    curve divides that curve's runs with it, a line's width off it: it lies on it all the
    same (for joining only; curves of a bundle divide runs at length too, and are kept).
    """
    curves = list(curves)
    bands = [_band(curve, tolerance_px, width) for curve in curves]
    ranked = sorted(range(len(curves)), key=lambda i: float((curves[i].shared == 1).sum()))
    alive = set(range(len(curves)))
    for index in ranked:
        if _is_spliced(curves[index], bands, alive - {index}):
            alive.discard(index)
    curves = [curve for index, curve in enumerate(curves) if index in alive]
    while True:
        bands = [_band(curve, tolerance_px, width) for curve in curves]
        others = [set(range(len(curves))) - {i} for i in range(len(curves))]
        covered = [
            _covered_by(c, bands, rest, divided=True)
            for c, rest in zip(curves, others, strict=True)
        ]
        ends = [
            _own_then_covered(c, m, min_part_columns) for c, m in zip(curves, covered, strict=True)
        ]
        starts = [
            _own_then_covered(c, ~m, min_part_columns) for c, m in zip(curves, covered, strict=True)
        ]
        # Curves meeting at a shallow angle run together for a while before and after the
        # point: the stray tracks leave their own curves that far apart.
        pair = _splice_pair(curves, ends, starts, tolerance_px, 2 * min_part_columns)
        if pair is None:
            return curves
        i, j, cut = pair
        joined = join_at(curves[i], curves[j], cut)
        curves = [c for k, c in enumerate(curves) if k not in (i, j)] + [joined]


def _is_spliced(curve: TracedCurve, bands: list[_Band], others: set[int]) -> bool:
    """Whether a curve lies on one other curve up to a column and on another one after it,
    each of them apart from it on the other side (unlike curves merging into a bundle)."""
    covered = {other: _covered_by(curve, bands, {other}) for other in others}
    for first, before in covered.items():
        for second, after in covered.items():
            if first == second:
                continue
            score = np.concatenate(([0], np.cumsum(before))) + np.concatenate(
                (np.cumsum(after[::-1])[::-1], [0])
            )
            split = int(np.argmax(score))
            if (
                score[split] >= _DUPLICATE_FRACTION * curve.column.size
                and 0 < split < curve.column.size
                and before[split:].mean() <= 0.5
                and after[:split].mean() <= 0.5
            ):
                return True
    return False


def _covered_by(
    curve: TracedCurve, bands: list[_Band], others: set[int], divided: bool = False
) -> np.ndarray:
    """Per sample, whether the curve lies on one of ``others``: inside its band, or (with
    ``divided``) on a run it divided with it, as two tracks splitting one thick line do a
    line's width apart."""
    covered = np.zeros(curve.column.size, dtype=bool)
    shares = curve.shared > 1 if divided else np.zeros(curve.column.size, dtype=bool)
    for other in others:
        low, high, run = bands[other]
        covered |= (low[curve.column] <= curve.middle) & (curve.middle <= high[curve.column])
        covered |= shares & (run[curve.column] == curve.run)
    return covered


def _own_then_covered(curve: TracedCurve, covered: np.ndarray, min_columns: int) -> int | None:
    """The column where a curve, its own before, goes on lying on other curves; None unless
    both parts are long and clear."""
    n = covered.size
    split = np.arange(n + 1)
    own_before = np.concatenate(([0], np.cumsum(~covered)))
    on = np.concatenate(([0], np.cumsum(covered)))
    on_after = on[-1] - on
    clear = (
        (split >= min_columns)
        & (n - split >= min_columns)
        & (own_before >= _SPLICE_PART_FRACTION * split)
        & (on_after >= _SPLICE_PART_FRACTION * (n - split))
    )
    if not clear.any():
        return None
    best = int(np.argmax(np.where(clear, own_before + on_after, -1)))
    return int(curve.column[best - 1])


def _splice_pair(
    curves: list[TracedCurve],
    ends: list[int | None],
    starts: list[int | None],
    tolerance_px: float,
    max_gap_columns: int,
) -> tuple[int, int, int] | None:
    """The curve whose own part ends where another's own part starts, meets it there and
    goes on at its slope (of several, the one whose slope it continues best), and the column
    between the two parts where they are cut and joined."""
    best: tuple[float, int, int, int] | None = None
    for i, end in enumerate(ends):
        for j, start in enumerate(starts):
            if i == j or end is None or start is None or abs(start - end) > max_gap_columns:
                continue
            head, tail = curves[i], curves[j]
            at_end = int(np.searchsorted(head.column, end))
            at_start = int(np.searchsorted(tail.column, start))
            gap = abs(start - end)
            if abs(head.middle[at_end] - tail.middle[at_start]) > 4 * tolerance_px + gap:
                continue
            head_part = head.part(slice(0, at_end + 1))
            tail_part = tail.part(slice(at_start, None))
            cost = abs(end_slope(head_part, at_end=True) - end_slope(tail_part, at_end=False))
            if best is None or cost < best[0]:
                best = (cost, i, j, (end + start) // 2)
    return None if best is None else best[1:]


def _band(curve: TracedCurve, tolerance_px: float, width: int) -> _Band:
    """Per plot column, the rows a curve's ink covers, widened by ``tolerance_px``, and its
    run; empty (low above high, run -1) where the curve has no sample."""
    low = np.full(width, np.inf)
    high = np.full(width, -np.inf)
    run = np.full(width, -1, dtype=np.int64)
    low[curve.column] = np.minimum(curve.enter, curve.leave) - tolerance_px
    high[curve.column] = np.maximum(curve.enter, curve.leave) + tolerance_px
    run[curve.column] = curve.run
    return low, high, run


def join_at(head: TracedCurve, tail: TracedCurve, column: int) -> TracedCurve:
    """``head`` up to ``column``, then ``tail`` after it."""
    keep_head = head.column <= column
    keep_tail = tail.column > column
    return TracedCurve(
        *(
            np.concatenate((getattr(head, name)[keep_head], getattr(tail, name)[keep_tail]))
            for name in _FIELDS
        )
    )

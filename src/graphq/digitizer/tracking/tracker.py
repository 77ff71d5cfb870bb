"""Following curves column by column through touches, crossings, gaps and steep stretches.

One pass walks the columns in one direction. Each live track predicts its row from its
position and slope and takes the nearest run within a gate. Several tracks may share a run:
touching or crossing curves form one run, which is divided between them in the order of
their predictions, so a crossing swaps them exactly when their slopes say so. A lone track on
a run much taller than a line follows it as a steep stretch (entering at the end it came
from, leaving at the other) and on through the next tall runs, which overlap it shifted
the same way (a near-vertical curve); a track whose prediction falls deep inside a tall run
it does not end at is crossing a steep curve and coasts, unless the strokes of the tracks
heading into the run stack up to its height (sloping curves converging). A track that finds
nothing coasts on its slope through dash gaps and erased grid crossings, up to the plot
scale's ``max_gap`` columns (a track of a few samples, a dot or a speck, only ``young_gap``).

A curve seen from the left fans out of a bundle (output characteristics) while one seen from
the right merges into one (thermal impedance); a pass only splits bundles it walks *into*,
so the caller runs one pass each way and joins them (:mod:`graphq.digitizer.tracking.passes`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING


@dataclass
class Sample:
    """One column of a track: where the curve enters and leaves it (rows, walk order)."""

    column: int
    enter: float
    leave: float
    run: int
    shared: int

    @property
    def middle(self) -> float:
        return (self.enter + self.leave) / 2.0


@dataclass
class Track:
    y: float
    slope: float
    column: int
    samples: list[Sample] = field(default_factory=list)
    misses: int = 0

    @property
    def age(self) -> int:
        return len(self.samples)


def track_pass(
    runs: ColumnRuns, columns: range, scale: PlotScale, budget: Budget | None = None
) -> list[Track]:
    """Track every curve along ``columns`` (ascending or descending); past ``budget``, the
    tracks as far as they got."""
    live: list[Track] = []
    done: list[Track] = []
    half_width = scale.line_width_px / 2.0
    # As lists once: slicing them per column costs far less than slicing the arrays.
    all_tops, all_bottoms = runs.top.tolist(), runs.bottom.tolist()
    all_centroids, offsets = runs.centroid.tolist(), runs.offsets.tolist()
    for column in columns:
        if budget is not None and budget.spent:
            break
        ids = range(offsets[column], offsets[column + 1])
        tops = all_tops[ids.start : ids.stop]
        bottoms = all_bottoms[ids.start : ids.stop]
        centroids = all_centroids[ids.start : ids.stop]
        claims = _claim_runs(live, runs, column, tops, bottoms, centroids, scale)
        _end_young_duplicates(claims, runs, columns, column, scale)
        taken: set[int] = set()
        for index, members in claims.items():
            taken.add(index)
            top, bottom = tops[index], bottoms[index]
            if len(members) == 1 and _runs_on_flat(
                runs, members[0], columns, column, top, bottom, scale
            ):
                _coast_through(members[0], column, ids.start + index, top, bottom)
            elif len(members) == 1:
                _follow_lone(
                    members[0],
                    runs,
                    column,
                    ids.start + index,
                    top,
                    bottom,
                    centroids[index],
                    half_width,
                    scale,
                )
            else:
                _divide_shared(members, column, ids.start + index, top, bottom, scale)
        claimed = {id(track) for members in claims.values() for track in members}
        still_live: list[Track] = []
        for track in live:
            if id(track) not in claimed:
                track.misses += 1
            if track.misses > (
                scale.max_gap if track.age >= TRACKING.young_age else scale.young_gap
            ):
                done.append(track)
            else:
                still_live.append(track)
        for index in range(len(tops)):
            if index not in taken:
                still_live.append(
                    _start_track(
                        column,
                        ids.start + index,
                        tops[index],
                        bottoms[index],
                        centroids[index],
                        half_width,
                        scale,
                    )
                )
        live = still_live
    return done + live


def _predict(track: Track, column: int) -> float:
    return track.y + track.slope * abs(column - track.column)


def _gate(track: Track, column: int, scale: PlotScale) -> float:
    steps = abs(column - track.column)
    gate = scale.gate_px + 0.5 * abs(track.slope) * steps + 0.25 * (steps - 1)
    return gate + (1.5 if track.age < TRACKING.young_age else 0.0)


def _claim_runs(
    live: list[Track],
    runs: ColumnRuns,
    column: int,
    tops: list[int],
    bottoms: list[int],
    centroids: list[float],
    scale: PlotScale,
) -> dict[int, list[Track]]:
    """Each track claims its nearest run within its gate; returns run index → tracks."""
    claims: dict[int, list[Track]] = {}
    if not tops:
        return claims
    gates: dict[int, float] = {}
    nearest: dict[int, list[tuple[Track, bool]]] = {}
    for track in live:
        predicted = _predict(track, column)
        gate = _gate(track, column, scale)
        after = bisect.bisect_right(tops, predicted)
        best, best_cost = -1, gate
        for index in (after - 1, after):
            if 0 <= index < len(tops):
                distance = max(tops[index] - predicted, predicted - bottoms[index], 0.0)
                if distance <= best_cost:
                    best, best_cost = index, distance
        if best < 0:
            continue
        # Coasting past a steep curve takes a few columns; a track still inside tall runs
        # after that has bent into a steep stretch (or a bundle) and follows it.
        crossing = (
            track.misses < TRACKING.steep_patience
            and _crosses_steep_run(track, tops[best], bottoms[best], predicted, gate, scale)
            and not _on_steep_stretch(track, runs, column, tops[best], bottoms[best])
        )
        nearest.setdefault(best, []).append((track, crossing))
        gates[id(track)] = gate
    for index, candidates in nearest.items():
        merging = _bundle_fills_run(
            [track for track, _ in candidates], tops[index], bottoms[index], scale
        )
        members = [track for track, crossing in candidates if merging or not crossing]
        if members:
            claims[index] = members
    _release_to_free_runs(claims, column, tops, bottoms, centroids, gates, scale)
    return claims


def _end_young_duplicates(
    claims: dict[int, list[Track]], runs: ColumnRuns, columns: range, column: int, scale: PlotScale
) -> None:
    """End a young track that joins an older one's run where the older one already is.

    Tracks start on anything left unclaimed: a leader arrow, a curve's stroke split for a
    column by an erased grid line. Once such a track runs into a curve it follows it as a
    copy for good, and a bundle it reaches later is divided among one track too many. A young
    track crossing the older one is no copy: a curve leaving a bundle meets a leader arrow
    that started before it (at its label) and goes on, on its own line, past it.
    """
    for members in claims.values():
        if len(members) < 2:
            continue
        ranked = sorted(members, key=lambda track: -track.age)
        kept: list[Track] = []
        for track in ranked:
            predicted = _predict(track, column)
            if track.age < TRACKING.duplicate_age and any(
                older.age >= TRACKING.duplicate_age
                and abs(_predict(older, column) - predicted) <= scale.line_width_px / 2
                and not _crosses(track, older, runs, columns, column, scale)
                for older in kept
            ):
                # Unclaimed with no gap left to coast, it ends in this column.
                track.misses = scale.max_gap
                members.remove(track)
            else:
                kept.append(track)


def _crosses(
    track: Track, older: Track, runs: ColumnRuns, columns: range, column: int, scale: PlotScale
) -> bool:
    """Whether ``track``'s line goes on, thin and apart from ``older``'s, just past the run
    they share: in at least ``flat_evidence`` of the next ``crossing_lookahead`` columns where
    their lines are a stroke apart, a thin run lies where ``track`` is heading and not on
    ``older``'s line. A copy keeps to the older line; a leader arrow ends on it."""
    found = 0
    for ahead in range(1, TRACKING.crossing_lookahead + 1):
        later = column + ahead * columns.step
        if later not in columns:
            break
        mine, theirs = _predict(track, later), _predict(older, later)
        if abs(mine - theirs) <= scale.line_width_px:
            continue
        ids = runs.in_column(later)
        tops = runs.top[ids.start : ids.stop]
        bottoms = runs.bottom[ids.start : ids.stop]
        near = np.maximum(tops - mine, mine - bottoms) <= _gate(track, later, scale)
        apart = np.maximum(tops - theirs, theirs - bottoms) > scale.line_width_px
        thin = bottoms - tops + 1 <= scale.steep_height_px
        found += bool((near & apart & thin).any())
    return found >= TRACKING.flat_evidence


def _bundle_fills_run(tracks: list[Track], top: int, bottom: int, scale: PlotScale) -> bool:
    """Whether several tracks heading into one tall run account for all of its height.

    Sloping curves that converge (output curves towards the origin) meet in a run as tall
    as their strokes stacked, each a line width plus its slope; a steep curve that flat
    tracks cross is far taller than their strokes.
    """
    if len(tracks) < 2:
        return False
    stacked = sum(scale.line_width_px + abs(track.slope) for track in tracks)
    return bottom - top + 1 <= stacked + scale.line_width_px


def _crosses_steep_run(
    track: Track,
    top: int,
    bottom: int,
    predicted: float,
    gate: float,
    scale: PlotScale,
) -> bool:
    """A flat track meeting a tall run far from both its ends is crossing a steep curve."""
    if bottom - top + 1 <= scale.steep_height_px:
        return False
    near_end = min(abs(track.y - top), abs(track.y - bottom)) <= gate
    return not near_end and top + gate < predicted < bottom - gate


def _on_steep_stretch(track: Track, runs: ColumnRuns, column: int, top: int, bottom: int) -> bool:
    """Whether a track on a steep stretch in the last column meets its next tall run.

    The runs of a near-vertical curve overlap from column to column, both ends shifted the
    same way by several rows; those of a vertical line (a box's side, a letter's stem) do
    not shift, and the merged run of two shallow curves crossing shifts little.
    """
    last = track.samples[-1]
    if abs(column - last.column) != 1 or last.enter == last.leave:
        return False
    last_top, last_bottom = int(runs.top[last.run]), int(runs.bottom[last.run])
    shift_top, shift_bottom = top - last_top, bottom - last_bottom
    steep = min(abs(shift_top), abs(shift_bottom)) >= TRACKING.steep_shift_px
    return top <= last_bottom and bottom >= last_top and shift_top * shift_bottom > 0 and steep


def _release_to_free_runs(
    claims: dict[int, list[Track]],
    column: int,
    tops: list[int],
    bottoms: list[int],
    centroids: list[float],
    gates: dict[int, float],
    scale: PlotScale,
) -> None:
    """A track sharing a run no taller than one line moves to an unclaimed run in its gate.

    Two tracks whose predictions both lean to one of two neighbouring curves would otherwise
    share it and leave the other curve to a new track.
    """
    for index in range(len(tops)):
        if index in claims:
            continue
        best: tuple[float, int, Track] | None = None
        for other, members in claims.items():
            height = bottoms[other] - tops[other] + 1
            if len(members) < 2 or height > len(members) * scale.line_width_px + 1:
                continue
            for track in members:
                predicted = _predict(track, column)
                distance = max(tops[index] - predicted, predicted - bottoms[index], 0.0)
                if distance <= gates[id(track)] and (best is None or distance < best[0]):
                    best = (distance, other, track)
        if best is not None:
            _, other, track = best
            claims[other].remove(track)
            claims[index] = [track]


def _follow_lone(
    track: Track,
    runs: ColumnRuns,
    column: int,
    run: int,
    top: int,
    bottom: int,
    centroid: float,
    half_width: float,
    scale: PlotScale,
) -> None:
    steps = max(1, abs(column - track.column))
    if bottom - top + 1 > scale.steep_height_px and _on_steep_stretch(
        track, runs, column, top, bottom
    ):
        # Inside a steep stretch the centre line moves as the runs' middles do.
        middle = (top + bottom) / 2.0
        track.slope = middle - track.samples[-1].middle
        enter, leave = middle - track.slope / 2.0, middle + track.slope / 2.0
    elif bottom - top + 1 > scale.steep_height_px:
        upper, lower = top + half_width - 0.5, bottom - half_width + 0.5
        enter, leave = (
            (upper, lower) if abs(track.y - upper) <= abs(track.y - lower) else (lower, upper)
        )
        track.slope = (leave - track.y) / steps
    else:
        enter = leave = centroid
        measured = (centroid - track.y) / steps
        gain = 1.0 if track.age < 2 else TRACKING.lone_gain
        track.slope += gain * (measured - track.slope)
    track.samples.append(Sample(column, enter, leave, run, 1))
    track.y, track.column, track.misses = leave, column, 0


def _runs_on_flat(
    runs: ColumnRuns,
    track: Track,
    columns: range,
    column: int,
    top: int,
    bottom: int,
    scale: PlotScale,
) -> bool:
    """A tall run at one end of a flat track whose line goes on, thin, just beyond it.

    A leader arrow or a steep curve touching a flat curve from one side makes a tall run
    that starts at the track; a curve that really turns steep leaves no thin run ahead
    where the track was heading.
    """
    if bottom - top + 1 <= scale.steep_height_px:
        return False
    found = 0
    for ahead in range(1, TRACKING.flat_lookahead + 1):
        later = column + ahead * columns.step
        if later not in columns:
            break
        predicted = _predict(track, later)
        ids = runs.in_column(later)
        tops = runs.top[ids.start : ids.stop]
        bottoms = runs.bottom[ids.start : ids.stop]
        near = np.maximum(tops - predicted, predicted - bottoms) <= _gate(track, later, scale)
        thin = bottoms - tops + 1 <= scale.steep_height_px
        found += bool((near & thin).any())
    return found >= TRACKING.flat_evidence


def _coast_through(track: Track, column: int, run: int, top: int, bottom: int) -> None:
    """Keep a flat track on its line across a tall run that only touches it."""
    row = min(max(_predict(track, column), top - 0.5), bottom + 0.5)
    track.samples.append(Sample(column, row, row, run, 2))
    track.y, track.column, track.misses = row, column, 0


def _divide_shared(
    members: list[Track], column: int, run: int, top: int, bottom: int, scale: PlotScale
) -> None:
    """Split a run among the tracks in it, in the order their predictions say.

    Each track's own state keeps extrapolating its slope inside the run (clamped to it):
    the division is forced into order, so feeding it back would make two curves that cross
    at a shallow angle bounce off each other instead. A run far taller than the tracks'
    strokes stacked holds more than them (a vertical line their crossing touches): each
    stays where it was heading, rather than being spread down the line.
    """
    predictions = {id(track): _predict(track, column) for track in members}
    members.sort(key=lambda track: predictions[id(track)])
    share = (bottom - top + 1) / len(members)
    spread = _bundle_fills_run(members, top, bottom, scale)
    for order, track in enumerate(members):
        inside = min(max(predictions[id(track)], top - 0.5), bottom + 0.5)
        position = top - 0.5 + (order + 0.5) * share if spread else inside
        steps = max(1, abs(column - track.column))
        track.slope += TRACKING.shared_gain * ((inside - track.y) / steps - track.slope)
        track.samples.append(Sample(column, position, position, run, len(members)))
        track.y, track.column, track.misses = inside, column, 0


def _start_track(
    column: int,
    run: int,
    top: int,
    bottom: int,
    centroid: float,
    half_width: float,
    scale: PlotScale,
) -> Track:
    track = Track(y=centroid, slope=0.0, column=column)
    if bottom - top + 1 > scale.steep_height_px:
        track.samples.append(
            Sample(column, top + half_width - 0.5, bottom - half_width + 0.5, run, 1)
        )
    else:
        track.samples.append(Sample(column, centroid, centroid, run, 1))
    return track

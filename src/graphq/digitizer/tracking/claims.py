"""Which run each live track takes in a column.

Each track claims the nearest run within its gate; several may claim one run (touching or
crossing curves). A track whose prediction falls deep inside a tall run it does not end at
is crossing a steep curve and lets it pass, unless the tracks heading into the run fill its
height (sloping curves converging). A young track that joins an older one's line where the
older one already is gives it up for good, and a track sharing a run no taller than their
strokes moves to a free run in its gate.
"""

from __future__ import annotations

import bisect

import numpy as np

from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tall_runs import (
    bundle_fills_run,
    crosses_steep_run,
    on_steep_stretch,
)
from graphq.digitizer.tracking.track_state import Track, gate_at, predict


def claim_runs(
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
        predicted = predict(track, column)
        gate = gate_at(track, column, scale)
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
            and crosses_steep_run(track, tops[best], bottoms[best], predicted, gate, scale)
            and not on_steep_stretch(track, runs, column, tops[best], bottoms[best])
        )
        nearest.setdefault(best, []).append((track, crossing))
        gates[id(track)] = gate
    for index, candidates in nearest.items():
        merging = bundle_fills_run(
            [track for track, _ in candidates], tops[index], bottoms[index], scale
        )
        members = [track for track, crossing in candidates if merging or not crossing]
        if members:
            claims[index] = members
    _release_to_free_runs(claims, column, tops, bottoms, centroids, gates, scale)
    return claims


def end_young_duplicates(
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
            predicted = predict(track, column)
            if track.age < TRACKING.duplicate_age and any(
                older.age >= TRACKING.duplicate_age
                and abs(predict(older, column) - predicted) <= scale.line_width_px / 2
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
        mine, theirs = predict(track, later), predict(older, later)
        if abs(mine - theirs) <= scale.line_width_px:
            continue
        ids = runs.in_column(later)
        tops = runs.top[ids.start : ids.stop]
        bottoms = runs.bottom[ids.start : ids.stop]
        near = np.maximum(tops - mine, mine - bottoms) <= gate_at(track, later, scale)
        apart = np.maximum(tops - theirs, theirs - bottoms) > scale.line_width_px
        thin = bottoms - tops + 1 <= scale.steep_height_px
        found += bool((near & apart & thin).any())
    return found >= TRACKING.flat_evidence


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
                predicted = predict(track, column)
                distance = max(tops[index] - predicted, predicted - bottoms[index], 0.0)
                if distance <= gates[id(track)] and (best is None or distance < best[0]):
                    best = (distance, other, track)
        if best is not None:
            _, other, track = best
            claims[other].remove(track)
            claims[index] = [track]

"""Tracking both ways, and joining the tracks of the two passes into curves.

A pass only splits bundles it walks *into* (:mod:`graphq.digitizer.tracking.tracker`): curves
fan out of a bundle seen from the left (output characteristics) and merge into one seen from the
right (thermal impedance), so every plot is tracked both ways. Tracks of the two passes that
claimed the same lone runs are one curve seen from both sides; their union keeps, per column,
the sample that divided its run among the most tracks (a bundle seen from the side where its
curves are told apart); :mod:`graphq.digitizer.tracking.linking` then joins the fragments of one
curve.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracker import track_pass
from graphq.digitizer.tracking.tracks import TracedCurve, to_curve, unite


def track_both_ways(
    runs: ColumnRuns,
    scale: PlotScale,
    budget: Budget | None = None,
    bands: np.ndarray | None = None,
) -> list[TracedCurve]:
    """The curves of one pass left to right and one right to left, joined; past ``budget``
    the tracks as far as they got. ``bands``: the columns of erased grid bands a curve may run
    through unseen (:func:`graphq.digitizer.tracking.tracker.track_pass`)."""
    forward = [to_curve(t) for t in track_pass(runs, range(scale.columns), scale, budget, bands)]
    backward = [
        to_curve(t)
        for t in track_pass(runs, range(scale.columns - 1, -1, -1), scale, budget, bands)
    ]
    return join_passes(forward, backward, scale.gate_px)


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


def _agree(a: TracedCurve, b: TracedCurve, tolerance_px: float) -> bool:
    # A traced curve has one sample per column, ascending: no column repeats.
    common, ia, ib = np.intersect1d(a.column, b.column, assume_unique=True, return_indices=True)
    if common.size == 0:
        return False
    close = np.abs(a.middle[ia] - b.middle[ib]) <= tolerance_px
    return bool(close.mean() >= TRACKING.agreement)

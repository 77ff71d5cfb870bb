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
scale's ``max_gap`` columns (a track of a few samples, a dot or a speck, only ``young_gap``);
columns of a band of erased grid lines (``bands``) do not count towards that, up to
``max_hidden_gap`` columns in all: on a grid as dark as the curves, crowded into bands at each
log decade's end, a curve is seen only between the bands.

A curve seen from the left fans out of a bundle (output characteristics) while one seen from
the right merges into one (thermal impedance); a pass only splits bundles it walks *into*,
so the caller runs one pass each way and joins them (:mod:`graphq.digitizer.tracking.passes`).

The walk is here; a track's state is :mod:`~graphq.digitizer.tracking.track_state`, the runs
it claims :mod:`~graphq.digitizer.tracking.claims`, what a tall run is to it
:mod:`~graphq.digitizer.tracking.tall_runs`, and the step it takes
:mod:`~graphq.digitizer.tracking.steps`.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.claims import claim_runs, end_young_duplicates
from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.steps import coast_through, divide_shared, follow_lone, start_track
from graphq.digitizer.tracking.tall_runs import runs_on_flat
from graphq.digitizer.tracking.track_state import Track, predict


def track_pass(
    runs: ColumnRuns,
    columns: range,
    scale: PlotScale,
    budget: Budget | None = None,
    bands: np.ndarray | None = None,
) -> list[Track]:
    """Track every curve along ``columns`` (ascending or descending); past ``budget``, the
    tracks as far as they got. ``bands`` marks the plot columns of bands of erased vertical
    grid lines (:func:`graphq.digitizer.tracking.stage.grid_bands`), where a curve may run
    unseen."""
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
        claims = claim_runs(live, runs, column, tops, bottoms, centroids, scale)
        end_young_duplicates(claims, runs, columns, column, scale)
        taken: set[int] = set()
        for index, members in claims.items():
            taken.add(index)
            top, bottom = tops[index], bottoms[index]
            if len(members) == 1 and runs_on_flat(
                runs, members[0], columns, column, top, bottom, scale
            ):
                coast_through(members[0], column, ids.start + index, top, bottom)
            elif len(members) == 1:
                follow_lone(
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
                divide_shared(members, column, ids.start + index, top, bottom, scale)
        claimed = {id(track) for members in claims.values() for track in members}
        still_live: list[Track] = []
        for track in live:
            if id(track) not in claimed and not _in_band(track, column, bands, scale):
                track.misses += 1
            if (
                track.misses
                > (scale.max_gap if track.age >= TRACKING.young_age else scale.young_gap)
                or abs(column - track.column) > scale.max_hidden_gap
            ):
                done.append(track)
            else:
                still_live.append(track)
        for index in range(len(tops)):
            if index not in taken:
                still_live.append(
                    start_track(
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


def _in_band(track: Track, column: int, bands: np.ndarray | None, scale: PlotScale) -> bool:
    """Whether a track of some age, heading into the plot, is in a column of an erased grid
    band: its curve may be there, unseen."""
    if bands is None or track.age < TRACKING.young_age or not bands[column]:
        return False
    reach = scale.line_width_px / 2.0 + 1.0
    return bool(-reach <= predict(track, column) < scale.rows + reach)

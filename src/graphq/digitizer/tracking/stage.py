"""The tracking stage: a plot's curve ink, as column runs, to curves.

Each step is its own module: tracking both ways and joining the passes
(:mod:`~graphq.digitizer.tracking.passes`), cutting tracks that turned at a junction onto a
line passing through it (:mod:`~graphq.digitizer.tracking.junctions`), linking fragments
across gaps and hidden bends (:mod:`~graphq.digitizer.tracking.linking`), cutting off the
label pointers a track ran on into (:mod:`~graphq.digitizer.tracking.pointer_tails`),
dropping duplicates
(:mod:`~graphq.digitizer.tracking.duplicates`) and splices
(:mod:`~graphq.digitizer.tracking.spliced`), and re-pairing curves at crossings
(:mod:`~graphq.digitizer.tracking.crossings`), and carrying ends hidden under labels on to the
frame (:mod:`~graphq.digitizer.tracking.hidden_ends`). Every step stops at the budget and passes
on what it has, so the stage as a whole does.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.preprocessing.lines import Line
from graphq.digitizer.stretches import true_stretches
from graphq.digitizer.tracking.corners import link_corners
from graphq.digitizer.tracking.crossings import uncross
from graphq.digitizer.tracking.duplicates import drop_duplicates, drop_redundant
from graphq.digitizer.tracking.hidden_ends import extend_under_labels
from graphq.digitizer.tracking.junctions import split_at_junctions
from graphq.digitizer.tracking.linking import link_fragments
from graphq.digitizer.tracking.passes import track_both_ways
from graphq.digitizer.tracking.pointer_tails import cut_pointer_tails
from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.spliced import drop_spliced
from graphq.digitizer.tracking.tracks import TracedCurve
from graphq.review import Review


def find_curves(
    runs: ColumnRuns,
    scale: PlotScale,
    under_labels: np.ndarray | None,
    image: np.ndarray,
    budget: Budget | None = None,
    grid_columns: np.ndarray | None = None,
) -> tuple[list[TracedCurve], list[TracedCurve], Review]:
    """The curves in ``runs``, every linked track before duplicates were dropped (where a
    piece of a curve lost at a meeting point is looked for), and a review reason per end
    carried on under a label to the frame (:func:`extend_under_labels`), where no ink was
    seen.

    ``under_labels`` is where text and boxes covered the plot (a curve's gap there is
    believable however long); ``image`` the plot's RGB pixels, whose colours tell crossing
    curves apart; ``grid_columns`` the columns whose vertical grid line was erased
    (:func:`grid_columns`), which a curve's gap may span as wide as they are, and whose bands
    (:func:`grid_bands`) a track coasts through.
    """
    bands = None if grid_columns is None else grid_bands(grid_columns, scale)
    curves = track_both_ways(runs, scale, budget, bands)
    curves = split_at_junctions(curves, runs, scale, budget)
    curves = link_fragments(curves, scale, under_labels, budget, grid_columns)
    tracks = link_corners(curves, scale, budget)
    curves = cut_pointer_tails(tracks, scale, under_labels)
    curves = drop_duplicates(curves, scale, budget=budget)
    curves = drop_duplicates(curves, scale, longest_first=True, budget=budget)
    curves = drop_spliced(curves, scale, budget)
    curves = uncross(curves, scale, image, budget)
    curves = drop_redundant(curves, scale, budget)
    carried = extend_under_labels(curves, scale, under_labels, budget)
    return carried.curves, tracks, carried.review


def grid_columns(vertical: list[Line], columns: int) -> np.ndarray:
    """Per plot column, whether grid removal erased a vertical line there (with the
    anti-aliased column either side, erased with it)."""
    erased = np.zeros(columns, dtype=bool)
    for line in vertical:
        erased[max(0, line.first - 1) : max(0, line.last + 2)] = True
    return erased


def grid_bands(erased: np.ndarray, scale: PlotScale) -> np.ndarray:
    """Per plot column, whether it lies in a band of erased grid columns wider than
    ``band_dot_gaps`` dot gaps: crowded lines fused (a log decade's end), not a lone line."""
    starts, stops = true_stretches(erased)
    wide = stops - starts > TRACKING.band_dot_gaps * scale.dot_gap
    marks = np.zeros(erased.size + 1, dtype=np.int64)
    marks[starts[wide]] = 1
    marks[stops[wide]] = -1
    return np.cumsum(marks[:-1]) > 0

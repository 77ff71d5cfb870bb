"""Traces that are pieces of grid lines broken by labels, not curves.

A label or note box with a white background laid over a grid line cuts it into pieces. Where
the grid stage cannot place those pieces (an unevenly drawn vendor grid, a label's glyphs
touching the line's end so that ink seems to run on), they reach the tracker, which follows
them as a dead-flat curve from the frame to the label, or links them across it. A curve is
never like that: a flat stretch of a real curve ends by bending away, not at a frame edge on
one side and a label's blank on the other, and it is drawn heavier than the grid: a flat curve
broken by its own label, as heavy as the other curves, stays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.strays.frame_reach import ends_at_frame
from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve


@dataclass(frozen=True)
class GridRemnantSettings:
    """Tunables of grid remnants, each with its reason."""

    # A remnant's rows stay within this many px of their median (plus half a line width: a
    # thick line's centre wanders by a row where it straddles two) ...
    flat_px: float = 1.0
    # ... over this fraction of its samples (where the trace crossed a label it picked up
    # strokes of the glyphs).
    flat_fraction: float = 0.85
    # An end within this fraction of the plot's width of the frame (or the tracking stage's
    # reach, if further) starts there: inward ticks and the frame's fringe are erased with the
    # frame.
    frame_reach_fraction: float = 0.03
    # An end "stops at a label" when the label's cover lies within this many px beyond it.
    label_reach_px: int = 3
    # A gap between samples wider than this many px is one the trace jumped (a label's blank).
    jump_px: int = 3
    # A remnant jumps at most this many gaps no label covers: a solid grid line has none, a
    # dashed or dotted curve (flat Ciss ending at its label) one per dash.
    max_open_jumps: int = 2
    # A remnant's ink per column (its runs' mass) is at most this fraction of the lightest
    # other curve's: vendor grids are drawn thinner or paler than all their curves (one drawn
    # as heavy is left to the grid stage, which sees the whole grid), where a flat curve broken
    # by its label is as heavy as some curve.
    max_mass_ratio: float = 0.8
    # A curve's ink is measured where it runs alone, unless it does so in fewer than this
    # share of its columns (a curve inside a bundle): a few lone samples are no fair measure
    # (one nicked column of 834 put a 6 px black curve at 0.8), so then all its runs are.
    min_alone_share: float = 0.1


GRID_REMNANTS = GridRemnantSettings()


def drop_grid_remnants(
    curves: list[TracedCurve],
    runs: ColumnRuns,
    under_labels: np.ndarray,
    line_width_px: float,
    settings: GridRemnantSettings = GRID_REMNANTS,
) -> list[TracedCurve]:
    """``curves`` without the flat traces that run from the frame or a label to the frame or
    a label, a label interrupting them at one end or inside (``under_labels``: where labels and
    boxes covered the plot), drawn lighter than the other curves (``runs``: the runs traced).
    A flat line from frame to frame that no label touches stays: saturated output curves are
    drawn so, as light as the others."""
    shaped = [_shaped_like_remnant(c, under_labels, line_width_px, settings) for c in curves]
    others = [_mass(c, runs, settings) for c, s in zip(curves, shaped, strict=True) if not s]
    if not any(shaped) or not others:
        return curves
    limit = settings.max_mass_ratio * min(others)
    return [
        c
        for c, s in zip(curves, shaped, strict=True)
        if not (s and _mass(c, runs, settings) <= limit)
    ]


def _mass(curve: TracedCurve, runs: ColumnRuns, settings: GridRemnantSettings) -> float:
    """Median ink per column of a curve where it runs alone (its width times its darkness)."""
    alone = curve.run[curve.shared == 1]
    fair = alone.size and alone.size >= settings.min_alone_share * curve.run.size
    return float(np.median(runs.mass[alone if fair else curve.run]))


def lies_flat(
    curve: TracedCurve, line_width_px: float, settings: GridRemnantSettings = GRID_REMNANTS
) -> bool:
    """Whether a trace keeps to one row, as a grid line does (``flat_px``, ``flat_fraction``)."""
    rows = curve.middle
    if rows.size < 2:
        return False
    flat = np.abs(rows - float(np.median(rows))) <= settings.flat_px + 0.5 * line_width_px
    return bool(flat.mean() >= settings.flat_fraction)


def _shaped_like_remnant(
    curve: TracedCurve,
    under_labels: np.ndarray,
    line_width_px: float,
    settings: GridRemnantSettings,
) -> bool:
    if not lies_flat(curve, line_width_px, settings):
        return False
    median = float(np.median(curve.middle))
    height, width = under_labels.shape
    row = int(np.clip(round(median), 0, height - 1))
    first, last = int(curve.column[0]), int(curve.column[-1])
    reach = settings.label_reach_px
    at_label_start = under_labels[row, max(0, first - reach) : first + 1].any()
    at_label_end = under_labels[row, last : last + reach + 1].any()
    frame_reach = max(TRACKING.frame_reach_px, settings.frame_reach_fraction * width)
    at_frame_start, at_frame_end = ends_at_frame(curve, under_labels.shape, frame_reach)
    if not ((at_frame_start or at_label_start) and (at_frame_end or at_label_end)):
        return False
    jumps = np.flatnonzero(np.diff(curve.column) > settings.jump_px)
    covered = [under_labels[row, curve.column[k] + 1 : curve.column[k + 1]].any() for k in jumps]
    if len(covered) - sum(covered) > settings.max_open_jumps:
        return False
    across_label = any(covered)
    return bool(at_label_start or at_label_end or across_label)

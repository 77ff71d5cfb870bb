"""The axis maps a graph's curves are read by: the given ranges, checked against the ticks.

Each axis's range is first mapped evenly onto the frame (:func:`build_calibration`). Where
the frame's tick marks stand at the round values that map gives (almost every graph a
program drew), it stands, at the cost of a few array operations. Where they stand off it,
the tick labels are read (:mod:`graphq.digitizer.axes.tick_labels`, one tesseract run for both
axes) and judged against the range (:mod:`graphq.digitizer.axes.uneven_axes`): a hand-drawn axis
is mapped piecewise between its labels, and a range the labels cannot confirm is kept with
an ``axis_unread`` review note. Explicit calibration ticks are the user's own map and are
taken as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from graphq.datasheet.axes import AxisSettings, tick_label_positions
from graphq.digitizer.axes.autocal import frame_ticks
from graphq.digitizer.axes.calibration import PlotCalibration, build_calibration
from graphq.digitizer.axes.tick_agreement import ticks_agree
from graphq.digitizer.axes.tick_labels import read_tick_labels
from graphq.digitizer.axes.uneven_axes import AxisVerdict, judge_axis
from graphq.digitizer.types import GraphMeta
from graphq.review import Review

# A label read by OCR stands centred on its tick to a pixel or so; it is moved onto a tick
# only that close (a fraction of its glyph height): a glyph's stem beside the edge, a box's
# side or a curve passes for a tick further off, and would move the label onto it.
LABEL_PLACING = AxisSettings(tick_reach_em=0.3)
# Ticks standing off the even map show an uneven axis by themselves, with no labels read to
# confirm it, when at least this many are seen (the edges' among them): a hand-drawn axis's
# grid or ticks, not three strokes that happen to lie by the edge.
SURE_TICKS = 7


@dataclass(frozen=True)
class TickCalibration:
    """The axis maps, the warnings that say an axis was mapped by its labels, and the review
    of axes whose labels could not confirm the given range."""

    calibration: PlotCalibration
    warnings: list[str] = field(default_factory=list)
    review: Review = field(default_factory=Review)


def calibrate_by_ticks(
    ink: np.ndarray, meta: GraphMeta, plot_area: list[float], glyph_px: float | None
) -> TickCalibration:
    """The maps of both axes of the graph whose frame is ``plot_area``, in darkness ``ink``;
    ``glyph_px`` is the tick labels' height (None: none measured, so none can be read)."""
    given = build_calibration(meta, plot_area)
    if meta.calibration is not None:
        return TickCalibration(given)
    x0, y0, x1, y1 = plot_area
    x_ticks, y_ticks = frame_ticks(ink, plot_area)
    checks = (
        ("x", meta.axes.x, (x0, x1), x_ticks),
        ("y", meta.axes.y, (y1, y0), y_ticks),
    )
    off = [ticks_agree(ticks, edges, axis) is False for _, axis, edges, ticks in checks]
    if not any(off):
        return TickCalibration(given)
    wanted = (off[0], off[1])
    words = read_tick_labels(ink, plot_area, glyph_px, wanted=wanted) if glyph_px else ([], [])
    box = (x0, y0, x1, y1)
    verdicts: list[AxisVerdict] = []
    for (name, axis, edges, ticks), stands_off, read in zip(checks, off, words, strict=True):
        if not stands_off:
            verdicts.append(AxisVerdict(given.x if name == "x" else given.y))
            continue
        labels = tick_label_positions(name, read, box, ticks, LABEL_PLACING)
        verdict = judge_axis(name, labels, axis, edges)
        if verdict.note is not None and len(labels) < 2 and len(ticks) < SURE_TICKS:
            # Too few ticks to show an uneven axis alone (a glyph's stem or a curve passes
            # for one), and no labels to show it: nothing says the range is off.
            verdict = AxisVerdict(verdict.map)
        verdicts.append(verdict)
    review = Review()
    for verdict in verdicts:
        if verdict.note is not None:
            review.add(verdict.note.code, verdict.note.message)
    return TickCalibration(
        PlotCalibration(verdicts[0].map, verdicts[1].map),
        [v.warning for v in verdicts if v.warning],
        review,
    )

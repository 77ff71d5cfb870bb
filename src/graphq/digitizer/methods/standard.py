"""The ``standard`` method: frame → grid → boxes and text → tracking → pale curves → curves.

A curve's confidence is calibrated from its tracking evidence and its label's
(:mod:`graphq.digitizer.confidence`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from graphq.digitizer.axes.frame import LINE_INK_THRESHOLD, find_frame
from graphq.digitizer.budget import Budget
from graphq.digitizer.confidence import curve_confidences
from graphq.digitizer.labels.naming import count_review, order_top_to_bottom
from graphq.digitizer.preprocessing.boxes import erase_boxes, find_boxes
from graphq.digitizer.preprocessing.colors import colour_ink
from graphq.digitizer.preprocessing.grid import remove_grid
from graphq.digitizer.preprocessing.ink import chroma, curve_threshold, darkness, local_peak
from graphq.digitizer.preprocessing.text import remove_text, text_height_px
from graphq.digitizer.preprocessing.ticks import erase_ticks
from graphq.digitizer.strays.frame_reach import ends_at_frame, leaves_frame
from graphq.digitizer.strays.grid_remnants import drop_grid_remnants, lies_flat
from graphq.digitizer.strays.label_chains import cut_label_chains
from graphq.digitizer.strays.note_areas import drop_note_traces, knocked_out
from graphq.digitizer.strays.text_traces import drop_text_traces
from graphq.digitizer.tracking.faint import faint_curves
from graphq.digitizer.tracking.hooks import unhook
from graphq.digitizer.tracking.meetings import untangle_meeting
from graphq.digitizer.tracking.merged import extend_into_bundles, split_merged
from graphq.digitizer.tracking.resample import curve_points
from graphq.digitizer.tracking.runs import column_runs, single_line_width
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.stage import find_curves, grid_columns
from graphq.digitizer.tracking.tracks import TracedCurve, seen_columns
from graphq.digitizer.types import Curve, DigitizeResult, GraphMeta, ProgressCallback
from graphq.errors import GraphqError
from graphq.review import Review, ReviewReason


@dataclass(frozen=True)
class StandardSettings:
    """The standard method's tunables, each with its reason; the tracking stage's own are in
    :class:`graphq.digitizer.tracking.settings.TrackingSettings`, the CPU budget's in
    :class:`graphq.digitizer.budget.BudgetSettings`."""

    # Graphs whose curves, one per temperature, all cross at one point (the temperature-
    # compensation point of transfer curves).
    crossing_families: tuple[str, ...] = ("transfer",)
    # Curve ink is at least this dark (and a fraction of the darkest ink nearby).
    min_curve_ink: float = 0.2
    # Without tick labels to measure, a glyph is about this fraction of the plot's height.
    label_fraction: float = 0.02
    # A curve is at least this long (fraction of the plot's mean side) to count.
    min_curve_length_fraction: float = 0.08
    # ... spans at least this fraction of the plot's width (a leader arrow, a legend's line
    # sample or a letter's stem is short; even a near-vertical transfer curve bends over) ...
    min_curve_span_fraction: float = 0.04
    # ... and its ink is seen in at least this fraction of the columns it spans, counting the
    # gaps between the dots of a dotted curve as seen (up to the tracking stage's
    # ``dot_gap_line_widths``), and its gaps that erased vertical grid lines fill (a trace
    # keeping to one row excepted: a horizontal grid line's remnant is cut just so).
    min_seen_fraction: float = 0.5
    # A curve narrower than this fraction of the plot's width must reach the frame (a curve
    # leaving through the top edge); one floating inside is an arrow or a legend sample.
    min_free_span_fraction: float = 0.2
    # Graphs whose curves all run along the bottom frame line below their threshold
    # (transfer curves): sharing the frame line's ink there, their tracks splice, so the
    # stretches of a curve's ends lying on the frame line are cut off. Elsewhere a curve
    # sinking onto the frame line (a derating line, Crss at high voltage) is followed there.
    frame_floor_families: tuple[str, ...] = ("transfer",)
    # A curve's centre line this many px beyond its half width from the frame line lies on it.
    on_frame_px: float = 1.0
    # A curve that lies on the top or bottom frame line over this fraction of its columns is
    # left-over frame.
    max_on_frame_fraction: float = 0.8


STANDARD = StandardSettings()


def _no_progress(fraction: float, step: str) -> None:
    del fraction, step


def digitize_standard(
    image: np.ndarray,
    meta: GraphMeta,
    progress: ProgressCallback | None = None,
    budget: Budget | None = None,
) -> DigitizeResult:
    """Curves of the image. Past ``budget`` the refining stages are left out and the curves
    found so far are returned, marked for review."""
    report = progress or _no_progress
    budget = budget or Budget.unlimited()
    review = Review()
    warnings: list[str] = []
    ink = darkness(image)
    report(0.05, "detecting plot frame")
    if meta.plot_area:
        plot_area = list(meta.plot_area)
    else:
        frame = find_frame(ink)
        plot_area = frame.box
        if not frame.closed:
            review.add(
                ReviewReason.FRAME_UNCERTAIN,
                "no box around the plot: the frame was taken from the two axis lines, and "
                "the axis range to end where they end",
            )
    height, width = ink.shape
    x0, y0, x1, y1 = plot_area
    # The frame lines sit on the crop's border, where grid removal erases them; ticks and
    # labels outside the frame stay out.
    left, top = max(0, round(x0)), max(0, round(y0))
    right, bottom = min(width, round(x1) + 1), min(height, round(y1) + 1)
    # A yellow curve is barely darker than a grey grid line yet far more colourful than
    # anything else on the page, so colour counts as ink too.
    plot_image = image[top:bottom, left:right]
    plot_chroma = chroma(plot_image)
    plot_ink = np.maximum(ink[top:bottom, left:right], plot_chroma)
    if meta.colors:
        plot_ink = np.maximum.reduce([colour_ink(plot_image, c) for c in meta.colors])

    report(0.2, "removing grid")
    cleaned, horizontal, vertical = remove_grid(plot_ink, plot_chroma)
    threshold = _curve_threshold(cleaned)
    if threshold is None:
        raise GraphqError("NO_CURVES_FOUND", "no curve ink inside the plot frame")
    line_width = single_line_width(column_runs(cleaned, threshold))
    report(0.3, "removing text and boxes")
    text_px = text_height_px(ink, plot_area)
    # Imported here: the tick labels are placed by the datasheet reader's axis reading, whose
    # package imports the digitizer.
    from graphq.digitizer.axes.tick_calibration import calibrate_by_ticks

    axes = calibrate_by_ticks(ink, meta, plot_area, text_px)
    calibration = axes.calibration
    warnings.extend(axes.warnings)
    review.extend(axes.review)
    min_box_side = max(8.0, 1.2 * text_px) if text_px else max(8.0, 0.03 * (bottom - top))
    boxes = find_boxes(cleaned > threshold, min_box_side, line_width)
    erase_boxes(cleaned, boxes, margin_px=round(line_width) + 1)
    boxed = cleaned
    cleaned = remove_text(boxed, threshold, line_width, text_px)
    glyph_px = text_px if text_px else STANDARD.label_fraction * (bottom - top)
    under_labels = _under_labels(boxed > threshold, cleaned > threshold, boxes, glyph_px)
    cleaned = erase_ticks(cleaned, threshold, line_width)

    report(0.4, "separating curves")
    # The searching stages stop early enough for the result to be finished in the budget.
    search = budget.share()
    runs = column_runs(cleaned, threshold)
    plot_columns = right - left
    scale = PlotScale(line_width, text_px, plot_columns, bottom - top)
    erased = grid_columns(vertical, plot_columns)
    curves, tracks, carried = find_curves(runs, scale, under_labels, plot_image, search, erased)
    warnings.extend(note.message for note in carried.reasons)
    review.extend(carried)
    mean_side = ((x1 - x0) + (y1 - y0)) / 2.0
    curves = [
        c
        for c in curves
        if c.arc_length_px >= STANDARD.min_curve_length_fraction * mean_side
        and c.span >= STANDARD.min_curve_span_fraction * plot_columns
        and seen_columns(c, scale.dot_gap, *_explaining(c, erased, line_width))
        >= STANDARD.min_seen_fraction * c.span
        and (
            c.span >= STANDARD.min_free_span_fraction * plot_columns
            or any(ends_at_frame(c, cleaned.shape))
        )
        and not _along_frame(c, cleaned.shape[0])
    ]
    if meta.graph_type in STANDARD.frame_floor_families:
        reach_px = line_width / 2 + STANDARD.on_frame_px
        curves = [_off_frame(c, cleaned.shape[0], reach_px) for c in curves]
    curves = drop_grid_remnants(curves, runs, under_labels, line_width)
    ruled = plot_ink > LINE_INK_THRESHOLD
    curves = drop_text_traces(curves, glyph_px, line_width, ruled)
    curves = drop_note_traces(curves, knocked_out(ruled, horizontal, vertical, glyph_px), glyph_px)
    if meta.graph_type in STANDARD.crossing_families:
        curves = untangle_meeting(curves, tracks, scale, plot_image, search)
    report(0.65, "tracing pale curves")
    if not search.spent:
        curves = faint_curves(boxed, (horizontal, vertical), curves, scale, search)
    curves = extend_into_bundles(unhook(curves, scale, search), scale, search)
    # Once the pale pass and the bundles have changed the curves: a label's text that a trace
    # ran on into is cut off it, and a trace that only copied a curve besides is dropped.
    unchained = cut_label_chains(curves, boxed > threshold, glyph_px, scale)
    curves = unchained.curves
    warnings.extend(unchained.dropped)
    expected = meta.curves if meta.curves is not None else len(meta.labels or []) or None
    if expected is not None and len(curves) < expected and not search.spent:
        peak = local_peak(cleaned)
        curves = split_merged(curves, runs, peak, expected - len(curves))
    if meta.curves is not None and len(curves) > meta.curves:
        curves = sorted(curves, key=_evidence, reverse=True)[: meta.curves]
    if not curves:
        raise GraphqError("NO_CURVES_FOUND", "no curves found inside the plot frame")
    if meta.curves is not None and len(curves) < meta.curves:
        warnings.append(f"expected {meta.curves} curves, found {len(curves)}")

    spacing = max(1.0, (x1 - x0) / 800.0)
    result: list[Curve] = []
    heights = [np.column_stack((c.column, -c.middle)) for c in curves]
    labels = list(meta.labels or [])
    if labels and len(labels) != len(curves):
        warnings.append(f"{len(labels)} labels given for {len(curves)} curves found")
    review.extend(count_review(labels, len(curves), meta.curves))
    order = order_top_to_bottom(heights)
    colours = [_curve_colour(image, curve, left, top) for curve in curves]
    # Imported here: label reading and binding use the datasheet reader, whose package
    # imports the digitizer.
    from graphq.digitizer.labels.binding import bind_curve_labels
    from graphq.digitizer.labels.reading import PlotText, label_curves

    if meta.read_labels:
        report(0.7, "reading labels")
        plot_text = PlotText(
            image,
            ink,
            (left, top, right, bottom),
            (x0, y0, x1, y1),
            boxed > STANDARD.min_curve_ink,
            boxes,
            text_px,
            line_width,
        )
        named = label_curves(plot_text, curves, colours, labels, order, budget)
    else:
        named = bind_curve_labels(
            [""] * len(curves),
            [0.0] * len(curves),
            labels,
            order,
            [curve.column.size for curve in curves],
        )
    review.extend(named.review)
    confidences, doubts = curve_confidences(
        curves,
        named,
        given=bool(labels),
        vouch_for_labels=meta.read_labels,
        plot_columns=plot_columns,
    )
    review.extend(doubts)
    for rank, index in enumerate(order):
        curve = curves[index]
        report(0.7 + 0.25 * rank / len(curves), f"tracing curve {rank + 1}/{len(curves)}")
        points = curve_points(curve, (float(left), float(top)), calibration, spacing)
        result.append(
            Curve(
                label=named.labels[index],
                value=named.values[index],
                color=colours[index],
                points=points.tolist(),
                confidence=confidences[index],
            )
        )
    if budget.spent:
        review.add(
            ReviewReason.BUDGET_HIT,
            f"stopped refining after {budget.seconds:.1f} s of CPU; curves may be incomplete",
        )
    report(1.0, "done")
    return DigitizeResult(plot_area=plot_area, curves=result, warnings=warnings, review=review)


def _curve_threshold(cleaned: np.ndarray) -> np.ndarray | None:
    """Per-pixel curve threshold (:func:`curve_threshold`), or None without curve ink."""
    if np.count_nonzero(cleaned > STANDARD.min_curve_ink) < 10:
        return None
    return curve_threshold(cleaned, STANDARD.min_curve_ink)


def _under_labels(
    inked: np.ndarray, kept: np.ndarray, boxes: list[tuple[int, int, int, int]], glyph_px: float
) -> np.ndarray:
    """Where labels and boxes covered the plot: the text erased from ``inked`` (leaving
    ``kept``) and the boxes, grown by half a glyph, as far as a label's background reaches
    past its letters."""
    covered = inked & ~kept
    for box_top, box_left, box_bottom, box_right in boxes:
        covered[box_top : box_bottom + 1, box_left : box_right + 1] = True
    grow = max(2, round(0.5 * glyph_px))
    # A square dilation, as two running maxima (far cheaper than a square structure).
    return ndimage.maximum_filter(
        covered.view(np.uint8), size=2 * grow + 1, mode="constant"
    ).astype(bool)


def _explaining(
    curve: TracedCurve, erased: np.ndarray, line_width: float
) -> tuple[np.ndarray | None, bool]:
    """The erased grid columns that may explain a curve's gaps, and whether a dash pattern
    may: neither for a trace that keeps to one row, which is what a horizontal grid line's
    remnant is, cut at every vertical line (and a dotted one's in a regular rhythm)."""
    flat = lies_flat(curve, line_width)
    return (None if flat else erased), not flat


def _along_frame(curve: TracedCurve, height: int) -> bool:
    """Whether a curve runs on the top or bottom frame line for most of its length: what
    is left of the frame where curves touch it, or a curve hidden by the frame anyway; not one
    that leaves the frame for a real stretch (a capacitance curve's steep start)."""
    rows = curve.middle
    on_edge = (rows <= TRACKING.frame_reach_px) | (rows >= height - 1 - TRACKING.frame_reach_px)
    on_frame = on_edge.mean() >= STANDARD.max_on_frame_fraction
    return bool(on_frame and not leaves_frame(curve, height))


def _off_frame(curve: TracedCurve, height: int, reach_px: float) -> TracedCurve:
    """The curve without the stretches at its ends that lie on the top or bottom frame line
    (within ``reach_px`` of it), where its ink is the frame's (a transfer curve along the
    axis below its threshold voltage)."""
    rows = curve.middle
    off = (rows > reach_px) & (rows < height - 1 - reach_px)
    if not off.any():
        return curve
    return curve.part(slice(int(np.argmax(off)), off.size - int(np.argmax(off[::-1]))))


def _evidence(curve: TracedCurve) -> float:
    return float(curve.column.size + (curve.shared == 1).sum())


def _curve_colour(image: np.ndarray, curve: TracedCurve, left: int, top: int) -> str:
    """``#rrggbb`` of the median of the curve's darkest pixels, where it runs alone."""
    lone = curve.shared == 1
    columns = curve.column[lone] if lone.any() else curve.column
    rows = curve.middle[lone] if lone.any() else curve.middle
    height, width = image.shape[:2]
    xs = np.clip(columns + left, 0, width - 1)
    ys = np.clip(np.round(rows).astype(np.int64) + top, 0, height - 1)
    red, green, blue = np.median(image[ys, xs, :3], axis=0).astype(int).tolist()
    return f"#{red:02x}{green:02x}{blue:02x}"

"""Curve labels read from the image: the text in and beside the plot, OCR'd once, and bound
to the curves by the datasheet reader's own binding (:func:`graphq.datasheet.labels.bind_labels`).

The text is the glyph-sized ink inside the frame that no traced curve runs through (the
grid already gone), the text inside bordered boxes (legends, notes) and the glyphs in a
strip right of the frame (labels stacked at curve ends); it is read in one tesseract run
(:mod:`graphq.digitizer.labels.ocr`). Beside it the binder gets the legend samples
(:mod:`graphq.digitizer.labels.legend_samples`) and the pointer lines
(:mod:`graphq.digitizer.labels.pointers`) found in the same ink. The binder works in PDF points; a
raster graph has no point size, so pixels are scaled by the height of a glyph, which
datasheets print at about :attr:`ReadingSettings.digit_pt` whatever the image's resolution.
Labels are read only while the CPU budget lasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy import ndimage

from graphq.datasheet.arrows import Leader
from graphq.datasheet.curves import LegendSample, VectorCurve
from graphq.datasheet.labels import CERTAINTY, bind_labels
from graphq.datasheet.text_mask import glyph_height
from graphq.datasheet.textlines import TextLine
from graphq.digitizer.budget import Budget
from graphq.digitizer.labels.binding import CurveLabels, bind_curve_labels
from graphq.digitizer.labels.columns import (
    bind_end_column,
    drop_column_headers,
    drop_condition_blocks,
)
from graphq.digitizer.labels.elimination import ELIMINATED, bind_left_near
from graphq.digitizer.labels.family_values import mend_family_values
from graphq.digitizer.labels.graph_conditions import without_graph_conditions
from graphq.digitizer.labels.legend_samples import (
    find_samples,
    in_legend_order,
    is_dashed,
    legend_area,
    legend_entries,
    shared_colours,
)
from graphq.digitizer.labels.list_ends import LIST_END, LIST_ORDER, bind_list_ends, bind_whole_list
from graphq.digitizer.labels.ocr import LineSettings, read_lines, sized_components, unsure_name
from graphq.digitizer.labels.pointers import carried, find_pointers
from graphq.digitizer.labels.style_words import STYLE_LEFT, bind_last_style
from graphq.digitizer.tracking.tracks import TracedCurve
from graphq.errors import GraphqError
from graphq.review import ReviewReason

Box = tuple[float, float, float, float]
# A legend's entries bound in its order, its samples all alike.
LEGEND_ORDER = "legend order"
# Labels tied to their curves by an order (a list's, a legend's, the one curve left), not
# by the graph: bound no surer than the reading's legend order certainty, whatever the
# datasheet binder's table says, so that the review names them.
ORDER_KINDS = frozenset({LIST_END, LIST_ORDER, ELIMINATED, STYLE_LEFT, LEGEND_ORDER})


@dataclass(frozen=True)
class ReadingSettings:
    """How the plot's text is found, read and measured for binding."""

    lines: LineSettings = field(default_factory=LineSettings)
    # A tick-label digit on a datasheet stands about this tall (points): pixels are scaled
    # by it so the binder's reaches, set in points, hold at any resolution.
    digit_pt: float = 5.0
    # Text is ink no taller than this many glyph heights (a curve's steep stretch left
    # over is) nor longer than this many (touching glyphs make one component up to a word).
    max_glyph: float = 2.2
    max_run: float = 10.0
    # Glyph-sized ink standing apart in the image whose px the curve ink keeps less than
    # this fraction of was taken for grid (thin, pale glyphs at 72 dpi or blurred, set in a
    # patch knocked out of the grid): it is text. Where the curve ink kept it, it is read
    # from there (the image's own ink would join grid stubs and JPEG specks to it).
    erased_text: float = 0.9
    # Without tick labels to measure, a glyph is about this fraction of the plot's height.
    fallback_glyph_fraction: float = 0.025
    # Labels stacked at curve ends are looked for this many glyph heights right of the frame.
    right_glyphs: float = 14.0
    # Ink darker than this outside the frame is text (as for tick labels).
    outside_ink: float = 0.35
    # Curves under this many glyph heights apart over the columns both span (at least this
    # fraction of the shorter's) are one curve traced twice.
    twin_glyphs: float = 0.5
    twin_overlap: float = 0.5
    # ... along this fraction of those columns: their ends fray, and a trace that strayed
    # up a pointer or across at a steep stretch leaves the other for a tenth of them or more
    # (a transfer curve's twin 12 px off along 11 % of its columns, its label bound to
    # neither).
    twin_along: float = 0.8
    # Labels bound in a legend's order, its samples all alike, are read but bound by order:
    # this sure, below every reading the binder makes.
    legend_order_certainty: float = 0.5
    # A name mended from an unsure reading (:func:`.ocr.unsure_name`) is
    # bound no surer than that: given labels are then bound by order, not by it, and without
    # them it is taken and said to be doubtful.
    unsure_name_certainty: float = 0.5


DEFAULT_READING = ReadingSettings()


@dataclass(frozen=True)
class PlotText:
    """What the pipeline knows of the plot's text, in image pixels unless said.

    ``plot`` is the crop the pipeline works in (left, top, right, bottom); ``inked`` (its
    curve-dark ink with the grid and bordered boxes gone) and ``boxes`` (top, left, bottom,
    right, inclusive) are in the crop's pixels."""

    image: np.ndarray
    ink: np.ndarray
    plot: tuple[int, int, int, int]
    frame: Box
    inked: np.ndarray
    boxes: list[tuple[int, int, int, int]]
    text_px: float | None
    line_width: float


@dataclass(frozen=True)
class ReadLabels:
    """Per curve: the label read ("" when none), how it was bound and how sure that is."""

    labels: list[str]
    kinds: list[str]
    certainty: list[float]
    texts: list[str]
    # Values taken from their column's order, as read and as taken (:mod:`.family_values`).
    mends: list[tuple[str, str]] = field(default_factory=list)
    # Names mended from an unsure reading, as read and as taken (:func:`.ocr.unsure_name`).
    unsure: list[tuple[str, str]] = field(default_factory=list)


def read_labels(
    text: PlotText,
    traced_px: list[TracedCurve],
    curves: list[np.ndarray],
    colours: list[tuple[int, int, int]],
    dashed: list[bool],
    settings: ReadingSettings = DEFAULT_READING,
) -> ReadLabels:
    """The label of each curve read from the image: ``traced_px`` in the plot crop's pixels,
    ``curves`` as points (N, 2) x, y in image pixels."""
    empty = ReadLabels([""] * len(curves), [""] * len(curves), [0.0] * len(curves), [])
    glyphs = plot_glyphs(text, traced_px, settings)
    if glyphs is None or not curves:
        return empty
    loose, mask, glyph = glyphs.loose, glyphs.mask, glyphs.height
    # Samples first: they leave the text, which would read them as a dash.
    found = find_samples(text.image, glyphs.free, mask, glyph, colours)
    factor = settings.digit_pt / glyph
    mended = mend_family_values(read_lines(text.ink, mask, glyph, factor, settings.lines))
    lines = mended.lines
    if not lines:
        return empty
    x0, y0, x1, y1 = (v * factor for v in text.frame)
    traced = [
        VectorCurve(points=points * factor, color=colour, width=1.0, dashed=dash)
        for points, colour, dash in zip(curves, colours, dashed, strict=True)
    ]
    samples = [
        LegendSample((cx * factor, cy * factor), colour, 1.0, dash)
        for (cx, cy), colour, dash in found
    ]
    left, top = text.plot[:2]
    boxes = [
        ((bl + left) * factor, (bt + top) * factor, (br + left) * factor, (bb + top) * factor)
        for bt, bl, bb, br in text.boxes
    ]
    line_boxes = [
        (ln.x0 / factor, ln.top / factor, ln.x1 / factor, ln.bottom / factor) for ln in lines
    ]
    # A pointer cut into glyph-sized pieces by the grid lines erased across it is in the
    # glyph mask: all ink outside the lines read is the pointers' to search.
    pointers = find_pointers(
        loose & ~_boxed(line_boxes, loose.shape), line_boxes, glyph, text.line_width
    )
    leaders = [
        Leader((ax * factor, ay * factor), (bx * factor, by * factor))
        for (ax, ay), (bx, by) in ((p.text_end, p.tip) for p in carried(pointers, text.ink, glyph))
    ]
    entries = legend_entries(lines, samples)
    legend = legend_area(entries, samples)
    boxes += [legend] if legend is not None else []
    # A curve traced twice over (two tracks along one thick line) would leave a label beside
    # it near two curves alike, which binds to neither: each pair binds as one curve.
    twin = twins(curves, settings.twin_glyphs * glyph, settings.twin_overlap, settings.twin_along)
    kept = sorted(set(twin))
    lines = without_graph_conditions(lines)
    binding = bind_labels(
        [traced[k] for k in kept], lines, (x0, y0, x1, y1), leaders, samples, boxes=boxes
    )
    own_labels, own_kinds = list(binding.labels), list(binding.kinds)
    bind_end_column(lines, [traced[k].points for k in kept], own_labels, own_kinds)
    drop_column_headers(lines, own_labels, own_kinds)
    drop_condition_blocks(lines, own_labels, own_kinds)
    bind_list_ends(lines, [traced[k].points for k in kept], own_labels, own_kinds)
    bind_last_style(lines, own_labels, own_kinds)
    bind_left_near(lines, [traced[k].points for k in kept], own_labels, own_kinds)
    labels = [own_labels[kept.index(twin[k])] for k in range(len(curves))]
    kinds = [own_kinds[kept.index(twin[k])] for k in range(len(curves))]
    bind_whole_list(lines, [c.points for c in traced], labels, kinds)
    listed = in_legend_order(entries, [c.points for c in traced])
    if listed is not None and not _read_elsewhere(labels, kinds, entries):
        # A legend whose samples tell no curve apart: its order is all there is.
        labels, kinds = listed, [LEGEND_ORDER] * len(listed)
    certainty = [
        settings.legend_order_certainty if kind in ORDER_KINDS else CERTAINTY.get(kind, 0.0)
        for kind in kinds
    ]
    unsure = {
        line.text: read for line in lines if (read := unsure_name(line, settings.lines)) is not None
    }
    certainty = [
        min(sure, settings.unsure_name_certainty) if label in unsure else sure
        for label, sure in zip(labels, certainty, strict=True)
    ]
    # Once per name: twins share their label.
    doubted = list(dict.fromkeys((unsure[label], label) for label in labels if label in unsure))
    return ReadLabels(labels, kinds, certainty, binding.texts, mended.mends, doubted)


def _read_elsewhere(labels: list[str], kinds: list[str], entries: list[TextLine]) -> bool:
    """Whether the binder tied a curve to its label by the graph (a sample, or text beside,
    along or pointing at it) with text that is no legend entry: then the lines taken for a
    legend are a block of conditions ("T_J = 25°C" over "f = 1 MHz") that specks or grid
    stubs beside them passed for samples, and their order names nothing."""
    listed = {entry.text for entry in entries}
    return any(
        kind == "sample" or (label and label not in listed and CERTAINTY.get(kind, 0.0) > 0.0)
        for label, kind in zip(labels, kinds, strict=True)
    )


def twins(curves: list[np.ndarray], apart_px: float, overlap: float, along: float) -> list[int]:
    """Per curve (points x, y, x ascending), the first curve it is a twin of (itself when
    none): over the columns both span, at least ``overlap`` of the shorter's span, the two
    run under ``apart_px`` apart along ``along`` of them (curves that share a stretch, as a safe
    operating area's regions share their limits, part elsewhere)."""
    first = list(range(len(curves)))
    for j, later in enumerate(curves):
        for i in range(j):
            if first[i] != i:
                continue
            earlier = curves[i]
            low = max(earlier[0, 0], later[0, 0])
            high = min(earlier[-1, 0], later[-1, 0])
            shorter = min(np.ptp(earlier[:, 0]), np.ptp(later[:, 0]))
            if high - low < max(1.0, overlap * shorter):
                continue
            inside = later[(later[:, 0] >= low) & (later[:, 0] <= high)]
            gap = np.abs(inside[:, 1] - np.interp(inside[:, 0], earlier[:, 0], earlier[:, 1]))
            if float(np.quantile(gap, along)) < apart_px:
                first[j] = i
                break
    return first


@dataclass(frozen=True)
class PlotGlyphs:
    """The plot's text as the labels are read from it, image-sized masks: where inside the
    frame no traced curve runs, the ink no curve took (:func:`_loose_ink`), and its
    glyph-sized components, ``height`` px tall."""

    free: np.ndarray
    loose: np.ndarray
    mask: np.ndarray
    height: float


def plot_glyphs(
    text: PlotText, curves: list[TracedCurve], settings: ReadingSettings = DEFAULT_READING
) -> PlotGlyphs | None:
    """The glyphs of the plot's text with the traced ``curves`` (plot-crop pixels) taken out;
    None when no glyph height is known or measured."""
    free = _free(text, _on_curves(curves, text.inked.shape, text.line_width))
    loose = _loose_ink(text, free, settings)
    glyph = text.text_px or glyph_height(loose)
    if glyph is None:
        return None
    return PlotGlyphs(free, loose, _glyph_sized(loose, glyph, settings), glyph)


def _loose_ink(text: PlotText, free: np.ndarray, settings: ReadingSettings) -> np.ndarray:
    """Image-sized mask of the ink no curve took, where text may stand: inside the frame,
    what no traced curve runs through (``free``, image-sized; the grid already gone, and the
    text its erasure took put back, :func:`_erased_text`), the ink inside bordered boxes but
    their borders, and the ink right of the frame."""
    height, width = text.ink.shape
    left, top, right, bottom = text.plot
    crop_ink = text.ink[top:bottom, left:right] > settings.outside_ink
    glyph = text.text_px or settings.fallback_glyph_fraction * (bottom - top)
    inside = (text.inked | _erased_text(text.inked, crop_ink, glyph, settings)) & free[
        top:bottom, left:right
    ]
    margin = max(2, round(text.line_width) + 1)
    for box_top, box_left, box_bottom, box_right in text.boxes:
        rows = slice(box_top + margin, max(box_top + margin, box_bottom - margin + 1))
        cols = slice(box_left + margin, max(box_left + margin, box_right - margin + 1))
        inside[rows, cols] |= crop_ink[rows, cols]
    mask = np.zeros((height, width), bool)
    mask[top:bottom, left:right] = inside
    strip = slice(right + margin, min(width, right + round(settings.right_glyphs * glyph)))
    mask[top:bottom, strip] = text.ink[top:bottom, strip] > settings.outside_ink
    return mask


def _erased_text(
    inked: np.ndarray, ink: np.ndarray, glyph: float, settings: ReadingSettings
) -> np.ndarray:
    """The glyph-sized components of the image's ``ink`` that the curve ink ``inked`` lost
    most of (see :attr:`ReadingSettings.erased_text`). Sized with the curves still in the
    ink: grid lines cut where curves cross them would leave glyph-sized stubs."""
    sized = _glyph_sized(ink, glyph, settings)
    labels, count = ndimage.label(sized, structure=np.ones((3, 3), bool))
    if count == 0:
        return sized
    index = np.arange(1, count + 1)
    kept = ndimage.sum_labels(inked, labels, index)
    size = ndimage.sum_labels(sized, labels, index)
    erased = np.concatenate(([False], kept < settings.erased_text * size))
    return erased[labels]


def _boxed(boxes: list[Box], shape: tuple[int, int]) -> np.ndarray:
    """Mask of the boxes (x0, top, x1, bottom, pixels), each grown by a pixel."""
    inside = np.zeros(shape, bool)
    height, width = shape
    for x0, top, x1, bottom in boxes:
        rows = slice(max(0, int(top) - 1), min(height, int(np.ceil(bottom)) + 2))
        inside[rows, max(0, int(x0) - 1) : min(width, int(np.ceil(x1)) + 2)] = True
    return inside


def _free(text: PlotText, on_curves: np.ndarray) -> np.ndarray:
    """Image-sized mask of the frame's inside where no traced curve runs (``on_curves``, in
    the plot crop's pixels, where they do)."""
    left, top, right, bottom = text.plot
    free = np.zeros(text.ink.shape, bool)
    free[top:bottom, left:right] = ~on_curves
    return free


def _on_curves(curves: list[TracedCurve], shape: tuple[int, int], line_width: float) -> np.ndarray:
    """Pixels of the traced curves' ink, each column's run widened by half a line and a px."""
    height, width = shape
    reach = line_width / 2.0 + 1.0
    starts = np.zeros((height + 1, width), np.int32)
    for curve in curves:
        low = np.clip(np.floor(np.minimum(curve.enter, curve.leave) - reach), 0, height)
        high = np.clip(np.ceil(np.maximum(curve.enter, curve.leave) + reach) + 1, 0, height)
        np.add.at(starts, (low.astype(np.int64), curve.column), 1)
        np.add.at(starts, (high.astype(np.int64), curve.column), -1)
    covered = np.cumsum(starts, axis=0)[:height] > 0
    return ndimage.maximum_filter1d(covered.view(np.uint8), 3, axis=1).view(bool)


def _glyph_sized(mask: np.ndarray, glyph: float, settings: ReadingSettings) -> np.ndarray:
    """The components of ``mask`` no taller than a glyph or two and no longer than a word:
    the text; longer ink is a pointer, a curve's, a grid line's left over or a box's."""
    return sized_components(
        mask,
        lambda tall, wide: (
            (tall <= settings.max_glyph * glyph) & (wide <= settings.max_run * glyph)
        ),
    )


def label_curves(
    text: PlotText,
    curves: list[TracedCurve],
    colours: list[str],
    given: list[str],
    order: list[int],
    budget: Budget,
) -> CurveLabels:
    """Each traced curve's label (curves in plot-crop pixels, ``colours`` as ``#rrggbb``):
    read from the image unless the budget is spent, then bound with the labels ``given``
    (:func:`graphq.digitizer.labels.binding.bind_curve_labels`)."""
    read = ReadLabels([""] * len(curves), [""] * len(curves), [0.0] * len(curves), [])
    if not budget.spent:
        left, top = text.plot[:2]
        points = [np.column_stack((c.column + left, c.middle + top)) for c in curves]
        rgb = shared_colours([_rgb(colour) for colour in colours])
        dashed = [is_dashed(c.column) for c in curves]
        try:
            read = read_labels(text, curves, points, rgb, dashed, _within(budget))
        except GraphqError as error:
            # Tesseract stopped at the budget's end: the labels are left unread, and the
            # result says budget_hit (the method marks a spent budget) and label_unread.
            if error.code != "OCR_FAILED" or not budget.spent:
                raise
    spans = [curve.column.size for curve in curves]
    named = bind_curve_labels(read.labels, read.certainty, given, order, spans)
    for as_read, taken in read.mends:
        # The label may carry its column's name too ("VGS = 2.3V" for "2.3V").
        if any(taken in label for label in named.labels):
            named.review.add(
                ReviewReason.LOW_CONFIDENCE,
                f"the label read {as_read!r} was taken as {taken!r}, as the order of the "
                "labels stacked with it asks (a lost decimal point or minus)",
            )
    for as_read, taken in read.unsure:
        named.review.add(
            ReviewReason.LOW_CONFIDENCE,
            f"the label {taken!r} was mended from {as_read!r}, a reading that does not tell "
            "it from another name: it may name another curve",
        )
    return replace(named, texts=read.texts)


def _within(budget: Budget, settings: ReadingSettings = DEFAULT_READING) -> ReadingSettings:
    """The reading settings with tesseract's time bounded by what is left of the budget."""
    ocr = settings.lines.ocr
    bounded = replace(ocr, timeout_s=min(ocr.timeout_s, budget.left))
    return replace(settings, lines=replace(settings.lines, ocr=bounded))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)

"""Graphs on pages that are pictures: scans with no usable text layer.

A scanned page is read from its pixels alone, in these stages:

1. render   — the page at :attr:`RasterSettings.dpi` (OCR of 7 pt tick labels needs ~300);
2. deskew   — a scan sits up to a degree crooked on the glass, and frame lines must run
   along pixel rows to be found; the tilt that lines the page's ink up best is undone;
3. words    — OCR of the whole page, once (:mod:`graphq.datasheet.ocr`);
4. frames   — each large blob of ink is cropped and handed to the digitizer's own frame
   detection; tick marks and grid lines are found along its edges in the pixels;
5. axes     — the same :func:`graphq.datasheet.axes.read_axes` as for vector pages; a blob
   with no readable axis at all is a table or a drawing, not a graph;
6. type     — from the caption and the axis titles;
7. curves   — the digitizer on the panel's pixels, with the axes and frame read above;
8. labels   — OCR'd text beside the curves, bound by the vector pages' own binding.

Coordinates: words, boxes and ticks are handled in PDF points of the deskewed page; a
graph's ``box`` is reported with its centre moved back by the tilt (size kept), where it
lies on the page as scanned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from graphq.datasheet.axes import AxesReading, read_axes
from graphq.datasheet.classify import classify
from graphq.datasheet.conditions import (
    name_unread_voltage,
    parse_conditions,
    parse_label,
    printed_temperature,
)
from graphq.datasheet.curves import VectorCurve
from graphq.datasheet.labels import bind_labels
from graphq.datasheet.ocr import image_words, scale_word
from graphq.datasheet.page_images import POINTS_PER_INCH, render_page
from graphq.datasheet.panels import find_caption
from graphq.datasheet.textlines import TextLine, text_lines
from graphq.datasheet.types import DatasheetCurve, DatasheetGraph
from graphq.datasheet.words import Word
from graphq.digitizer.axes.autocal import frame_ticks, ocr_axis_notes
from graphq.digitizer.axes.calibration import AxisMap
from graphq.digitizer.axes.frame import detect_plot_area
from graphq.digitizer.dispatch import digitize
from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.preprocessing.text import text_height_px
from graphq.digitizer.types import Axes, Axis, Curve, GraphMeta, GraphType
from graphq.errors import GraphqError
from graphq.review import Review, ReviewNote, ReviewReason

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class RasterSettings:
    """How a scanned page is read."""

    # Render resolution: OCR reads 7 pt digits well from ~20 px tall, i.e. ~300 dpi; the
    # digitizer gets the same pixels (SPEC asks ≥ 150 dpi).
    dpi: int = 300
    # Tilts looked for (degrees either way) and the step: scans sit < 1° crooked.
    max_skew_deg: float = 1.0
    skew_step_deg: float = 0.05
    # The tilt is measured on the page shrunk by this factor (a 0.05° step still moves a
    # line's end by a pixel there), and undone when it is at least this large.
    skew_shrink: int = 2
    min_skew_deg: float = 0.02
    # Ink darker than this joins a frame's blob (frame, grid, ticks, curves).
    blob_ink: float = 0.3
    # A graph's frame is at least this many inches each way ...
    min_frame_in: float = 0.8
    # ... and its blob covers at most this fraction of the page: a page border does more;
    # an old tube datasheet's one graph a page covers most of it.
    max_page_fraction: float = 0.8
    # ... and is looked for in its blob's box widened by this many inches (its labels).
    margin_in: float = 0.5
    # OCR words less sure than this, or with fewer than two letters or digits (a lone digit
    # aside), are no caption or label: OCR reads curve wiggles as ``/``, ``é``, ``it``.
    min_word_confidence: float = 0.6
    # Curves the digitizer is less sure of than this are flagged.
    min_curve_confidence: float = 0.5


DEFAULT_SETTINGS = RasterSettings()


def read_raster_page(
    pdf: bytes, page_number: int, settings: RasterSettings = DEFAULT_SETTINGS
) -> list[DatasheetGraph]:
    """Every graph on one page (1-based) read from its pixels, with ``source="raster"``."""
    pixels = render_page(pdf, page_number, settings.dpi)
    tilt = skew_deg(darkness(pixels), settings)
    if abs(tilt) >= settings.min_skew_deg:
        pixels = _rotated(pixels, tilt)
    ink = darkness(pixels)
    frames = find_frames(ink, settings)
    if not frames:
        return []
    to_points = POINTS_PER_INCH / settings.dpi
    text_px = text_height_px(ink, list(frames[0]))
    words = [scale_word(w, to_points) for w in image_words(pixels, text_px=text_px)]
    lines = text_lines([w for w in words if _readable(w, settings)])
    page_centre = (pixels.shape[1] * to_points / 2, pixels.shape[0] * to_points / 2)
    graphs = []
    for frame in frames:
        x_ticks, y_ticks = frame_ticks(ink, list(frame))
        box = _scaled_box(frame, to_points)
        reading = read_axes(
            words, box, [t * to_points for t in x_ticks], [t * to_points for t in y_ticks]
        )
        if reading.x.axis is None and reading.y.axis is None:
            continue  # a table or a drawing: a graph has at least one readable axis
        graph = _read_graph(pixels, frame, box, reading, lines, settings)
        graphs.append(
            DatasheetGraph(
                page=page_number,
                box=[round(v, 2) for v in _moved(box, page_centre, tilt)],
                graph_type=graph.graph_type,
                source="raster",
                axes=graph.axes,
                curves=graph.curves,
                caption=graph.caption,
                conditions=graph.conditions,
                needs_review=bool(graph.reasons),
                reasons=graph.reasons,
            )
        )
    return graphs


def _readable(word: Word, settings: RasterSettings) -> bool:
    """A word worth binding or captioning: OCR also reads curve wiggles as ``/`` or ``é``."""
    return word.confidence >= settings.min_word_confidence and (
        sum(ch.isalnum() for ch in word.text) >= 2 or word.text.isdigit()
    )


def skew_deg(ink: np.ndarray, settings: RasterSettings = DEFAULT_SETTINGS) -> float:
    """The page's tilt (degrees, counter-clockwise as seen): the angle along which the rows
    of ink line up sharpest, as frame lines, grid lines and text lines do when level."""
    small = ink[:: settings.skew_shrink, :: settings.skew_shrink] > settings.blob_ink
    rows, columns = np.nonzero(small)
    if rows.size == 0:
        return 0.0
    steps = round(settings.max_skew_deg / settings.skew_step_deg)
    angles = np.arange(-steps, steps + 1) * settings.skew_step_deg
    best, best_score = 0.0, -1.0
    for angle in angles:
        # A line tilted counter-clockwise rises to the right: rows fall as columns grow.
        projected = np.rint(rows + columns * math.tan(math.radians(angle))).astype(np.int64)
        counts = np.bincount(projected - projected.min())
        score = float(np.dot(counts, counts))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def _rotated(pixels: np.ndarray, tilt_deg: float) -> np.ndarray:
    """The page turned back by its tilt, about its centre, with white filled in."""
    turned = ndimage.rotate(
        pixels, -tilt_deg, axes=(1, 0), reshape=False, order=1, mode="constant", cval=255
    )
    return np.asarray(turned, dtype=np.uint8)


def find_frames(ink: np.ndarray, settings: RasterSettings = DEFAULT_SETTINGS) -> list[Box]:
    """Graph frames (pixel centres of their edges), one per large blob of ink, top to bottom.

    Each blob (a frame with its grid, ticks and curves is one) is cropped with its labels
    and handed to the digitizer's frame detection, so a page is read like many images.
    """
    height, width = ink.shape
    labels, _ = ndimage.label(ink > settings.blob_ink, structure=np.ones((3, 3), bool))
    smallest = settings.min_frame_in * settings.dpi
    margin = round(settings.margin_in * settings.dpi)
    frames: list[Box] = []
    for blob in ndimage.find_objects(labels):
        if blob is None:
            continue
        tall, wide = blob[0].stop - blob[0].start, blob[1].stop - blob[1].start
        if tall < smallest or wide < smallest:
            continue
        if tall * wide > settings.max_page_fraction * height * width:
            continue
        top, left = max(0, blob[0].start - margin), max(0, blob[1].start - margin)
        crop = ink[top : blob[0].stop + margin, left : blob[1].stop + margin]
        try:
            x0, y0, x1, y1 = detect_plot_area(crop)
        except GraphqError:
            continue
        if x1 - x0 >= smallest and y1 - y0 >= smallest:
            frames.append((x0 + left, y0 + top, x1 + left, y1 + top))
    distinct = [f for f in frames if not any(_inside(f, g) for g in frames if g != f)]
    return sorted(set(distinct), key=lambda f: (round(f[1] / smallest), f[0]))


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner[0] >= outer[0] - 2
        and inner[1] >= outer[1] - 2
        and inner[2] <= outer[2] + 2
        and inner[3] <= outer[3] + 2
    )


@dataclass(frozen=True)
class _Graph:
    graph_type: GraphType
    axes: Axes
    curves: list[DatasheetCurve]
    caption: str
    conditions: dict[str, float]
    reasons: list[ReviewNote]


def _read_graph(
    pixels: np.ndarray,
    frame: Box,
    box: Box,
    reading: AxesReading,
    lines: list[TextLine],
    settings: RasterSettings,
) -> _Graph:
    """Type, curves and labels of one frame whose axes were read."""
    review = Review()
    for note in reading.reasons + ocr_axis_notes(reading):
        review.add(note.code, note.message)
    caption = find_caption(lines, box)
    axes = reading.axes
    graph_type, type_notes = classify(caption, axes)
    for note in type_notes:
        review.add(note.code, note.message)
    conditions = parse_conditions(caption)
    if axes is None:
        unread = Axes(
            x=reading.x.axis or Axis(min=0.0, max=1.0), y=reading.y.axis or Axis(min=0.0, max=1.0)
        )
        return _Graph(graph_type, unread, [], caption, conditions, review.reasons)
    found = _digitized(pixels, frame, axes, graph_type, review)
    traced = [_on_page(curve, axes, box) for curve in found]
    binding = bind_labels(traced, lines, box, [], [])
    conditions = name_unread_voltage({**conditions, **binding.graph_conditions}, graph_type)
    axes_confidence = min(reading.x.confidence, reading.y.confidence)
    curves = []
    temperature, temperature_notes = printed_temperature(binding.labels)
    for note in temperature_notes:
        review.add(note.code, note.message)
    for curve, label in zip(found, binding.labels, strict=True):
        value, own = parse_label(label, temperature=temperature)
        curves.append(
            DatasheetCurve(
                label=label,
                value=value,
                conditions={**conditions, **own},
                points=curve.points,
                confidence=round(min(curve.confidence, axes_confidence), 3),
                color=curve.color,
            )
        )
    unlabelled = sum(1 for c in curves if not c.label)
    if len(curves) > 1 and unlabelled:
        review.add(
            ReviewReason.LABEL_UNREAD,
            f"{unlabelled} of {len(curves)} curves have no label the page ties to them",
        )
    doubtful = sum(1 for c in found if c.confidence < settings.min_curve_confidence)
    if doubtful:
        review.add(
            ReviewReason.LOW_CONFIDENCE,
            f"{doubtful} of {len(found)} curves traced with low confidence from the scan",
        )
    return _Graph(graph_type, axes, curves, caption, conditions, review.reasons)


def _digitized(
    pixels: np.ndarray, frame: Box, axes: Axes, graph_type: GraphType, review: Review
) -> list[Curve]:
    """The digitizer's curves inside ``frame`` (page pixels), or none with the reason."""
    x0, y0, x1, y1 = frame
    # A little room around the frame: its lines stay whole, its tick labels stay out.
    pad = max(4, round(0.01 * max(x1 - x0, y1 - y0)))
    top, left = max(0, round(y0) - pad), max(0, round(x0) - pad)
    crop = pixels[top : round(y1) + pad + 1, left : round(x1) + pad + 1]
    meta = GraphMeta(
        axes=axes,
        graph_type=graph_type,
        plot_area=[x0 - left, y0 - top, x1 - left, y1 - top],
        # The labels are bound from the page's words (OCR'd once), not the digitizer's.
        read_labels=False,
    )
    try:
        result = digitize(np.ascontiguousarray(crop), meta)
    except GraphqError as exc:
        review.add(ReviewReason.CURVE_COUNT_DIFFERS, f"no curves traced: {exc.message}")
        return []
    for warning in result.warnings:
        review.add(ReviewReason.CURVE_COUNT_DIFFERS, warning)
    return result.curves


def _on_page(curve: Curve, axes: Axes, box: Box) -> VectorCurve:
    """A digitized curve drawn back on the page (points), for binding labels beside it."""
    x_map = _edge_map(axes.x, box[0], box[2])
    y_map = _edge_map(axes.y, box[3], box[1])
    values = np.asarray(curve.points, dtype=np.float64).reshape(-1, 2)
    points = np.column_stack(
        (x_map.value_to_pixel(values[:, 0]), y_map.value_to_pixel(values[:, 1]))
    )
    red, green, blue = (int(curve.color[i : i + 2], 16) for i in (1, 3, 5))
    return VectorCurve(points=points, color=(red, green, blue), width=1.0, dashed=False)


def _edge_map(axis: Axis, low_pt: float, high_pt: float) -> AxisMap:
    log = axis.scale == "log"
    low, high = (math.log10(axis.min), math.log10(axis.max)) if log else (axis.min, axis.max)
    return AxisMap(low_pt, low, high_pt, high, log)


def _scaled_box(box: Box, factor: float) -> Box:
    return (box[0] * factor, box[1] * factor, box[2] * factor, box[3] * factor)


def _moved(box: Box, centre: tuple[float, float], tilt_deg: float) -> Box:
    """``box`` of the deskewed page where it lies on the tilted scan: its centre turned
    counter-clockwise (as seen, y down) about the page centre, its size kept."""
    angle = math.radians(tilt_deg)
    dx = (box[0] + box[2]) / 2 - centre[0]
    dy = (box[1] + box[3]) / 2 - centre[1]
    cx = centre[0] + dx * math.cos(angle) + dy * math.sin(angle)
    cy = centre[1] - dx * math.sin(angle) + dy * math.cos(angle)
    half_w, half_h = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)

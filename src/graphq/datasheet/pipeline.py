"""Reading a datasheet PDF: every graph panel, its axes, type, curves and labels (SPEC §4b).

Per page, the stages run in this order:

1. content  — words, strokes and images of the page (:mod:`graphq.datasheet.content`);
   a page without a usable text layer is read by OCR instead, when OCR is installed;
2. panels   — frames that enclose curves, with their tick positions and caption;
3. axes     — tick labels fitted to the ticks: range, scale, quantity, unit;
4. classify — the graph type from the caption and the axis quantities;
5. curves   — the panel's own strokes (vector), or the digitizer on its rendering when the
   graph is an embedded image (:mod:`graphq.datasheet.raster_panels`); a scanned page with
   neither text layer nor vector frames goes to the scan reader (``graphq.datasheet.raster``)
   when it is installed;
6. labels   — text bound to curves by the page's geometry; conditions from notes/captions.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec
import numpy as np

from graphq.datasheet.axes import AxesReading, AxisSettings, read_axes
from graphq.datasheet.boxes import bordered_boxes
from graphq.datasheet.classify import classify
from graphq.datasheet.conditions import (
    name_unread_voltage,
    parse_conditions,
    parse_label,
    printed_temperature,
)
from graphq.datasheet.content import ContentSettings, PageContent, read_pages
from graphq.datasheet.curves import CurveSettings, extract_curves
from graphq.datasheet.labels import CERTAINTY, LabelSettings, bind_labels
from graphq.datasheet.misreads import unsigned_cold_temperatures
from graphq.datasheet.outlined import outlined_frames, with_read_words
from graphq.datasheet.panels import Panel, PanelSettings, find_caption, find_panels
from graphq.datasheet.raster_panels import digitize_panel, image_panels
from graphq.datasheet.rules import RuleSettings, find_rules
from graphq.datasheet.textlines import Wall, text_lines
from graphq.datasheet.turning import may_be_turned, turned_page
from graphq.datasheet.types import DatasheetCurve, DatasheetGraph, DatasheetResult
from graphq.datasheet.words import Word
from graphq.digitizer.tracking.resample import resample_path
from graphq.digitizer.types import Axes, Axis
from graphq.errors import GraphqError
from graphq.review import ReviewNote, ReviewReason

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ReaderSettings:
    """Every stage's settings, in one value."""

    content: ContentSettings = field(default_factory=ContentSettings)
    rules: RuleSettings = field(default_factory=RuleSettings)
    panels: PanelSettings = field(default_factory=PanelSettings)
    axes: AxisSettings = field(default_factory=AxisSettings)
    curves: CurveSettings = field(default_factory=CurveSettings)
    labels: LabelSettings = field(default_factory=LabelSettings)
    # Curve points every this many points along the curve: 1/8 pt is below any stroke
    # width, so the sampled polyline is the drawn one.
    sample_spacing_pt: float = 0.125
    # A curve bound to no label, where the page prints labels, is this sure of its label ...
    unbound_certainty: float = 0.3
    # ... and a curve joined across gaps (dashes, split paths) this sure of its course.
    joined_certainty: float = 0.95
    # A panel covering more than this fraction of the page is a page border or a section
    # box (it holds circuits, package drawings), not a graph.
    max_page_fraction: float = 0.5
    # A page without text layer or frames is a scan when its images cover at least this
    # fraction of it; smaller images on such a page are logos and package photos.
    min_scan_fraction: float = 0.15


def read_datasheet(
    pdf: bytes,
    *,
    progress: Progress | None = None,
    settings: ReaderSettings | None = None,
) -> DatasheetResult:
    """Every graph of the PDF, page by page; ``progress(fraction, step)`` after each page."""
    chosen = settings or ReaderSettings()
    report = progress or (lambda _fraction, _step: None)
    count, pages = read_pages(pdf, chosen.content)
    graphs: list[DatasheetGraph] = []
    warnings: list[str] = []
    for page in pages:
        graphs.extend(_read_page(pdf, page, chosen, warnings))
        report(page.number / max(count, 1), f"page {page.number} of {count} read")
    return DatasheetResult(graphs=graphs, pages=count, warnings=warnings)


def _read_page(
    pdf: bytes, page: PageContent, settings: ReaderSettings, warnings: list[str]
) -> list[DatasheetGraph]:
    rules = find_rules(page.strokes, settings.rules)
    page_area = page.width * page.height
    panels = [
        p
        for p in find_panels(rules, page.strokes, settings.panels)
        if _area(p.box) <= settings.max_page_fraction * page_area
    ]
    pictures = [
        p
        for p in image_panels(page.images, rules, [p.box for p in panels], settings.panels)
        if _area(p.box) <= settings.max_page_fraction * page_area
    ]
    if not panels and (not page.text_usable or not pictures):
        scanned = not page.text_usable and _image_cover(page) >= settings.min_scan_fraction
        return _scanned_page(pdf, page, warnings) if scanned else []
    words = page.words
    ocr_read = False
    if not page.text_usable:
        ocr_words = _ocr_words(pdf, page.number, [p.box for p in panels + pictures], warnings)
        ocr_read = ocr_words is not None
        words = ocr_words or []
    elif outlined := outlined_frames(page.words, panels):
        ocr_words = _ocr_words(pdf, page.number, outlined, warnings, outlines=True)
        ocr_read = bool(ocr_words)
        words = with_read_words(page.words, ocr_words or [])
    frames = [p.box for p in panels + pictures]
    lines = text_lines(words, _frame_walls(frames))
    graphs = []
    for panel in panels:
        reading = read_axes(words, panel.box, panel.x_ticks, panel.y_ticks, settings.axes)
        unreadable = reading.x.axis is None and reading.y.axis is None
        if (page.text_usable or ocr_read) and unreadable:
            continue  # a table or a drawing: no graph has no readable axis at all
        graphs.append(
            _read_panel(page, panel, words, lines, frames, reading, settings, ocr_read=ocr_read)
        )
    if page.text_usable:
        for panel in pictures:
            reading = read_axes(words, panel.box, panel.x_ticks, panel.y_ticks, settings.axes)
            if reading.axes is not None:  # an image without axes is a photo or a drawing
                graphs.append(
                    _read_picture(pdf, page, panel, lines, frames, reading, settings, warnings)
                )
    return graphs


def _scanned_page(pdf: bytes, page: PageContent, warnings: list[str]) -> list[DatasheetGraph]:
    """A page with neither a usable text layer nor vector frames: the scan reader's. A page
    where it finds no graph, and whose glyphs do not clearly run along it, is read again
    turned a quarter turn each way: graphs wider than the paper are printed turned, their
    labels running up the page."""
    if not page.images:
        return []
    if importlib.util.find_spec("graphq.datasheet.raster") is None:
        warnings.append(f"page {page.number}: a scanned page, and no scan reader is installed")
        return []
    from graphq.datasheet.raster import read_raster_page

    try:
        graphs = read_raster_page(pdf, page.number)
        if graphs or not may_be_turned(pdf, page.number):
            return graphs
        for turn in _QUARTER_TURNS:
            if graphs:
                break
            turned = read_raster_page(turned_page(pdf, page.number, turn), 1)
            graphs = [_unturned(graph, page, turn) for graph in turned]
        return graphs
    except GraphqError as exc:  # OCR is an external engine: its failure leaves the page unread
        warnings.append(f"page {page.number}: the scan reader failed ({exc})")
        return []


# Clockwise first: a graph printed turned has its bottom edge along the page's right side
# far more often than its left (the sheet is turned clockwise to read it).
_QUARTER_TURNS = (90, 270)


def _unturned(graph: DatasheetGraph, page: PageContent, turn: int) -> DatasheetGraph:
    """A graph read on the page turned clockwise by ``turn`` degrees, with its box back where
    it lies on the page as printed."""
    x0, y0, x1, y1 = graph.box
    if turn == 90:  # page (x, y) shows at (height - y, x)
        box = [y0, page.height - x1, y1, page.height - x0]
    else:  # 270: page (x, y) shows at (y, width - x)
        box = [page.width - y1, x0, page.width - y0, x1]
    return msgspec.structs.replace(graph, page=page.number, box=[round(v, 2) for v in box])


def _read_picture(
    pdf: bytes,
    page: PageContent,
    panel: Panel,
    lines: list,
    frames: list[tuple[float, float, float, float]],
    reading: AxesReading,
    settings: ReaderSettings,
    warnings: list[str],
) -> DatasheetGraph:
    """An embedded-image graph: axes from the text layer, curves from the digitizer."""
    caption = find_caption(lines, panel.box, settings.panels, others=_others(frames, panel))
    axes = reading.axes
    assert axes is not None
    graph_type, type_notes = classify(caption, axes)
    reasons: list[ReviewNote] = list(reading.reasons) + type_notes
    found, notes = digitize_panel(pdf, page.number, panel.box, axes, graph_type)
    warnings.extend(f"page {page.number}: {note}" for note in notes)
    conditions = parse_conditions(caption)
    axes_confidence = min(reading.x.confidence, reading.y.confidence)
    sure = _label_certainty("", len(found), [], settings)
    curves = [
        msgspec.structs.replace(
            curve,
            conditions=dict(conditions),
            confidence=round(curve.confidence * axes_confidence * sure, 3),
        )
        for curve in found
    ]
    reasons += _label_notes(curves, [])
    if not curves:
        reasons.append(ReviewNote(ReviewReason.CURVE_COUNT_DIFFERS, "no curves found in the image"))
    return DatasheetGraph(
        page=page.number,
        box=[round(v, 2) for v in panel.box],
        graph_type=graph_type,
        source="raster",
        axes=axes,
        curves=curves,
        caption=caption,
        conditions=conditions,
        needs_review=bool(reasons),
        reasons=reasons,
    )


def _ocr_words(
    pdf: bytes,
    page_number: int,
    frames: list[tuple[float, float, float, float]],
    warnings: list[str],
    *,
    outlines: bool = False,
) -> list[Word] | None:
    """OCR words around and inside the page's frames (where tick labels, titles, captions and
    curve labels stand), or None when no OCR is installed."""
    if importlib.util.find_spec("graphq.datasheet.region_ocr") is None:
        warnings.append(f"page {page_number}: no usable text layer and no OCR available")
        return None
    from graphq.datasheet.region_ocr import frame_words

    try:
        return frame_words(pdf, page_number, frames, outlines=outlines)
    except Exception as exc:  # OCR is an external engine: its failure leaves axes unread
        warnings.append(f"page {page_number}: OCR failed ({exc})")
        return None


def _read_panel(
    page: PageContent,
    panel: Panel,
    words: list[Word],
    lines: list,
    frames: list[tuple[float, float, float, float]],
    reading: AxesReading,
    settings: ReaderSettings,
    *,
    ocr_read: bool = False,
) -> DatasheetGraph:
    caption = find_caption(lines, panel.box, settings.panels, others=_others(frames, panel))
    axes = reading.axes
    graph_type, type_notes = classify(caption, axes)
    reasons: list[ReviewNote] = list(reading.reasons) + type_notes
    if not page.text_usable and not words:
        reasons.append(ReviewNote(ReviewReason.AXIS_UNREAD, "the page has no usable text layer"))
    strokes = extract_curves(page.strokes, panel.box, words, settings.curves)
    binding = bind_labels(
        strokes.curves,
        lines,
        panel.box,
        strokes.leaders,
        strokes.samples,
        settings.labels,
        boxes=bordered_boxes(page.strokes, panel.box),
    )
    graph_conditions = {**parse_conditions(caption), **binding.graph_conditions}
    graph_conditions = name_unread_voltage(graph_conditions, graph_type)
    curves: list[DatasheetCurve] = []
    if axes is not None:
        axes_confidence = min(reading.x.confidence, reading.y.confidence)
        temperature, temperature_notes = printed_temperature(binding.labels)
        reasons += temperature_notes
        for curve, label, kind, stacked in zip(
            strokes.curves, binding.labels, binding.kinds, binding.conditions, strict=True
        ):
            value, conditions = parse_label(label, temperature=temperature)
            conditions = {**stacked, **conditions}
            points = resample_path(curve.points, settings.sample_spacing_pt)
            values = np.column_stack(
                (reading.x.values_at(points[:, 0]), reading.y.values_at(points[:, 1]))
            )
            values = values[np.argsort(values[:, 0], kind="stable")]
            sure = _label_certainty(kind, len(strokes.curves), binding.unbound, settings)
            drawn = settings.joined_certainty if curve.joined else 1.0
            curves.append(
                DatasheetCurve(
                    label=label,
                    value=value,
                    conditions={**graph_conditions, **conditions},
                    points=values.tolist(),
                    confidence=round(axes_confidence * sure * drawn, 3),
                    color="#{:02x}{:02x}{:02x}".format(*curve.color),
                    dashed=curve.dashed,
                )
            )
        reasons += _label_notes(curves, binding.unbound)
        if not page.text_usable or ocr_read:
            reasons += _sign_notes(binding.labels)
    if not strokes.curves:
        reasons.append(ReviewNote(ReviewReason.CURVE_COUNT_DIFFERS, "no vector curves found"))
    return DatasheetGraph(
        page=page.number,
        box=[round(v, 2) for v in panel.box],
        graph_type=graph_type,
        source="vector",
        axes=axes or _unread_axes(reading),
        curves=curves,
        caption=caption,
        conditions=graph_conditions,
        needs_review=bool(reasons),
        reasons=reasons,
    )


def _label_certainty(kind: str, count: int, unbound: list[str], settings: ReaderSettings) -> float:
    """How sure the curve's label is: by how it was bound; an unbound curve is sure only when
    it is the graph's only curve and the page prints no label that went unbound."""
    if kind:
        return CERTAINTY[kind]
    if count == 1 and not unbound:
        return 1.0
    return settings.unbound_certainty


def _label_notes(curves: list[DatasheetCurve], unbound: list[str]) -> list[ReviewNote]:
    unlabelled = sum(1 for c in curves if not c.label)
    notes = []
    if (len(curves) > 1 and unlabelled) or (unlabelled and unbound):
        printed = f"; labels printed but tied to no curve: {', '.join(unbound)}" if unbound else ""
        notes.append(
            ReviewNote(
                ReviewReason.LABEL_UNREAD,
                f"{unlabelled} of {len(curves)} curves have no label the page ties to them"
                + printed,
            )
        )
    return notes


def _sign_notes(labels: list[str]) -> list[ReviewNote]:
    """Labels read by OCR as a usual cold rating without its minus ("55°C" for "−55 °C")."""
    unsure = unsigned_cold_temperatures(labels)
    if not unsure:
        return []
    return [
        ReviewNote(
            ReviewReason.LABEL_UNREAD,
            f"labels read by OCR may have lost a minus sign: {', '.join(unsure)}",
        )
    ]


def _unread_axes(reading: AxesReading) -> Axes:
    """Axes as far as they were read; an unread axis is 0..1 (its AXIS_UNREAD note says so)."""
    return Axes(
        x=reading.x.axis or Axis(min=0.0, max=1.0),
        y=reading.y.axis or Axis(min=0.0, max=1.0),
    )


def _others(
    frames: list[tuple[float, float, float, float]], panel: Panel
) -> list[tuple[float, float, float, float]]:
    return [frame for frame in frames if frame != panel.box]


def _frame_walls(boxes: list[tuple[float, float, float, float]]) -> list[Wall]:
    """The frames' left and right edges: no line of text runs across them."""
    return [(x, b[1], b[3]) for b in boxes for x in (b[0], b[2])]


def _image_cover(page: PageContent) -> float:
    return sum(_area(box) for box in page.images) / (page.width * page.height)


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])

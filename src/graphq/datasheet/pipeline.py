"""Reading a datasheet PDF: every graph panel, its axes, type, curves and labels (SPEC §4b).

Per page, the stages run in this order:

1. content  — words, strokes and images of the page (:mod:`graphq.datasheet.content`);
   a page without a usable text layer is read by OCR instead, when OCR is installed;
2. panels   — frames that enclose curves, with their tick positions and caption;
3. axes     — tick labels fitted to the ticks: range, scale, quantity, unit;
4. classify — the graph type from the caption and the axis quantities;
5. curves   — the panel's own strokes (vector), or the digitizer on its rendering (raster);
6. labels   — text bound to curves by the page's geometry; conditions from notes/captions.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from graphq.datasheet.axes import AxesReading, AxisSettings, read_axes
from graphq.datasheet.classify import classify
from graphq.datasheet.conditions import parse_conditions, parse_label
from graphq.datasheet.content import ContentSettings, PageContent, read_pages
from graphq.datasheet.curves import CurveSettings, extract_curves
from graphq.datasheet.labels import LabelSettings, bind_labels
from graphq.datasheet.panels import Panel, PanelSettings, find_caption, find_panels
from graphq.datasheet.rules import RuleSettings, find_rules
from graphq.datasheet.textlines import text_lines
from graphq.datasheet.types import DatasheetCurve, DatasheetGraph, DatasheetResult
from graphq.datasheet.words import Word
from graphq.digitizer.resample import resample_path
from graphq.digitizer.types import Axes, Axis
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
    # A panel covering more than this fraction of the page is a page border or a section
    # box (it holds circuits, package drawings), not a graph.
    max_page_fraction: float = 0.5


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
    if not panels:
        return []
    words = page.words
    ocr_read = False
    if not page.text_usable:
        words = _ocr_words(pdf, page.number, warnings)
        ocr_read = words is not None
        words = words or []
    lines = text_lines(words)
    graphs = []
    for panel in panels:
        reading = read_axes(words, panel.box, panel.x_ticks, panel.y_ticks, settings.axes)
        unreadable = reading.x.axis is None and reading.y.axis is None
        if (page.text_usable or ocr_read) and unreadable:
            continue  # a table or a drawing: no graph has no readable axis at all
        graphs.append(_read_panel(page, panel, words, lines, reading, settings))
    return graphs


def _ocr_words(pdf: bytes, page_number: int, warnings: list[str]) -> list[Word] | None:
    """OCR words of a page without a text layer, or None when no OCR is installed."""
    if importlib.util.find_spec("graphq.datasheet.ocr") is None:
        warnings.append(f"page {page_number}: no usable text layer and no OCR available")
        return None
    from graphq.datasheet.ocr import page_words

    try:
        return page_words(pdf, page_number)
    except Exception as exc:  # OCR is an external engine: its failure leaves axes unread
        warnings.append(f"page {page_number}: OCR failed ({exc})")
        return None


def _read_panel(
    page: PageContent,
    panel: Panel,
    words: list[Word],
    lines: list,
    reading: AxesReading,
    settings: ReaderSettings,
) -> DatasheetGraph:
    caption = find_caption(lines, panel.box, settings.panels)
    axes = reading.axes
    graph_type, type_notes = classify(caption, axes)
    reasons: list[ReviewNote] = list(reading.reasons) + type_notes
    if not page.text_usable and not words:
        reasons.append(ReviewNote(ReviewReason.AXIS_UNREAD, "the page has no usable text layer"))
    strokes = extract_curves(page.strokes, panel.box, words, settings.curves)
    binding = bind_labels(
        strokes.curves, lines, panel.box, strokes.leaders, strokes.samples, settings.labels
    )
    graph_conditions = {**parse_conditions(caption), **binding.graph_conditions}
    curves: list[DatasheetCurve] = []
    if axes is not None:
        confidence = min(reading.x.confidence, reading.y.confidence)
        for curve, label in zip(strokes.curves, binding.labels, strict=True):
            value, conditions = parse_label(label)
            points = resample_path(curve.points, settings.sample_spacing_pt)
            values = np.column_stack(
                (reading.x.values_at(points[:, 0]), reading.y.values_at(points[:, 1]))
            )
            values = values[np.argsort(values[:, 0], kind="stable")]
            curves.append(
                DatasheetCurve(
                    label=label,
                    value=value,
                    conditions={**graph_conditions, **conditions},
                    points=values.tolist(),
                    confidence=round(confidence, 3),
                    color="#{:02x}{:02x}{:02x}".format(*curve.color),
                    dashed=curve.dashed,
                )
            )
        unlabelled = sum(1 for c in curves if not c.label)
        if len(curves) > 1 and unlabelled:
            reasons.append(
                ReviewNote(
                    ReviewReason.LABEL_UNREAD,
                    f"{unlabelled} of {len(curves)} curves have no label the page ties to them",
                )
            )
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


def _unread_axes(reading: AxesReading) -> Axes:
    """Axes as far as they were read; an unread axis is 0..1 (its AXIS_UNREAD note says so)."""
    return Axes(
        x=reading.x.axis or Axis(min=0.0, max=1.0),
        y=reading.y.axis or Axis(min=0.0, max=1.0),
    )


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])

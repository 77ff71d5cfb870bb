"""A found graph as files a person can check: its panel rendered, the overlay, CSV and JSON.

The panel is the graph's frame (``box``) with a margin around it, so tick labels and axis
titles show in the image; the frame's pixel box in the rendering (``plot_area``) goes with it,
so the stored image carries the calibration a later ``digitize`` job needs. The overlay and
CSV are the digitizer's own (:func:`graphq.digitizer.render_overlay`,
:func:`graphq.digitizer.result_to_csv`), fed through :func:`graph_result` and
:func:`graph_meta`, so a datasheet graph and a digitized image look and export alike.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from graphq.datasheet.probe import open_pdf
from graphq.datasheet.types import DatasheetCurve, DatasheetGraph
from graphq.digitizer import (
    Axis,
    Curve,
    DigitizeResult,
    GraphMeta,
    render_overlay,
    result_to_csv,
)
from graphq.review import Review

POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class PanelRendering:
    # SPEC §4b asks for at least 150 dpi; at 200 a typical 3-inch panel is ~600 px wide and a
    # 0.5 pt curve still covers a pixel, where the digitizer reads best.
    dpi: float = 200.0
    # Around the frame (points): two thirds of an inch holds the tick labels and axis titles of
    # vendor layouts; the panel is clipped to the page.
    margin_pt: float = 48.0


@dataclass(frozen=True)
class RenderedPanel:
    """RGB pixels (H × W × 3, uint8) and the frame's ``[x0, y0, x1, y1]`` pixel box in them."""

    pixels: np.ndarray
    plot_area: list[float]

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    def png(self) -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(self.pixels, "RGB").save(buffer, "PNG")
        return buffer.getvalue()


def render_panel(
    pdf: bytes, page: int, box: Sequence[float], settings: PanelRendering | None = None
) -> RenderedPanel:
    """Render ``box`` (points from the top-left of 1-based ``page``) and its margin."""
    settings = settings or PanelRendering()
    scale = settings.dpi / POINTS_PER_INCH
    x0, y0, x1, y1 = (float(v) for v in box)
    with open_pdf(pdf) as document:
        pdf_page = document[page - 1]
        try:
            width, height = pdf_page.get_size()
            left = max(0.0, x0 - settings.margin_pt)
            top = max(0.0, y0 - settings.margin_pt)
            right = min(width, x1 + settings.margin_pt)
            bottom = min(height, y1 + settings.margin_pt)
            bitmap = pdf_page.render(scale=scale, crop=(left, height - bottom, width - right, top))
            try:
                pixels = np.array(bitmap.to_pil().convert("RGB"))
            finally:
                bitmap.close()
        finally:
            pdf_page.close()
    plot_area = [(x0 - left) * scale, (y0 - top) * scale, (x1 - left) * scale, (y1 - top) * scale]
    return RenderedPanel(pixels=pixels, plot_area=plot_area)


def _median_y(curve: DatasheetCurve) -> float:
    ys = [y for _, y in curve.points]
    return float(np.median(ys)) if ys else float("-inf")


def graph_meta(graph: DatasheetGraph, plot_area: list[float] | None = None) -> GraphMeta:
    """The graph as digitizer metadata: axes, type, caption, and labels highest curve first
    (by median y, which a log axis does not reorder), as :class:`GraphMeta` lists them."""
    ordered = sorted(graph.curves, key=_median_y, reverse=True)
    return GraphMeta(
        axes=graph.axes,
        graph_type=graph.graph_type,
        plot_area=plot_area,
        labels=[curve.label for curve in ordered] or None,
        description=graph.caption,
    )


def graph_result(graph: DatasheetGraph, plot_area: list[float]) -> DigitizeResult:
    """The graph's curves as a digitizer result framed by ``plot_area``."""
    curves = [
        Curve(
            label=c.label,
            value=c.value,
            color=c.color,
            points=c.points,
            confidence=c.confidence,
        )
        for c in graph.curves
    ]
    return DigitizeResult(plot_area=plot_area, curves=curves)


def graph_overlay(panel: RenderedPanel, graph: DatasheetGraph) -> bytes:
    """PNG: the rendered panel faded, the frame and every curve drawn over it."""
    return render_overlay(
        panel.pixels,
        graph_result(graph, panel.plot_area),
        graph_meta(graph, panel.plot_area),
    )


def _axis_json(axis: Axis) -> dict[str, Any]:
    """Every field, defaults included: a reader of the JSON should not have to know them."""
    return {
        "min": axis.min,
        "max": axis.max,
        "scale": axis.scale,
        "quantity": axis.quantity,
        "unit": axis.unit,
    }


def graph_json(graph: DatasheetGraph) -> dict[str, Any]:
    """The graph as SPEC §4b prints it: page, box, graphType, source, axes, curves (label,
    value, conditions, points, confidence), needsReview and reasons."""
    review = Review(reasons=list(graph.reasons)).to_json()
    return {
        "page": graph.page,
        "box": list(graph.box),
        "graphType": graph.graph_type,
        "source": graph.source,
        "axes": {"x": _axis_json(graph.axes.x), "y": _axis_json(graph.axes.y)},
        "curves": [
            {
                "label": curve.label,
                "value": curve.value,
                "conditions": dict(curve.conditions),
                "points": curve.points,
                "confidence": curve.confidence,
            }
            for curve in graph.curves
        ],
        "needsReview": graph.needs_review or bool(review["needsReview"]),
        "reasons": review["reasons"],
    }


def graph_csv(graph: DatasheetGraph) -> str:
    """``x,y,curve`` rows with the axis quantities as headers, as ``graphq digitize`` writes."""
    return result_to_csv(graph_result(graph, list(graph.box)), graph_meta(graph))

"""Graphs embedded as images on a page that has a text layer: the raster digitizer reads them.

Some datasheets paste each graph as a bitmap and set its tick labels and titles as text (or
draw the frame and ticks as vectors around the picture). The image's box, snapped to a frame
drawn around it, is the panel; its axes are read from the text layer as for a vector panel;
the panel is rendered with pypdfium2 (:func:`graphq.datasheet.render.render_panel`) and
handed to :func:`graphq.digitizer.digitize` with those axes and the frame's pixel box. The
digitizer binds no labels from the page, so every curve it returns is unlabelled and the
graph says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.datasheet.panels import Panel, PanelSettings, panel_ticks
from graphq.datasheet.render import render_panel
from graphq.datasheet.rules import Rules
from graphq.datasheet.types import DatasheetCurve
from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.types import Axes, GraphType
from graphq.errors import GraphqError

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class RasterPanelSettings:
    # A frame line drawn around the image lies within this of its edge (points).
    frame_snap_pt: float = 3.0
    # An image inside a vector panel by this fraction of its area is part of that panel.
    max_overlap: float = 0.5


def image_panels(
    images: list[Box],
    rules: Rules,
    vector_boxes: list[Box],
    panel_settings: PanelSettings,
    settings: RasterPanelSettings | None = None,
) -> list[Panel]:
    """Images big enough to be a graph and not part of a vector panel, as panels."""
    chosen = settings or RasterPanelSettings()
    panels = []
    for image in images:
        width, height = image[2] - image[0], image[3] - image[1]
        if min(width, height) < panel_settings.min_side_pt:
            continue
        if any(_overlap(image, box) > chosen.max_overlap for box in vector_boxes):
            continue
        box = _snapped(image, rules, chosen.frame_snap_pt)
        panels.append(Panel(box, *panel_ticks(box, rules, panel_settings)))
    return panels


def digitize_panel(
    pdf: bytes, page: int, box: Box, axes: Axes, graph_type: GraphType
) -> tuple[list[DatasheetCurve], list[str]]:
    """The panel's curves by the raster digitizer (unlabelled), and its warnings."""
    rendered = render_panel(pdf, page, box)
    meta = GraphMeta(axes=axes, graph_type=graph_type, plot_area=rendered.plot_area)
    try:
        result = digitize(rendered.pixels, meta)
    except GraphqError as error:
        return [], [f"raster digitizer: {error}"]
    curves = [
        DatasheetCurve(
            label="",
            value=None,
            conditions={},
            points=curve.points,
            confidence=curve.confidence,
            color=curve.color,
        )
        for curve in result.curves
    ]
    return curves, list(result.warnings)


def _snapped(image: Box, rules: Rules, reach: float) -> Box:
    """The image's box with each edge moved onto a frame rule drawn along it, if any."""
    x0, y0, x1, y1 = image
    edges = []
    for value, lines, lo, hi in (
        (x0, rules.vertical, y0, y1),
        (y0, rules.horizontal, x0, x1),
        (x1, rules.vertical, y0, y1),
        (y1, rules.horizontal, x0, x1),
    ):
        along = (
            lines[(lines[:, 1] <= lo + reach) & (lines[:, 2] >= hi - reach)]
            if len(lines)
            else lines
        )
        near = along[np.abs(along[:, 0] - value) <= reach] if len(along) else along
        edges.append(float(near[np.argmin(np.abs(near[:, 0] - value)), 0]) if len(near) else value)
    return edges[0], edges[1], edges[2], edges[3]


def _overlap(inner: Box, outer: Box) -> float:
    width = min(inner[2], outer[2]) - max(inner[0], outer[0])
    height = min(inner[3], outer[3]) - max(inner[1], outer[1])
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / max((inner[2] - inner[0]) * (inner[3] - inner[1]), 1e-9)

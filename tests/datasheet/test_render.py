"""A found graph as files: the panel rendered around its frame, the overlay, CSV and JSON."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from matplotlib.axes import Axes as MplAxes
from PIL import Image

from graphq.datasheet.render import (
    PanelRendering,
    graph_csv,
    graph_json,
    graph_meta,
    graph_overlay,
    render_panel,
)
from graphq.datasheet.types import DatasheetCurve, DatasheetGraph
from graphq.digitizer.types import Axes, Axis
from graphq.review import ReviewNote, ReviewReason
from tests.datasheet.pdfs import frame_box, graph_pdf

_SETTINGS = PanelRendering(dpi=150, margin_pt=20)


def _line_graph(ax: MplAxes) -> None:
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 100)
    ax.plot([0, 10], [0, 100], color="red", linewidth=2)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return graph_pdf(_line_graph)


def graph(**fields: object) -> DatasheetGraph:
    """The graph of :func:`_line_graph` as a reader would return it."""
    values = {
        "page": 1,
        "box": list(frame_box()),
        "graph_type": "output",
        "source": "vector",
        "axes": Axes(
            x=Axis(min=0, max=10, quantity="VDS", unit="V"),
            y=Axis(min=0, max=100, quantity="ID", unit="A"),
        ),
        "curves": [
            DatasheetCurve(
                label="VGS = 10 V",
                value=10.0,
                conditions={"VGS": 10.0, "TJ": 25.0},
                points=[[0.0, 0.0], [5.0, 50.0], [10.0, 100.0]],
                confidence=0.9,
            ),
            DatasheetCurve(
                label="VGS = 4 V",
                value=4.0,
                conditions={"VGS": 4.0},
                points=[[0.0, 0.0], [10.0, 20.0]],
                confidence=0.7,
            ),
        ],
        "caption": "Fig. 1 Output",
        **fields,
    }
    return DatasheetGraph(**values)  # type: ignore[arg-type]


def dark(pixels: np.ndarray) -> np.ndarray:
    return pixels.max(axis=-1) < 100


def test_panel_is_rendered_at_the_asked_resolution_with_a_margin_around_the_frame(
    pdf: bytes,
) -> None:
    panel = render_panel(pdf, 1, frame_box(), _SETTINGS)
    scale = 150 / 72
    x0, y0, x1, y1 = frame_box()
    assert panel.width == pytest.approx((x1 - x0 + 40) * scale, abs=1.5)
    assert panel.height == pytest.approx((y1 - y0 + 40) * scale, abs=1.5)
    assert panel.plot_area == pytest.approx([20 * scale, 20 * scale, *panel.plot_area[2:]])
    assert panel.plot_area[2] - panel.plot_area[0] == pytest.approx((x1 - x0) * scale)


def test_the_frame_and_the_curve_lie_where_plot_area_says(pdf: bytes) -> None:
    panel = render_panel(pdf, 1, frame_box(), _SETTINGS)
    px0, py0, px1, py1 = (round(v) for v in panel.plot_area)
    rows = slice(py0 + 5, py1 - 5)
    left_edge = dark(panel.pixels[rows, px0 - 1 : px0 + 2]).any(axis=1)
    inside = dark(panel.pixels[rows, px0 + 6 : px0 + 9]).any(axis=1)
    assert left_edge.mean() > 0.95 and inside.mean() < 0.05
    mid_x, mid_y = (px0 + px1) // 2, (py0 + py1) // 2
    red, green, _ = panel.pixels[mid_y - 2 : mid_y + 3, mid_x - 2 : mid_x + 3].reshape(-1, 3).T
    assert (red.astype(int) - green > 150).any()


def test_the_margin_stops_at_the_page_edge() -> None:
    pdf = graph_pdf(_line_graph)
    panel = render_panel(pdf, 1, [5.0, 8.0, 100.0, 80.0], _SETTINGS)
    scale = 150 / 72
    assert panel.plot_area[:2] == pytest.approx([5 * scale, 8 * scale])
    assert panel.png().startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(panel.png())).size == (panel.width, panel.height)


def test_overlay_draws_the_curves_over_the_faded_panel(pdf: bytes) -> None:
    panel = render_panel(pdf, 1, frame_box(), _SETTINGS)
    overlay = np.asarray(Image.open(io.BytesIO(graph_overlay(panel, graph()))).convert("RGB"))
    # The panel keeps its place at the top; a legend strip below names the curves.
    assert overlay.shape[1] == panel.pixels.shape[1]
    assert overlay.shape[0] > panel.pixels.shape[0]
    px0, py0, px1, py1 = panel.plot_area
    # The 4 V curve reaches a fifth of the height at the right edge, where the page is white.
    x, y = round(px0 + 0.9 * (px1 - px0)), round(py1 - 0.18 * (py1 - py0))
    before = panel.pixels[y - 3 : y + 4, x - 3 : x + 4]
    after = overlay[y - 3 : y + 4, x - 3 : x + 4]
    assert before.min() > 200
    assert (np.abs(after.astype(int) - before).sum(axis=-1) > 150).any()


def test_json_has_the_fields_spec_4b_names_with_every_axis_field() -> None:
    shown = graph_json(graph())
    assert list(shown) == [
        "page",
        "box",
        "graphType",
        "source",
        "axes",
        "curves",
        "needsReview",
        "reasons",
    ]
    assert shown["axes"]["x"] == {
        "min": 0,
        "max": 10,
        "scale": "linear",
        "quantity": "VDS",
        "unit": "V",
    }
    assert set(shown["curves"][0]) == {"label", "value", "conditions", "points", "confidence"}
    assert shown["curves"][0]["conditions"] == {"VGS": 10.0, "TJ": 25.0}
    assert (shown["needsReview"], shown["reasons"]) == (False, [])


def test_json_says_needs_review_with_the_reasons_of_the_graph() -> None:
    note = ReviewNote(ReviewReason.LABEL_UNREAD, "1 of 2 curves have no label")
    shown = graph_json(graph(reasons=[note]))
    assert shown["needsReview"] is True
    assert shown["reasons"] == [{"code": "label_unread", "message": "1 of 2 curves have no label"}]


def test_csv_heads_its_columns_with_the_axis_quantities_and_tags_rows_with_labels() -> None:
    rows = list(csv.reader(io.StringIO(graph_csv(graph()))))
    assert rows[0] == ["VDS [V]", "ID [A]", "curve"]
    assert rows[1:3] == [["0", "0", "VGS = 10 V"], ["5", "50", "VGS = 10 V"]]
    assert len(rows) == 1 + 3 + 2


def test_meta_lists_labels_from_the_highest_curve_and_keeps_the_plot_area() -> None:
    low_first = graph(curves=list(reversed(graph().curves)))
    meta = graph_meta(low_first, [1.0, 2.0, 3.0, 4.0])
    assert meta.labels == ["VGS = 10 V", "VGS = 4 V"]
    assert (meta.plot_area, meta.graph_type, meta.description) == (
        [1.0, 2.0, 3.0, 4.0],
        "output",
        "Fig. 1 Output",
    )

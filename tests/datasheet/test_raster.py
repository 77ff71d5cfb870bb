"""Scanned pages: frames found in the pixels, axes read by OCR, curves traced by the
digitizer, labels bound from OCR'd text, and every doubt said. The scan is made here: a page
of graphs rendered, tilted, blurred and noised, and embedded as the PDF page's only image."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from graphq.datasheet.raster import _digitized, read_raster_page, skew_deg
from graphq.datasheet.types import DatasheetGraph
from graphq.digitizer.types import Axes, Axis
from graphq.review import Review, ReviewReason
from tests.datagen.datasheet_pdf import DatasheetSpec, GeneratedDatasheet, PageSpec, make_datasheet
from tests.datagen.pdf_panels import PanelSpec
from tests.digitizer.plots import render_plot


@pytest.fixture(scope="module")
def scan() -> tuple[GeneratedDatasheet, list[DatasheetGraph]]:
    page = PageSpec(scanned=True, panels=(PanelSpec("capacitance"), PanelSpec("transfer")))
    datasheet = make_datasheet(DatasheetSpec(seed=1, pages=(page,)))
    return datasheet, read_raster_page(datasheet.pdf, 1)


def _display(axis: Axis, values: np.ndarray) -> np.ndarray:
    return np.log10(values) if axis.scale == "log" else values


def test_each_graph_of_a_scanned_page_is_found_where_it_lies(
    scan: tuple[GeneratedDatasheet, list[DatasheetGraph]],
) -> None:
    datasheet, graphs = scan
    assert len(graphs) == len(datasheet.truth.graphs) == 2
    for graph, truth in zip(graphs, datasheet.truth.graphs, strict=True):
        assert (graph.page, graph.source) == (1, "raster")
        assert graph.box == pytest.approx(truth.box, abs=1.0)


def test_axes_of_a_scanned_graph_are_read_by_ocr(
    scan: tuple[GeneratedDatasheet, list[DatasheetGraph]],
) -> None:
    datasheet, graphs = scan
    for graph, truth in zip(graphs, datasheet.truth.graphs, strict=True):
        for read, true in ((graph.axes.x, truth.axes.x), (graph.axes.y, truth.axes.y)):
            span = float(np.ptp(_display(true, np.array([true.min, true.max]))))
            ends = _display(read, np.array([read.min, read.max]))
            assert read.scale == true.scale
            assert ends == pytest.approx(
                _display(true, np.array([true.min, true.max])), abs=0.01 * span
            )


def test_curves_are_traced_and_bound_to_the_labels_printed_beside_them(
    scan: tuple[GeneratedDatasheet, list[DatasheetGraph]],
) -> None:
    datasheet, graphs = scan
    capacitance, truth = graphs[0], datasheet.truth.graphs[0]
    assert sorted(c.label for c in capacitance.curves) == ["Ciss", "Coss", "Crss"]
    axes = truth.axes
    for curve in capacitance.curves:
        true = next(c for c in truth.curves if c.label == curve.label)
        read_points, true_points = np.array(curve.points), np.array(true.points)
        expected = np.interp(read_points[:, 0], true_points[:, 0], true_points[:, 1])
        error = np.abs(_display(axes.y, read_points[:, 1]) - _display(axes.y, expected))
        span = math.log10(axes.y.max / axes.y.min)
        assert np.median(error) <= 0.01 * span


def test_what_the_scan_did_not_tell_is_said(
    scan: tuple[GeneratedDatasheet, list[DatasheetGraph]],
) -> None:
    _, graphs = scan
    for graph in graphs:
        codes = {note.code for note in graph.reasons}
        assert graph.needs_review == bool(graph.reasons)
        if len(graph.curves) > 1 and any(not c.label for c in graph.curves):
            assert ReviewReason.LABEL_UNREAD in codes
        if graph.graph_type == "custom":
            assert ReviewReason.GRAPH_TYPE_UNCERTAIN in codes


def test_the_digitizer_reads_no_labels_for_a_scanned_panel() -> None:
    # The page's words bind the labels; the labels drawn beside the curves, which the
    # digitizer's own reading would take, are left unread by it.
    pixels, frame = render_plot(curve_labels=True)
    axes = Axes(x=Axis(min=0, max=10), y=Axis(min=0, max=6))
    curves = _digitized(pixels, (frame[0], frame[1], frame[2], frame[3]), axes, "output", Review())
    assert [curve.label for curve in curves] == [f"curve {k}" for k in range(1, 6)]


def test_tilt_of_a_crooked_scan_is_measured() -> None:
    """A frame with grid lines, as wide as a page at 300 dpi."""
    page = np.zeros((1800, 2400))
    page[300:303, 150:2250] = page[1500:1503, 150:2250] = 1.0
    page[300:1503, 150:153] = page[300:1503, 2247:2250] = 1.0
    page[400:1500:100, 150:2250] = 0.8
    tilted = ndimage.rotate(page, 0.4, reshape=False, order=1)
    assert skew_deg(tilted) == pytest.approx(0.4, abs=0.05)
    assert skew_deg(page) == pytest.approx(0.0, abs=0.05)


def test_scanned_page_of_text_only_has_no_graphs() -> None:
    image = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=24)
    for row in range(10):
        draw.text((80, 100 + 60 * row), "Drain-Source Breakdown Voltage 200 V", fill=0, font=font)
    pdf = io.BytesIO()
    image.save(pdf, format="PDF", resolution=100.0)
    assert read_raster_page(pdf.getvalue(), 1) == []


def test_scanned_negative_and_exponent_axes_are_read_right_or_said_doubtful() -> None:
    # Negative ticks (P-channel) and powers of ten with negative exponents (thermal): where
    # OCR drops a minus or misreads an exponent, the labels' progression mends it, or the
    # graph says its axis is doubtful; no axis is wrong in silence.
    page = PageSpec(
        scanned=True,
        panels=(
            PanelSpec("output_pchannel", pchannel_axes="negative"),
            PanelSpec("thermal_impedance", log_x=True, log_y=True),
        ),
    )
    datasheet = make_datasheet(DatasheetSpec(seed=3, pages=(page,)))
    graphs = read_raster_page(datasheet.pdf, 1)
    assert graphs
    right = 0
    for graph in graphs:
        truth = min(
            datasheet.truth.graphs,
            key=lambda t: sum(abs(a - b) for a, b in zip(t.box, graph.box, strict=True)),
        )
        exact = True
        for read, true in ((graph.axes.x, truth.axes.x), (graph.axes.y, truth.axes.y)):
            true_ends = _display(true, np.array([true.min, true.max]))
            ends = _display(read, np.array([read.min, read.max]))
            near = np.abs(ends - true_ends) <= 0.01 * float(np.ptp(true_ends))
            exact &= read.scale == true.scale and bool(near.all())
        doubted = any("axis" in note.message for note in graph.reasons)
        assert exact or doubted, (graph.axes, truth.axes, graph.reasons)
        right += exact
    assert right >= 1

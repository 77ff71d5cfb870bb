"""The generated datasheet PDFs hold what their truth says: texts in the text layer where
the truth puts them, frames on the truth boxes, curves on the drawn paths, scans without text."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest
from scipy.spatial import cKDTree

from graphq.datasheet.types import DatasheetGraph
from tests.datagen.datasheet_pdf import (
    DatasheetSpec,
    GeneratedDatasheet,
    PageSpec,
    example_specs,
    make_datasheet,
)
from tests.datagen.pdf_pages import PAPERS
from tests.datagen.pdf_panels import PanelSpec, parse_conditions, to_page_display

FRAME_TOLERANCE_PT = 0.5
TEXT_SLACK_PT = 2.0
# Truth points are sampled every 0.25 pt along segments whose ends are path vertices; the
# PDF stores vertices to 1/100 pt or better.
PATH_TOLERANCE_PT = 0.3
SCAN_RENDER_DPI = 100.0


@pytest.fixture(scope="module")
def examples() -> dict[str, GeneratedDatasheet]:
    specs = example_specs(seed=7)
    names = ("vector_page", "vector_page_2", "raster_panels", "scanned")
    return {name: make_datasheet(specs[name]) for name in names}


@pytest.fixture(scope="module")
def multipage() -> GeneratedDatasheet:
    panels = (PanelSpec("output"), PanelSpec("capacitance", raster=True))
    return make_datasheet(
        DatasheetSpec(11, (PageSpec(kind="spec"), PageSpec(panels=panels)), paper="letter")
    )


def _open(made: GeneratedDatasheet) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(made.pdf))


def _chars_in(page: pdfplumber.page.Page, box: list[float]) -> str:
    x0, top, x1, bottom = box
    return "".join(
        c["text"]
        for c in page.chars
        if c["x0"] >= x0 - TEXT_SLACK_PT
        and c["x1"] <= x1 + TEXT_SLACK_PT
        and c["top"] >= top - TEXT_SLACK_PT
        and c["bottom"] <= bottom + TEXT_SLACK_PT
    )


def _vector_graphs(made: GeneratedDatasheet) -> list[DatasheetGraph]:
    return [g for g in made.truth.graphs if g.source == "vector"]


def test_every_caption_tick_label_and_title_is_text_where_the_truth_puts_it(examples):
    for name in ("vector_page", "vector_page_2", "raster_panels"):
        made = examples[name]
        with _open(made) as pdf:
            checked = 0
            for text in made.texts:
                if text.layer == "image":
                    continue
                page = pdf.pages[text.page - 1]
                expected = re.sub(r"\s", "", text.text)
                assert re.sub(r"\s", "", _chars_in(page, text.box)) == expected, (name, text)
                checked += 1
        roles = {t.role for t in made.texts}
        assert {"caption", "x_tick", "y_tick", "x_title", "y_title"} <= roles
        assert checked > 6 * 8


def test_tick_labels_come_in_the_vendor_formats(examples):
    texts = [t.text for made in examples.values() for t in made.texts if t.role.endswith("tick")]
    assert "10,000" in texts
    assert any(re.fullmatch(r"1E-?\d", t) for t in texts)
    assert any(re.fullmatch(r"1\.0E[+-]\d\d", t) for t in texts)
    # 10 with a raised exponent: the text layer holds "10" then the exponent's glyphs.
    assert any(re.fullmatch(r"10−?\d", t) for t in texts)
    assert any(t.startswith("−") for t in texts)


def test_tick_values_match_the_printed_labels_on_linear_axes(examples):
    made = examples["vector_page"]
    checked = 0
    for text in made.texts:
        if not text.role.endswith("tick"):
            continue
        graph = made.truth.graphs[text.graph]
        axis = graph.axes.x if text.role == "x_tick" else graph.axes.y
        if axis.scale == "linear":
            printed = float(text.text.replace(",", "").replace("−", "-"))
            assert printed == pytest.approx(text.value, abs=1e-9)
            checked += 1
    assert checked > 20


def test_frame_edges_are_drawn_on_the_truth_box(examples, multipage):
    for made in (examples["vector_page"], examples["vector_page_2"], multipage):
        with _open(made) as pdf:
            for graph in _vector_graphs(made):
                edges = pdf.pages[graph.page - 1].edges
                x0, top, x1, bottom = graph.box
                for orientation, at, low, high in (
                    ("h", top, x0, x1),
                    ("h", bottom, x0, x1),
                    ("v", x0, top, bottom),
                    ("v", x1, top, bottom),
                ):
                    key, start, end = (
                        ("top", "x0", "x1") if orientation == "h" else ("x0", "top", "bottom")
                    )
                    assert any(
                        e["orientation"] == orientation
                        and abs(e[key] - at) <= FRAME_TOLERANCE_PT
                        and e[start] <= low + FRAME_TOLERANCE_PT
                        and e[end] >= high - FRAME_TOLERANCE_PT
                        for e in edges
                    ), (graph.caption, orientation, at)


def test_vector_curve_truth_lies_on_the_drawn_paths(examples):
    made = examples["vector_page"]
    with _open(made) as pdf:
        page = pdf.pages[0]
        vertices = np.array([p for curve in page.curves for p in curve["pts"]], dtype=float)
        tree = cKDTree(vertices)
        for graph in _vector_graphs(made):
            for curve in graph.curves:
                points = to_page_display(np.array(curve.points), graph)
                distance, _ = tree.query(points)
                assert np.max(distance) <= PATH_TOLERANCE_PT, (graph.caption, curve.label)


def test_curve_truth_is_sorted_inside_the_axis_ranges_and_dense(examples, multipage):
    for made in (*examples.values(), multipage):
        for graph in made.truth.graphs:
            assert graph.curves, graph.caption
            for curve in graph.curves:
                points = np.array(curve.points)
                assert len(points) >= 50
                assert np.all(np.diff(points[:, 0]) >= 0)
                for column, axis in ((0, graph.axes.x), (1, graph.axes.y)):
                    low, high = sorted((axis.min, axis.max))
                    span = high - low
                    assert np.all(points[:, column] >= low - 1e-9 * span)
                    assert np.all(points[:, column] <= high + 1e-9 * span)


def test_raster_panels_are_one_image_on_the_frame_with_text_around_it(examples):
    made = examples["raster_panels"]
    raster = [g for g in made.truth.graphs if g.source == "raster"]
    assert len(raster) == 2
    with _open(made) as pdf:
        page = pdf.pages[0]
        for graph in raster:
            x0, top, x1, bottom = graph.box
            covering = [
                image
                for image in page.images
                if image["x0"] <= x0 + 1
                and image["x1"] >= x1 - 1
                and image["top"] <= top + 1
                and image["bottom"] >= bottom - 1
            ]
            assert len(covering) == 1, graph.caption
            inside = [
                c
                for c in page.curves
                if c["x0"] > x0 and c["x1"] < x1 and c["top"] > top and c["bottom"] < bottom
            ]
            assert inside == []
    assert any(t.role == "y_tick" and t.layer == "text" for t in made.texts)


def test_a_scanned_page_has_no_text_and_a_single_image(examples):
    made = examples["scanned"]
    assert all(g.source == "raster" for g in made.truth.graphs)
    assert all(t.layer == "image" for t in made.texts)
    with _open(made) as pdf:
        page = pdf.pages[0]
        assert page.chars == []
        assert len(page.images) == 1
        assert page.lines == [] and page.curves == []
    scan = made.scans[1]
    assert 0 < abs(scan.rotation_deg) < 0.5


def test_a_scanned_frame_lies_where_the_scan_moved_it(examples):
    """The truth box and the tilt agree with the pixels: the frame's top edge, turned by
    the scan's tilt about the box centre, is darker than a line 3 pt above it."""
    made = examples["scanned"]
    angle = math.radians(made.scans[1].rotation_deg)
    document = pdfium.PdfDocument(made.pdf)
    try:
        scale = SCAN_RENDER_DPI / 72.0
        bitmap = document[0].render(scale=scale, grayscale=True)
        pixels = np.asarray(bitmap.to_pil().convert("L"))
    finally:
        document.close()

    def mean_grey(points: np.ndarray) -> float:
        rows = np.rint(points[:, 1] * scale - 0.5).astype(int)
        cols = np.rint(points[:, 0] * scale - 0.5).astype(int)
        return float(pixels[rows, cols].mean())

    for graph in made.truth.graphs:
        x0, top, x1, bottom = graph.box
        centre = np.array([(x0 + x1) / 2, (top + bottom) / 2])
        offsets = np.column_stack(
            [np.linspace(x0 + 5, x1 - 5, 60) - centre[0], np.full(60, top - centre[1])]
        )
        # Counter-clockwise on the page for a positive tilt (y grows downwards).
        turn = np.array([[math.cos(angle), math.sin(angle)], [-math.sin(angle), math.cos(angle)]])
        edge = centre + offsets @ turn.T
        assert mean_grey(edge) < mean_grey(edge - [0.0, 3.0]) - 20, graph.caption


def test_the_same_spec_gives_the_same_bytes_and_another_seed_does_not():
    spec = DatasheetSpec(5, (PageSpec(panels=(PanelSpec("transfer"),)),))
    first, second = make_datasheet(spec), make_datasheet(spec)
    assert first.pdf == second.pdf
    assert first.truth == second.truth
    other = make_datasheet(DatasheetSpec(6, spec.pages))
    assert other.pdf != first.pdf


def test_a_multipage_datasheet_opens_with_a_spec_page_and_numbers_its_figures(multipage):
    truth = multipage.truth
    assert truth.pages == 2
    with _open(multipage) as pdf:
        assert len(pdf.pages) == 2
        assert pdf.pages[0].width == pytest.approx(PAPERS["letter"][0])
        assert "Electrical Characteristics" in pdf.pages[0].extract_text()
    assert [g.page for g in truth.graphs] == [2, 2]
    assert [g.source for g in truth.graphs] == ["vector", "raster"]
    numbers = [int(re.search(r"\d+", g.caption).group()) for g in truth.graphs]
    assert numbers == [1, 2]


def test_p_channel_graphs_carry_negative_gate_voltages_and_axes(examples):
    graphs = [
        g for g in examples["vector_page_2"].truth.graphs if g.axes.x.quantity.endswith("VDS")
    ]
    magnitude = next(g for g in graphs if g.axes.x.quantity == "-VDS")
    negative = next(g for g in graphs if g.axes.x.max == 0)
    for graph in (magnitude, negative):
        assert graph.graph_type == "output"
        assert all(c.value is not None and c.value < 0 for c in graph.curves)
        assert all(c.conditions["VGS"] == c.value for c in graph.curves)
        assert all(c.label.startswith("VGS = -") for c in graph.curves)
    assert magnitude.axes.y.quantity == "-ID" and magnitude.axes.y.min == 0
    assert negative.axes.y.max == 0
    assert all(np.all(np.array(c.points) <= 0) for c in negative.curves)


def test_conditions_printed_for_a_graph_reach_every_curve(examples):
    capacitance = [
        g for made in examples.values() for g in made.truth.graphs if g.graph_type == "capacitance"
    ]
    assert capacitance
    for graph in capacitance:
        assert graph.conditions == {"VGS": 0.0, "f": 1e6}
        assert {c.label for c in graph.curves} <= {"Ciss", "Coss", "Crss"}
        assert all(c.conditions == graph.conditions and c.value is None for c in graph.curves)


def test_conditions_are_read_in_base_units():
    assert parse_conditions("ID = 250 µA") == {"ID": pytest.approx(2.5e-4)}
    assert parse_conditions("VGS = 0 V\nf = 1 MHz") == {"VGS": 0.0, "f": 1e6}
    assert parse_conditions("Notes:\n1. 250 µs pulse test\n2. TC = 25 °C") == {
        "TC": 25.0,
        "tp": pytest.approx(2.5e-4),
    }
    assert parse_conditions("Ciss = Cgs + Cgd") == {}
    assert math.isclose(parse_conditions("VGS = -4.5 V")["VGS"], -4.5)

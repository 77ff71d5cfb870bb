import numpy as np

from graphq.datasheet import read_datasheet
from graphq.datasheet.types import DatasheetCurve, DatasheetGraph
from graphq.review import ReviewReason
from tests.datagen.datasheet_pdf import example_specs, make_datasheet
from tests.datasheet.pdfs import graph_pdf, outlined_graph_pdf


def _display(points: np.ndarray, graph: DatasheetGraph) -> np.ndarray:
    """Points as fractions of the axis spans (decades on a log axis)."""
    out = np.empty_like(points)
    for k, axis in enumerate((graph.axes.x, graph.axes.y)):
        if axis.scale == "log":
            lo, hi, v = np.log10(axis.min), np.log10(axis.max), np.log10(points[:, k])
        else:
            lo, hi, v = axis.min, axis.max, points[:, k]
        out[:, k] = (v - lo) / (hi - lo)
    return out


def _median_error(truth: DatasheetCurve, got: DatasheetCurve, graph: DatasheetGraph) -> float:
    t = _display(np.asarray(truth.points), graph)
    g = _display(np.asarray(got.points), graph)
    distances = np.hypot(t[:, None, 0] - g[None, ::4, 0], t[:, None, 1] - g[None, ::4, 1])
    return float(np.median(distances.min(axis=1)))


def test_vector_page_graphs_axes_and_curves_are_read_exactly() -> None:
    made = make_datasheet(example_specs()["vector_page"])
    steps: list[tuple[float, str]] = []
    result = read_datasheet(made.pdf, progress=lambda f, s: steps.append((f, s)))
    assert steps[-1][0] == 1.0
    assert len(result.graphs) == len(made.truth.graphs)
    recovered = total = 0
    for truth in made.truth.graphs:
        (got,) = [g for g in result.graphs if np.allclose(g.box, truth.box, atol=1.5)]
        assert got.graph_type == truth.graph_type
        for name in ("x", "y"):
            t, g = getattr(truth.axes, name), getattr(got.axes, name)
            assert g.scale == t.scale
            assert np.isclose(g.min, t.min, rtol=1e-3, atol=1e-6)
            assert np.isclose(g.max, t.max, rtol=1e-3, atol=1e-6)
        for curve in truth.curves:
            total += 1
            errors = [_median_error(curve, c, truth) for c in got.curves]
            recovered += bool(errors) and min(errors) < 0.002
    assert recovered >= 0.9 * total


def test_an_embedded_image_graph_is_digitized_with_the_axes_its_text_layer_prints() -> None:
    made = make_datasheet(example_specs()["raster_panels"])
    result = read_datasheet(made.pdf)
    rasters = [t for t in made.truth.graphs if t.source == "raster"]
    assert rasters
    for truth in rasters:
        (got,) = [g for g in result.graphs if np.allclose(g.box, truth.box, atol=2.0)]
        assert got.source == "raster"
        for name in ("x", "y"):
            t, g = getattr(truth.axes, name), getattr(got.axes, name)
            assert g.scale == t.scale
            span = np.log10(t.max / t.min) if t.scale == "log" else t.max - t.min
            low = np.log10(g.min / t.min) if t.scale == "log" else g.min - t.min
            assert abs(low) <= 0.02 * span
        assert got.curves
        assert any(n.code == "label_unread" for n in got.reasons) or len(got.curves) == 1


def test_curve_confidence_says_how_sure_its_label_is() -> None:
    from .pdfs import graph_pdf

    xs = np.linspace(0, 10, 100)

    def draw(ax):
        ax.plot(xs, 8 + 0.1 * xs, color="black")
        ax.plot(xs, 2 + 0.1 * xs, color="black")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 12)
        ax.text(4, 9.0, "VGS = 10 V")  # binds inline to the upper curve
        ax.text(4, 5.3, "4 V")  # halfway between: binds to neither

    (graph,) = read_datasheet(graph_pdf(draw)).graphs
    by_label = {c.label: c.confidence for c in graph.curves}
    assert by_label["VGS = 10 V"] >= 0.9
    assert by_label[""] <= 0.35
    unread = [n for n in graph.reasons if n.code == "label_unread"]
    assert unread and "4 V" in unread[0].message
    assert graph.conditions == {}  # "4 V" names a curve the page leaves unread, not the graph


def _small_picture_page() -> bytes:
    """A letter page without text whose only content is a 2 × 1.5 in picture of a graph."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    graph = Figure(figsize=(2.0, 1.5), dpi=150)
    ax = graph.add_axes((0.25, 0.25, 0.7, 0.7))
    ax.plot([0, 5, 10], [0, 8, 9], color="black")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    canvas = FigureCanvasAgg(graph)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3]
    page = Figure(figsize=(8.5, 11))
    holder = page.add_axes((0.1, 0.7, 2.0 / 8.5, 1.5 / 11))
    holder.imshow(pixels, interpolation="none")
    holder.set_axis_off()
    buffer = io.BytesIO()
    page.savefig(buffer, format="pdf")
    return buffer.getvalue()


def test_a_small_picture_on_a_page_without_text_is_no_scanned_page() -> None:
    # Logos and package photos on a cover page are pictures, not a scan to read.
    result = read_datasheet(_small_picture_page())
    assert result.graphs == [] and result.warnings == []


def _transfer_labels(ax) -> None:
    xs = np.linspace(0, 10, 100)
    for label, top in (("55°C", 9), ("25°C", 6), ("150°C", 3)):
        ax.plot(xs, top * (1 - np.exp(-xs / 2)), color="black")
        ax.text(10.2, top * (1 - np.exp(-5)), label, fontsize=10, va="center")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)


def test_an_ocr_read_cold_rating_without_its_minus_is_flagged_for_review() -> None:
    (graph,) = read_datasheet(outlined_graph_pdf(_transfer_labels)).graphs
    assert "55°C" in [curve.label for curve in graph.curves]
    (note,) = [r for r in graph.reasons if "minus sign" in r.message]
    assert note.code == ReviewReason.LABEL_UNREAD
    assert note.message.endswith(": 55°C")


def test_a_cold_rating_printed_in_the_text_layer_is_taken_as_printed() -> None:
    (graph,) = read_datasheet(graph_pdf(_transfer_labels)).graphs
    assert "55°C" in [curve.label for curve in graph.curves]
    assert not [r for r in graph.reasons if "minus sign" in r.message]


def _ambient_transfer(ax) -> None:
    """Transfer curves labelled as DN2540 prints them: "TA = -55°C" set apart, the two
    others bare values in a column."""
    xs = np.linspace(0, 5, 100)
    for label, top in (("TA = -55°C", 0.37), ("25°C", 0.28), ("125°C", 0.2)):
        ax.plot(xs, top / (1 + np.exp(-4 * (xs - 2))), color="black")
        ax.text(2.6 if "=" in label else 3.3, top + 0.012, label, fontsize=9)
    ax.set_xlim(0, 5)
    ax.set_ylim(0, 0.4)
    ax.set_xlabel("VGS (volts)")
    ax.set_ylabel("ID (amperes)")


def test_bare_temperatures_beside_an_ambient_label_are_ambient_temperatures_too() -> None:
    (graph,) = read_datasheet(graph_pdf(_ambient_transfer)).graphs
    by_label = {curve.label: curve.conditions for curve in graph.curves}
    assert by_label == {"TA = -55°C": {"Ta": -55.0}, "25°C": {"Ta": 25.0}, "125°C": {"Ta": 125.0}}


def _safe_operating_area(ax) -> None:
    """A log-log ID against VDS graph titled just above its frame, the title reaching down
    level with the top tick label's exponent."""
    xs = np.logspace(0, 3, 50)
    for level in (0.5, 0.2):
        ax.loglog(xs, level / np.sqrt(xs), color="black")
    ax.set_xlim(1, 1000)
    ax.set_ylim(0.001, 1.0)
    ax.set_xlabel("VDS (volts)")
    ax.set_ylabel("ID (amperes)")
    ax.set_title("Maximum Rated Safe Operating Area", loc="left", pad=0, fontsize=12)


def test_a_title_level_with_the_top_tick_label_is_the_caption_and_names_the_type() -> None:
    (graph,) = read_datasheet(graph_pdf(_safe_operating_area)).graphs
    assert graph.caption == "Maximum Rated Safe Operating Area"
    assert graph.graph_type == "custom"
    assert not [n for n in graph.reasons if n.code == ReviewReason.GRAPH_TYPE_UNCERTAIN]


def _gridded_plate_curves(ax) -> None:
    xs = np.linspace(0, 300, 200)
    for k, label in enumerate(("Ug=0V", "-2V", "-4V")):
        start = 60.0 * k
        ys = np.where(xs > start, 1e-4 * (xs - start) ** 2, 0.0)
        ax.plot(xs, ys, color="black", lw=1.2)
        # The label stands on the grid, a line through it, as old sheets print them.
        ax.text(start + 150, 1e-4 * 150**2, label, fontsize=9, ha="left", va="center")
    ax.grid(True, color="black", lw=0.5)
    ax.set_xlim(0, 300)
    ax.set_ylim(0, 8)


def test_a_graph_whose_numbers_are_outlines_beside_a_text_title_is_read_by_ocr() -> None:
    pdf = outlined_graph_pdf(_gridded_plate_curves, title="PLATE CHARACTERISTICS")
    (graph,) = read_datasheet(pdf).graphs
    x, y = graph.axes.x, graph.axes.y
    assert np.allclose((x.min, x.max, y.min, y.max), (0, 300, 0, 8), atol=1e-3)
    assert sorted(curve.label for curve in graph.curves) == ["-2V", "-4V", "Ug=0V"]

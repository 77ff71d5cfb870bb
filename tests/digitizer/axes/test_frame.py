import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from graphq.digitizer.axes.frame import detect_plot_area, find_frame
from graphq.digitizer.preprocessing.ink import darkness
from graphq.errors import GraphqError
from tests.datagen import generate_graph
from tests.digitizer.plots import render_plot


def _assert_frame(found: list[float], expected: list[float], tolerance_px: float) -> None:
    np.testing.assert_allclose(found, expected, atol=tolerance_px)


def test_thin_frame_is_found_at_its_line_centres() -> None:
    pixels, box = render_plot()
    _assert_frame(detect_plot_area(darkness(pixels)), box, 1.0)


def test_thick_frame_with_inward_ticks_and_title() -> None:
    pixels, box = render_plot(frame_px=4, ticks_inside=True, title="Fig. 13. Capacitance")
    _assert_frame(detect_plot_area(darkness(pixels)), box, 1.5)


@pytest.mark.parametrize(("size_in", "title_pt"), [((3.2, 2.6), 8.0), ((4.0, 3.0), 10.0)])
def test_a_bold_title_just_above_the_frame_at_72_dpi_is_not_its_top_edge(
    size_in: tuple[float, float], title_pt: float
) -> None:
    # At 72 dpi the title's letters close into a long line a few px above the frame, and the
    # frame's sides, joined to them, reach it: the frame is the solid line below.
    pixels, box = render_plot(
        title="Capacitance Vs. Drain-to-Source Voltage",
        ticks_inside=True,
        size_in=size_in,
        dpi=72.0,
        bold_title_pt=title_pt,
    )
    _assert_frame(detect_plot_area(darkness(pixels)), box, 1.0)


# Seed 53's frame is a dashed edge grid line with a solid minor grid line just inside it.
@pytest.mark.parametrize("seed", [3, 15, 42, 53])
def test_frame_made_only_of_edge_grid_lines(seed: int) -> None:
    graph = generate_graph(seed, style_overrides={"frame": "grid_edge"})
    _assert_frame(detect_plot_area(darkness(graph.image)), list(graph.plot_area), 1.5)


@pytest.mark.parametrize("seed", [5, 27])
def test_thick_generated_frame_is_found_at_its_centre(seed: int) -> None:
    graph = generate_graph(seed, style_overrides={"frame": "thick", "frame_px": 3.0})
    _assert_frame(detect_plot_area(darkness(graph.image)), list(graph.plot_area), 1.5)


def test_blank_page_has_no_frame() -> None:
    with pytest.raises(GraphqError) as caught:
        detect_plot_area(np.zeros((300, 400), dtype=np.float32))
    assert caught.value.code == "NO_CURVES_FOUND"


@pytest.mark.parametrize("seed", [3, 8])
def test_frame_of_pale_dotted_blurred_edge_grid_lines(seed: int) -> None:
    graph = generate_graph(
        seed,
        style_overrides={"frame": "grid_edge", "grid_major": "dotted", "blur_sigma_px": 0.9},
    )
    _assert_frame(detect_plot_area(darkness(graph.image)), list(graph.plot_area), 1.5)


@pytest.mark.parametrize("seed", [4, 19])
def test_a_plot_with_only_two_axis_lines_is_framed_by_their_corner(seed: int) -> None:
    graph = generate_graph(seed, style_overrides={"frame": "two_axis", "grid_major": "none"})
    frame = find_frame(darkness(graph.image))
    assert not frame.closed
    _assert_frame(frame.box, list(graph.plot_area), 2.0)


def test_a_boxed_plot_is_framed_by_its_closed_box() -> None:
    pixels, box = render_plot()
    frame = find_frame(darkness(pixels))
    assert frame.closed
    _assert_frame(frame.box, box, 1.0)


def test_a_side_merged_with_the_grid_lines_crowding_it_is_found_at_its_outer_edge() -> None:
    # A blurred 72 dpi log axis: the frame's left and top lines and the 7, 8 and 9 lines of
    # the decade beside them, a px apart, run together into bands 9 px wide.
    ink = np.zeros((300, 400), dtype=np.float32)
    ink[40:49, 50:351] = ink[40:261, 50:59] = 0.6
    ink[40, 50:351] = ink[260, 50:351] = 1.0
    ink[40:261, 50] = ink[40:261, 350] = 1.0
    _assert_frame(find_frame(ink).box, [50.0, 40.0, 350.0, 260.0], 1.0)


def test_a_right_side_hidden_by_labels_over_it_is_where_the_lines_across_end() -> None:
    """Pulse-width labels with white backgrounds stand over the right edge, as on a safe-
    operating-area graph: the edge's line is cut into pieces that reach neither corner, and
    the bold limit line beside it closes a box; the lines across the plot end at the edge."""
    figure = plt.figure(figsize=(4.5, 3.5), dpi=100)
    axes = figure.add_axes((0.15, 0.12, 0.72, 0.8))
    axes.plot([1, 1000], [1, 9], color="black")
    axes.axvline(700, color="black", lw=1.2)
    axes.set_xscale("log")
    axes.set_xlim(1, 1000)
    axes.set_ylim(0, 10)
    axes.grid(True, which="both", color="0.6")
    for y, text in ((8.5, "10 µs"), (5.5, "100 µs"), (2.5, "1 ms")):
        white = {"facecolor": "white", "edgecolor": "none", "pad": 4.0}
        axes.text(900, y, text, va="center", fontsize=9, clip_on=False, bbox=white)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    extent = axes.get_window_extent()
    rows = pixels.shape[0]
    plt.close(figure)
    frame = find_frame(darkness(pixels))
    assert frame.closed
    _assert_frame(frame.box, [extent.x0, rows - extent.y1, extent.x1, rows - extent.y0], 1.5)

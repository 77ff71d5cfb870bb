"""The rendered pixels agree with the truth and the frame box to within a pixel."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from graphq.digitizer.types import Axes, Axis
from tests.datagen import GeneratedGraph, TruthCurve, generate_graph, render_graph
from tests.datagen.axes import to_display

PLAIN = {
    "color_mode": "black",
    "line_px": 1.0,
    "dash_mode": "solid",
    "grid_major": "none",
    "grid_minor": "none",
    "frame": "normal",
    "frame_px": 1.0,
    "ticks_inside": False,
    "title": "",
    "label_mode": "none",
    "boxes": [],
    "format": "png",
    "blur_sigma_px": 0.0,
    "noise_sigma": 0.0,
    "background_grey": 255,
}


def truth_pixels(graph: GeneratedGraph) -> np.ndarray:
    """Every truth point mapped to (column, row) array coordinates."""
    x0, y0, x1, y1 = graph.plot_area
    points = np.concatenate([c.points for c in graph.truth])
    fx = to_display(points[:, 0], graph.meta.axes.x)
    fy = to_display(points[:, 1], graph.meta.axes.y)
    return np.column_stack([x0 + fx * (x1 - x0), y1 - fy * (y1 - y0)])


def dark_pixels_inside(graph: GeneratedGraph, inset_px: int) -> np.ndarray:
    x0, y0, x1, y1 = (round(v) for v in graph.plot_area)
    grey = graph.image.mean(axis=2)
    rows, cols = np.nonzero(
        grey[y0 + inset_px : y1 - inset_px, x0 + inset_px : x1 - inset_px] < 128
    )
    return np.column_stack([cols + x0 + inset_px, rows + y0 + inset_px]).astype(float)


@pytest.mark.parametrize(
    ("seed", "graph_type"),
    [
        (1, "output"),
        (2, "capacitance"),
        (3, "thermal_impedance"),
        (4, "transfer"),
        (5, "gate_charge"),
    ],
)
def test_dark_pixels_lie_on_the_truth_mapped_to_pixels(seed: int, graph_type: str) -> None:
    graph = generate_graph(seed, graph_type=graph_type, style_overrides=PLAIN)
    truth = truth_pixels(graph)
    dark = dark_pixels_inside(graph, inset_px=3)
    assert len(dark) > 100
    distance_px, _ = cKDTree(truth).query(dark)
    assert distance_px.max() <= 1.0


def test_every_truth_point_has_ink_beneath_it() -> None:
    graph = generate_graph(7, graph_type="output", style_overrides=PLAIN)
    x0, y0, x1, y1 = graph.plot_area
    truth = truth_pixels(graph)
    inner = truth[
        (truth[:, 0] > x0 + 3)
        & (truth[:, 0] < x1 - 3)
        & (truth[:, 1] > y0 + 3)
        & (truth[:, 1] < y1 - 3)
    ]
    ink = np.argwhere(graph.image.mean(axis=2) < 200)[:, ::-1].astype(float)
    distance_px, _ = cKDTree(ink).query(inner)
    assert distance_px.max() <= 1.0


def column_darkness_centre(graph: GeneratedGraph, column: float, half_window: int) -> float:
    """Darkness-weighted centre of the image columns around ``column``, over mid rows."""
    _, y0, _, y1 = graph.plot_area
    rows = slice(round(y0 + (y1 - y0) * 0.3), round(y0 + (y1 - y0) * 0.7))
    start = round(column) - half_window
    band = 255.0 - graph.image[rows, start : start + 2 * half_window + 1].mean(axis=2)
    profile = np.median(band, axis=0)
    return start + float(np.sum(profile * np.arange(len(profile))) / np.sum(profile))


def row_darkness_centre(graph: GeneratedGraph, row: float, half_window: int) -> float:
    x0, _, x1, _ = graph.plot_area
    cols = slice(round(x0 + (x1 - x0) * 0.3), round(x0 + (x1 - x0) * 0.7))
    start = round(row) - half_window
    band = 255.0 - graph.image[start : start + 2 * half_window + 1, cols].mean(axis=2)
    profile = np.median(band, axis=1)
    return start + float(np.sum(profile * np.arange(len(profile))) / np.sum(profile))


def flat_curve_graph(**style: object) -> GeneratedGraph:
    axes = Axes(x=Axis(min=0.0, max=10.0), y=Axis(min=0.0, max=1.0))
    x = np.linspace(0.0, 10.0, 50)
    curve = TruthCurve("flat", None, np.column_stack([x, np.full_like(x, 0.9)]))
    return render_graph(
        [curve], axes, graph_type="custom", seed=3, style_overrides={**PLAIN, **style}
    )


@pytest.mark.parametrize(
    "frame_style",
    [
        {"frame": "normal", "frame_px": 1.0},
        {"frame": "thick", "frame_px": 3.0},
        {"frame": "thick", "frame_px": 2.0},
        {"frame": "grid_edge", "grid_major": "solid_black"},
    ],
)
def test_frame_lines_are_centred_on_the_plot_area_box(frame_style: dict[str, object]) -> None:
    graph = flat_curve_graph(**frame_style)
    x0, _, x1, y1 = graph.plot_area
    assert column_darkness_centre(graph, x0, 4) == pytest.approx(x0, abs=0.1)
    assert column_darkness_centre(graph, x1, 4) == pytest.approx(x1, abs=0.1)
    assert row_darkness_centre(graph, y1, 4) == pytest.approx(y1, abs=0.1)


def test_curve_along_a_frame_edge_is_left_out_of_the_truth() -> None:
    axes = Axes(x=Axis(min=0.0, max=10.0), y=Axis(min=0.0, max=1.0))
    x = np.linspace(0.0, 10.0, 200)
    on_floor_then_up = np.clip((x - 5.0) * 0.2, 0.0, None)
    curve = TruthCurve("rising", None, np.column_stack([x, on_floor_then_up]))
    graph = render_graph([curve], axes, graph_type="custom", seed=1, style_overrides=PLAIN)
    assert graph.truth[0].points[:, 0].min() > 5.0


def test_a_curve_hidden_under_another_along_its_whole_length_is_not_drawn() -> None:
    axes = Axes(x=Axis(min=0.0, max=10.0), y=Axis(min=0.0, max=1.0))
    x = np.linspace(0.0, 10.0, 200)
    lower = TruthCurve("lower", None, np.column_stack([x, 0.3 + 0.02 * x]))
    hidden = TruthCurve("hidden", None, np.column_stack([x, 0.301 + 0.02 * x]))
    fanning = TruthCurve("fanning", None, np.column_stack([x, 0.3 + 0.02 * x + 0.03 * (x < 2)]))
    graph = render_graph(
        [lower, hidden, fanning], axes, graph_type="custom", seed=1, style_overrides=PLAIN
    )
    assert sorted(c.label for c in graph.truth) == ["fanning", "lower"]


def test_curves_leaving_through_the_top_are_clipped_to_the_frame() -> None:
    axes = Axes(x=Axis(min=0.0, max=10.0), y=Axis(min=0.0, max=1.0))
    x = np.linspace(0.0, 10.0, 200)
    curve = TruthCurve("steep", None, np.column_stack([x, 0.3 * x]))
    graph = render_graph([curve], axes, graph_type="custom", seed=1, style_overrides=PLAIN)
    points = graph.truth[0].points
    assert points[:, 1].max() <= 1.0
    assert points[:, 0].max() == pytest.approx(1.0 / 0.3, abs=0.05)


def test_truth_is_sorted_by_x_and_listed_from_highest_curve() -> None:
    graph = generate_graph(11, graph_type="thermal_impedance")
    for curve in graph.truth:
        assert np.all(np.diff(curve.points[:, 0]) >= 0)
    means = [np.mean(to_display(c.points[:, 1], graph.meta.axes.y)) for c in graph.truth]
    assert means[0] == max(means)
    assert graph.meta.labels == [c.label for c in graph.truth]


def test_meta_carries_no_plot_area() -> None:
    assert generate_graph(5).meta.plot_area is None


def test_caller_colours_are_kept() -> None:
    axes = Axes(x=Axis(min=0.0, max=1.0), y=Axis(min=0.0, max=1.0))
    x = np.linspace(0.0, 1.0, 20)
    curve = TruthCurve("mine", None, np.column_stack([x, 0.5 * x + 0.2]), color="#ff0000")
    graph = render_graph([curve], axes, graph_type="custom", seed=2, style_overrides=PLAIN)
    assert graph.truth[0].color == "#ff0000"


def test_unknown_style_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown style keys"):
        generate_graph(1, style_overrides={"colour": "black"})

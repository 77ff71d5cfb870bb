"""The scorer measures error in display units and counts recovered, missed and spurious."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.digitizer.types import Axes, Axis, Curve, DigitizeResult
from tests.datagen import GeneratedGraph, TruthCurve, generate_graph, render_graph, score_result


def as_result(graph: GeneratedGraph, curves: list[np.ndarray]) -> DigitizeResult:
    return DigitizeResult(
        plot_area=list(graph.plot_area),
        curves=[
            Curve(
                label=f"curve {i}", value=None, color="#000000", points=p.tolist(), confidence=1.0
            )
            for i, p in enumerate(curves)
        ],
    )


def two_line_graph() -> GeneratedGraph:
    """A flat line and a near-vertical one on a log-y axis."""
    axes = Axes(x=Axis(min=0.0, max=10.0), y=Axis(min=0.01, max=100.0, scale="log"))
    x = np.linspace(0.0, 10.0, 100)
    flat = TruthCurve("flat", None, np.column_stack([x, np.full_like(x, 20.0)]))
    steep_x = np.linspace(5.0, 5.05, 100)
    steep = TruthCurve(
        "steep", None, np.column_stack([steep_x, 10.0 ** (-2 + (steep_x - 5.0) * 60)])
    )
    return render_graph(
        [flat, steep], axes, graph_type="custom", seed=4, style_overrides={"label_mode": "none"}
    )


def test_perfect_result_scores_zero_error_and_recovers_every_curve() -> None:
    graph = generate_graph(21, graph_type="output")
    score = score_result(as_result(graph, [c.points for c in graph.truth]), graph)
    assert score.recovered_count == score.truth_count == len(graph.truth)
    assert score.spurious == 0
    assert score.plot_area_error_px == 0.0
    for curve in score.curves:
        assert curve.median_error == pytest.approx(0.0, abs=1e-12)
        assert curve.coverage == pytest.approx(1.0)


def test_vertical_shift_scores_the_shift_as_a_fraction_of_the_decades() -> None:
    graph = two_line_graph()
    shift_decades = 0.02
    flat = graph.truth[[c.label for c in graph.truth].index("flat")]
    shifted = flat.points * [1.0, 10.0**shift_decades]
    score = score_result(as_result(graph, [shifted]), graph)
    flat_score = next(c for c in score.curves if c.label == "flat")
    assert flat_score.median_error == pytest.approx(shift_decades / 4, rel=1e-3)
    assert flat_score.recovered


def test_near_vertical_curve_error_is_its_horizontal_offset() -> None:
    graph = two_line_graph()
    steep = next(c for c in graph.truth if c.label == "steep")
    shifted = steep.points + np.array([0.05, 0.0])
    score = score_result(as_result(graph, [shifted]), graph)
    steep_score = next(c for c in score.curves if c.label == "steep")
    assert steep_score.median_error == pytest.approx(0.005, rel=0.05)


def test_missing_curve_is_not_recovered() -> None:
    graph = generate_graph(22, graph_type="thermal_impedance")
    score = score_result(as_result(graph, [c.points for c in graph.truth[1:]]), graph)
    assert not score.curves[0].recovered
    assert score.curves[0].matched is None
    assert score.recovered_count == len(graph.truth) - 1


def test_extra_curve_far_from_every_truth_is_spurious() -> None:
    graph = two_line_graph()
    far = np.array([[1.0, 0.02], [9.0, 0.02]])
    score = score_result(as_result(graph, [c.points for c in graph.truth] + [far]), graph)
    assert score.spurious == 1
    assert score.recovered_count == 2


def test_half_a_curve_is_covered_half_and_not_recovered() -> None:
    graph = two_line_graph()
    flat = next(c for c in graph.truth if c.label == "flat")
    half = flat.points[flat.points[:, 0] <= 5.0]
    score = score_result(as_result(graph, [half]), graph)
    flat_score = next(c for c in score.curves if c.label == "flat")
    assert flat_score.coverage == pytest.approx(0.5, abs=0.01)
    assert flat_score.median_error == pytest.approx(0.0, abs=1e-12)
    assert not flat_score.recovered


def test_sparse_points_still_cover_the_curve() -> None:
    graph = two_line_graph()
    flat = next(c for c in graph.truth if c.label == "flat")
    sparse = flat.points[:: len(flat.points) // 50]
    score = score_result(as_result(graph, [sparse]), graph)
    assert next(c for c in score.curves if c.label == "flat").coverage > 0.95


def test_matching_is_one_to_one_so_a_duplicate_is_spurious() -> None:
    graph = two_line_graph()
    flat = next(c for c in graph.truth if c.label == "flat")
    score = score_result(as_result(graph, [flat.points, flat.points]), graph)
    assert score.spurious == 1


def test_correct_labels_are_recognised() -> None:
    graph = two_line_graph()
    result = as_result(graph, [c.points for c in graph.truth])
    result.curves[0].label = graph.truth[0].label
    score = score_result(result, graph)
    assert score.curves[0].label_correct
    assert not score.curves[1].label_correct


def test_a_spurious_curve_does_not_take_a_match_from_a_curve_found() -> None:
    # Output curves with the lowest one missed and a grid line at 75 A taken for a curve:
    # assigning the grid line to some truth curve at any cost would shift the others down.
    graph = generate_graph(266)
    found = [c.points for c in graph.truth[:-1]]
    grid_line = np.column_stack([np.linspace(1.5, 8.0, 50), np.full(50, 75.0)])
    score = score_result(as_result(graph, [grid_line, *found]), graph)
    assert score.recovered_count == len(found)
    assert score.spurious == 1

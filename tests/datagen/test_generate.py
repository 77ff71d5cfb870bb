"""Seeds give reproducible graphs, and 200 seeds cover every graph type and feature."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from tests.datagen import GRAPH_TYPES, generate_graph, graph_type_of_seed
from tests.datagen.axes import to_display


def test_same_seed_gives_the_same_bytes_and_truth() -> None:
    first, second = generate_graph(42), generate_graph(42)
    assert first.data == second.data
    assert first.plot_area == second.plot_area
    for a, b in zip(first.truth, second.truth, strict=True):
        np.testing.assert_array_equal(a.points, b.points)


def test_different_seeds_give_different_graphs() -> None:
    assert generate_graph(1).data != generate_graph(2).data


def test_two_hundred_seeds_cover_every_graph_type() -> None:
    counts = Counter(graph_type_of_seed(seed) for seed in range(200))
    assert set(counts) == set(GRAPH_TYPES)
    assert counts.most_common(1)[0][0] == "output"


@pytest.mark.parametrize("graph_type", GRAPH_TYPES)
def test_every_graph_type_renders_curves_inside_the_frame(graph_type: str) -> None:
    graph = generate_graph(3, graph_type=graph_type)
    assert graph.meta.graph_type == graph_type
    assert 1 <= len(graph.truth) <= 9
    for curve in graph.truth:
        fx = to_display(curve.points[:, 0], graph.meta.axes.x)
        fy = to_display(curve.points[:, 1], graph.meta.axes.y)
        assert fx.min() >= 0 and fx.max() <= 1
        assert fy.min() >= 0 and fy.max() <= 1


def test_decoded_image_matches_the_encoded_bytes_format() -> None:
    png = generate_graph(5, style_overrides={"format": "png"})
    jpeg = generate_graph(5, style_overrides={"format": "jpeg", "jpeg_quality": 70})
    assert png.data.startswith(b"\x89PNG")
    assert jpeg.data.startswith(b"\xff\xd8")
    assert png.image.dtype == np.uint8 and png.image.shape[2] == 3
    assert jpeg.image.shape == png.image.shape


@pytest.mark.parametrize("mode", ["inline", "inline_bg", "arrows", "legend", "column"])
def test_every_label_mode_draws_labels_on_some_seed(mode: str) -> None:
    drawn = [
        generate_graph(seed, graph_type="output", style_overrides={"label_mode": mode}).style[
            "labels_drawn"
        ]
        for seed in range(3)
    ]
    assert max(drawn) > 0


@pytest.mark.parametrize(
    ("graph_type", "kind"),
    [
        ("output", "table"),
        ("output", "notes"),
        ("capacitance", "equation"),
        ("capacitance", "condition"),
    ],
)
def test_every_box_kind_is_drawn_on_some_seed(graph_type: str, kind: str) -> None:
    drawn = [
        kind
        in generate_graph(seed, graph_type=graph_type, style_overrides={"boxes": [kind]}).style[
            "boxes"
        ]
        for seed in range(3)
    ]
    assert any(drawn)


def test_pinned_width_is_the_image_width() -> None:
    graph = generate_graph(9, style_overrides={"width_px": 640})
    assert graph.image.shape[1] == 640

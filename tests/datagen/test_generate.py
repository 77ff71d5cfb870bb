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


def test_styles_cover_every_feature_real_datasheets_show() -> None:
    """SPEC §4's list of what vendor graphs add, drawn over 200 seeds' styles."""
    from tests.datagen.devices import FAMILIES
    from tests.datagen.styles import draw_style

    styles = [draw_style(np.random.default_rng([seed, 1]), "output", 8) for seed in range(200)]

    def seen(key: str) -> set[object]:
        return {
            style[key] if not isinstance(style[key], list) else tuple(style[key])
            for style in styles
        }

    assert {"black", "single", "multi"} <= seen("color_mode")
    assert {"solid_grey", "dashed", "dotted", "solid_black", "none"} <= seen("grid_major")
    assert {"normal", "thick", "grid_edge"} <= seen("frame")
    assert {"inline", "inline_bg", "arrows", "legend", "column"} <= seen("label_mode")
    assert {"comma", "unicode"} <= seen("tick_format")
    assert {"png", "jpeg"} <= seen("format")
    assert 1.0 in seen("line_px") and True in seen("subscripts")
    assert any(style["title"].startswith("Fig") for style in styles)
    assert any(style["blur_sigma_px"] > 0 for style in styles)
    assert {kind for style in styles for kind in style["boxes"]} == {
        "table",
        "notes",
        "equation",
        "condition",
    }
    widths = [style["width_px"] for style in styles]
    assert min(widths) < 600 and max(widths) > 2000
    scales = {
        name: {
            (family.axes.x.scale, family.axes.y.scale)
            for family in (FAMILIES[name](np.random.default_rng(seed)) for seed in range(40))
        }
        for name in ("output", "capacitance", "transfer")
    }
    assert ("log", "log") in scales["output"]
    assert ("log", "log") in scales["capacitance"] and ("linear", "log") in scales["capacitance"]
    assert ("linear", "log") in scales["transfer"]


def _close_fractions(graph) -> np.ndarray:
    """Per pair of vertically adjacent curves: the share of x where they are ≤ 3 px apart."""
    _, y0, _, y1 = graph.plot_area
    probe = np.linspace(0.02, 0.98, 400)
    axes = graph.meta.axes
    rows = np.array(
        [
            np.interp(
                probe,
                to_display(t.points[:, 0], axes.x),
                to_display(t.points[:, 1], axes.y),
                left=np.nan,
                right=np.nan,
            )
            * (y1 - y0)
            for t in graph.truth
        ]
    )
    gaps = np.diff(np.sort(rows, axis=0), axis=0)
    finite = np.isfinite(gaps)
    return (np.where(finite, gaps, np.inf) <= 3.0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)


def test_output_curves_run_within_three_pixels_of_each_other() -> None:
    """Among 20 output graphs, one has 6+ curves, several running ≤ 3 px apart for long."""
    bundled = [
        len(graph.truth) >= 6 and int((_close_fractions(graph) >= 0.4).sum()) >= 3
        for graph in (
            generate_graph(seed, graph_type="output", style_overrides={"line_px": 1.0})
            for seed in range(20)
        )
    ]
    assert any(bundled)

"""Style draws cover what vendor graphs look like, in roughly their proportions."""

from __future__ import annotations

from collections import Counter

import numpy as np

from tests.datagen.styles import (
    BOX_KINDS,
    DENSE_DOTTED,
    GRID_KINDS,
    LABEL_MODES,
    draw_extra_styles,
    draw_style,
)

STYLES = [draw_style(np.random.default_rng([seed, 1]), "output", 6) for seed in range(200)]


def test_black_curves_are_the_most_common() -> None:
    modes = Counter(s["color_mode"] for s in STYLES)
    assert 0.45 <= modes["black"] / len(STYLES) <= 0.75
    assert modes["multi"] > 0 and modes["single"] > 0


def test_every_style_feature_appears_in_two_hundred_draws() -> None:
    assert {s["label_mode"] for s in STYLES} == set(LABEL_MODES)
    assert {s["grid_major"] for s in STYLES} == set(GRID_KINDS)
    assert {s["frame"] for s in STYLES} == {"normal", "thick", "grid_edge"}
    assert {s["dash_mode"] for s in STYLES} == {"solid", "dashed", "mixed"}
    assert {s["line_px"] for s in STYLES} == {1.0, 1.5, 2.0, 3.0}
    assert {s["format"] for s in STYLES} == {"png", "jpeg"}
    assert {s["tick_format"] for s in STYLES} == {"default", "plain", "comma", "unicode"}
    assert {kind for s in STYLES for kind in s["boxes"]} == set(BOX_KINDS)
    assert any(s["blur_sigma_px"] > 0 for s in STYLES)
    assert any(s["noise_sigma"] > 0 for s in STYLES)
    assert any(s["background_grey"] < 255 for s in STYLES)
    assert any(s["title"] for s in STYLES)
    assert any(s["subscripts"] for s in STYLES)


def test_widths_span_300_to_3000_px_mostly_600_to_1200() -> None:
    widths = np.array([s["width_px"] for s in STYLES])
    assert widths.min() >= 300 and widths.max() <= 3000
    assert widths.min() < 600 and widths.max() > 2000
    assert 0.5 <= np.mean((widths >= 600) & (widths <= 1200)) <= 0.85


def test_dpi_look_spans_low_and_high_resolution_renders() -> None:
    dpis = np.array([s["dpi"] for s in STYLES])
    assert dpis.min() < 120 and dpis.max() > 300


def test_frame_of_grid_lines_always_has_a_grid() -> None:
    assert all(s["grid_major"] != "none" for s in STYLES if s["frame"] == "grid_edge")


def test_single_curve_graphs_get_no_legend_or_column() -> None:
    single = [
        draw_style(np.random.default_rng([seed, 1]), "breakdown_temperature", 1)
        for seed in range(100)
    ]
    assert {s["label_mode"] for s in single} <= {"none", "inline", "inline_bg", "arrows"}


def test_extra_styles_change_only_their_own_keys_and_appear_in_some_seeds() -> None:
    changed: dict[str, int] = {}
    for seed in range(300):
        style = draw_style(np.random.default_rng([seed, 1]), "capacitance", 3)
        extra = dict(style)
        draw_extra_styles(np.random.default_rng([seed, 2]), extra)
        for key in style:
            if style[key] != extra[key]:
                changed[key] = changed.get(key, 0) + 1
    own = {"grid_major", "grid_minor", "dpi", "width_px", "format", "jpeg_quality", "frame"}
    assert set(changed) <= own
    assert set(changed) >= {"grid_minor", "dpi", "format", "frame"}
    assert all(count < 60 for count in changed.values())


def test_extra_styles_draw_dense_dotted_and_black_grids_72_dpi_jpeg_60_and_two_axis_frames() -> (
    None
):
    extras = []
    for seed in range(300):
        style = draw_style(np.random.default_rng([seed, 1]), "output", 4)
        draw_extra_styles(np.random.default_rng([seed, 2]), style)
        extras.append(style)
    assert any(s["grid_minor"] == DENSE_DOTTED for s in extras)
    assert any(s["dpi"] == 72.0 for s in extras)
    assert any(s["format"] == "jpeg" and s["jpeg_quality"] == 60 for s in extras)
    assert any(s["frame"] == "two_axis" for s in extras)
    assert any(s["grid_major"] == s["grid_minor"] == "solid_black" for s in extras)

"""Random drawing styles of datasheet graphs, as a flat dict of plain values.

Flat and JSON-friendly so that a benchmark can break its figures down by any key and a test
can pin any key through ``style_overrides``. The probabilities follow what vendor datasheets
look like: mostly black 1 px curves on a grey grid, PNG renders of 600–1200 px.
"""

from __future__ import annotations

from typing import Any

import numpy as np

COLOUR_PALETTE = (
    "#d62728",
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
)
SINGLE_COLOURS = ("#1f4e9c", "#c00000", "#0070c0", "#00796b")
GRID_KINDS = ("none", "solid_grey", "solid_black", "dashed", "dotted")
# A minor grid only :func:`draw_extra_styles` chooses: dark dots as long as their gaps.
DENSE_DOTTED = "dense_dotted"
LABEL_MODES = ("none", "inline", "inline_bg", "arrows", "legend", "column")
BOX_KINDS = ("table", "notes", "equation", "condition")
TITLES = {
    "output": ("Fig. 1. Typical Output Characteristics", "Figure 1. Output Characteristics"),
    "transfer": ("Fig. 3. Typical Transfer Characteristics", "Figure 2. Transfer Characteristics"),
    "capacitance": ("Fig. 13. Capacitance", "Figure 8. Typical Capacitance vs. VDS"),
    "body_diode": ("Fig. 7. Body Diode Forward Voltage", "Figure 11. Source-Drain Diode"),
    "rdson_current": ("Fig. 4. On-Resistance vs. Drain Current", "Figure 4. RDS(on) vs. ID"),
    "rdson_temperature": (
        "Fig. 5. Normalized On-Resistance vs. Temperature",
        "Figure 9. RDS(on) vs. TJ",
    ),
    "breakdown_temperature": ("Fig. 10. Breakdown Voltage vs. Temperature", "Figure 12. BVDSS"),
    "gate_charge": ("Fig. 6. Gate Charge", "Figure 7. Typical Gate Charge"),
    "thermal_impedance": ("Fig. 15. Transient Thermal Impedance", "Figure 14. ZthJC"),
}


def _choice(rng: np.random.Generator, options: tuple[Any, ...], weights: list[float]) -> Any:
    probabilities = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=probabilities / probabilities.sum()))]


def _width_px(rng: np.random.Generator) -> int:
    low, high = _choice(
        rng, ((300, 600), (600, 1200), (1200, 2000), (2000, 3000)), [0.12, 0.68, 0.14, 0.06]
    )
    return int(rng.integers(low, high + 1))


def _title(rng: np.random.Generator, graph_type: str) -> str:
    options = TITLES.get(graph_type, ("Fig. 2. Characteristics", "Figure 5. Typical Curves"))
    return options[int(rng.integers(0, len(options)))]


def draw_style(rng: np.random.Generator, graph_type: str, curve_count: int) -> dict[str, Any]:
    """Draw every style choice for one graph from ``rng``."""
    width_px = _width_px(rng)
    figure_width_in = rng.uniform(3.2, 6.0)
    color_mode = _choice(rng, ("black", "single", "multi"), [0.6, 0.12, 0.28])
    grid_major = _choice(rng, GRID_KINDS, [0.15, 0.45, 0.15, 0.13, 0.12])
    grid_minor = (
        "none" if grid_major == "none" else _choice(rng, GRID_KINDS, [0.6, 0.2, 0.0, 0.1, 0.1])
    )
    frame = _choice(rng, ("normal", "thick", "grid_edge"), [0.65, 0.2, 0.15])
    if frame == "grid_edge" and grid_major == "none":
        grid_major = "solid_grey"
    label_modes = LABEL_MODES if curve_count > 1 else ("none", "inline", "inline_bg", "arrows")
    label_weights = [0.3, 0.2, 0.12, 0.12, 0.13, 0.13][: len(label_modes)]
    boxes = [kind for kind in BOX_KINDS if rng.random() < 0.22]
    compressed = rng.random() < 0.3
    return {
        "width_px": width_px,
        "aspect": float(rng.uniform(0.62, 0.9)),
        "dpi": float(width_px / figure_width_in),
        "font_pt": float(rng.uniform(6.5, 10.0)),
        "color_mode": color_mode,
        "line_px": float(_choice(rng, (1.0, 1.5, 2.0, 3.0), [0.5, 0.2, 0.2, 0.1])),
        "dash_mode": _choice(rng, ("solid", "dashed", "mixed"), [0.75, 0.1, 0.15]),
        "grid_major": grid_major,
        "grid_minor": grid_minor,
        "frame": frame,
        "frame_px": float(rng.uniform(2.0, 4.0)) if frame == "thick" else 1.0,
        "ticks_inside": bool(rng.random() < 0.6),
        "title": _title(rng, graph_type) if rng.random() < 0.4 else "",
        "axis_labels": bool(rng.random() < 0.85),
        "tick_format": _choice(rng, ("default", "plain", "comma", "unicode"), [0.4, 0.2, 0.2, 0.2]),
        "subscripts": bool(rng.random() < 0.5),
        "label_mode": _choice(rng, label_modes, label_weights),
        "boxes": boxes,
        "format": "jpeg" if compressed else "png",
        "jpeg_quality": int(rng.integers(55, 96)) if compressed else 0,
        "blur_sigma_px": float(rng.uniform(0.4, 1.1)) if rng.random() < 0.2 else 0.0,
        "noise_sigma": float(rng.uniform(2.0, 7.0)) if rng.random() < 0.15 else 0.0,
        "background_grey": int(rng.integers(232, 250)) if rng.random() < 0.2 else 255,
    }


def draw_extra_styles(rng: np.random.Generator, style: dict[str, Any]) -> None:
    """Rarer styles of real datasheets, drawn in place from their own stream ``rng``, so that
    each seed's other choices (and every image without them) stay as they were.

    Dense dark dotted minor grids (log capacitance plots), 72 dpi renders, JPEG at quality
    60, plots with only two axis lines and no box, and grids whose minor lines are as black
    as the major ones and the curves (older thermal-response graphs: at each log decade's end
    the lines crowd into solid bands that cut every curve).
    """
    if style["grid_major"] != "none" and rng.random() < 0.08:
        style["grid_major"] = "dotted"
        style["grid_minor"] = DENSE_DOTTED
    if rng.random() < 0.05:
        figure_width_in = style["width_px"] / style["dpi"]
        style["dpi"] = 72.0
        style["width_px"] = max(240, round(figure_width_in * 72.0))
    if rng.random() < 0.06:
        style["format"] = "jpeg"
        style["jpeg_quality"] = 60
    if style["frame"] == "normal" and rng.random() < 0.08:
        # Plots drawn with two axis lines and no box carry no grid either.
        style["frame"] = "two_axis"
        style["grid_major"] = style["grid_minor"] = "none"
    dense = style["grid_minor"] == DENSE_DOTTED
    if style["grid_major"] != "none" and not dense and rng.random() < 0.05:
        style["grid_major"] = style["grid_minor"] = "solid_black"


def curve_colours(style: dict[str, Any], count: int, rng: np.random.Generator) -> list[str]:
    if style["color_mode"] == "black":
        return ["#000000"] * count
    if style["color_mode"] == "single":
        return [SINGLE_COLOURS[int(rng.integers(0, len(SINGLE_COLOURS)))]] * count
    start = int(rng.integers(0, len(COLOUR_PALETTE)))
    return [COLOUR_PALETTE[(start + i) % len(COLOUR_PALETTE)] for i in range(count)]


def curve_dashes(style: dict[str, Any], count: int, line_px: float) -> list[tuple[float, ...]]:
    """Dash patterns in pixels (on, off, …); an empty tuple is a solid line."""
    dash = (6.0 + 2 * line_px, 3.0 + line_px)
    dot = (line_px, 2.0 + line_px)
    dash_dot = (6.0 + 2 * line_px, 2.5 + line_px, line_px, 2.5 + line_px)
    if style["dash_mode"] == "solid":
        return [()] * count
    if style["dash_mode"] == "dashed":
        return [dash] * count
    cycle: list[tuple[float, ...]] = [(), dash, dot, dash_dot]
    return [cycle[i % len(cycle)] for i in range(count)]

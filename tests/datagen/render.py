"""Render curves as a datasheet graph with matplotlib, keeping exact pixel ground truth.

The frame is placed so that its edges fall on pixel centres, nothing is snapped to pixels
(as in a PDF rendered with anti-aliasing), and the truth is the very polyline handed to matplotlib,
resampled every half pixel in display space and clipped to the frame. After drawing, the
frame's pixel box is read back from matplotlib's transforms, so value ↔ pixel is exact.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from scipy.spatial import cKDTree

from graphq.digitizer.types import Axes, GraphMeta

from .annotate import Scene, add_boxes, add_curve_labels, label_text
from .artifacts import decode, degrade, encode
from .axes import from_display, to_display
from .graph import GeneratedGraph, TruthCurve
from .placement import Occupancy
from .styles import curve_colours, curve_dashes, draw_extra_styles, draw_style
from .ticks import configure_axis

TRUTH_STEP_PX = 0.5
MIN_VISIBLE_PX = 20.0
# How far a curve must stand clear of every other curve, beyond its line width, somewhere along
# MIN_VISIBLE_PX of its length to be seen as a curve of its own.
CLEAR_OF_OTHERS_PX = 2.0
GRID_COLOURS = {
    "solid_grey": "#b4b4b4",
    "solid_black": "#000000",
    "dashed": "#808080",
    "dotted": "#606060",
    "dense_dotted": "#505050",
}
AXIS_NAMES = {
    "VDS": "Drain-to-Source Voltage",
    "VGS": "Gate-to-Source Voltage",
    "ID": "Drain Current",
    "C": "Capacitance",
    "VSD": "Source-to-Drain Voltage",
    "IS": "Source Current",
    "RDS(on)": "On-Resistance",
    "TJ": "Junction Temperature",
    "BVDSS": "Breakdown Voltage",
    "QG": "Total Gate Charge",
    "tp": "Pulse Width",
    "ZthJC": "Thermal Impedance",
}


def _densify(display: np.ndarray, plot_w_px: float, plot_h_px: float) -> np.ndarray:
    """Resample a display-space polyline every half pixel along its length."""
    if len(display) < 2:
        return display
    steps_px = np.hypot(np.diff(display[:, 0]) * plot_w_px, np.diff(display[:, 1]) * plot_h_px)
    along_px = np.concatenate([[0.0], np.cumsum(steps_px)])
    samples = np.linspace(0.0, along_px[-1], max(2, math.ceil(along_px[-1] / TRUTH_STEP_PX) + 1))
    return np.column_stack(
        [np.interp(samples, along_px, display[:, 0]), np.interp(samples, along_px, display[:, 1])]
    )


def _display_polyline(curve: TruthCurve, axes: Axes, end_fraction: float) -> np.ndarray:
    display = np.column_stack(
        [to_display(curve.points[:, 0], axes.x), to_display(curve.points[:, 1], axes.y)]
    )
    display = display[np.all(np.isfinite(display), axis=1)]
    # Far outside the frame the line only needs to keep its direction.
    display = np.clip(display, -1.0, 2.0)
    return display[display[:, 0] <= end_fraction]


def _layout(style: dict[str, Any]) -> tuple[int, int, tuple[float, float, float, float]]:
    """Figure size and the frame's display box (left, bottom, right, top), on pixel centres."""
    width_px = style["width_px"]
    height_px = round(width_px * style["aspect"])
    font_px = style["font_pt"] * style["dpi"] / 72.0
    tick_px = 0.0 if style["ticks_inside"] else 0.4 * font_px
    labels_px = 1.8 * font_px if style["axis_labels"] else 0.0
    left = 4.0 * font_px + labels_px + tick_px
    bottom = 1.9 * font_px + labels_px + tick_px
    top = 2.6 * font_px if style["title"] else 0.9 * font_px
    right = 1.3 * font_px
    box = (
        math.floor(left) + 0.5,
        math.floor(bottom) + 0.5,
        math.floor(width_px - right) + 0.5,
        math.floor(height_px - top) + 0.5,
    )
    return width_px, height_px, box


def _grid_kwargs(kind: str, dpi: float, minor: bool) -> dict[str, Any]:
    pt = 72.0 / dpi
    kwargs: dict[str, Any] = {
        "color": "#d0d0d0"
        if minor and kind not in ("solid_black", "dense_dotted")
        else GRID_COLOURS[kind],
        "linewidth": (0.7 if minor else 1.0) * pt,
    }
    if kind == "dashed":
        kwargs["dashes"] = (4 * pt, 3 * pt)
    elif kind == "dotted":
        kwargs["dashes"] = (1 * pt, 2 * pt)
    elif kind == "dense_dotted":
        kwargs["dashes"] = (1 * pt, 1 * pt)
    return kwargs


def _axis_title(quantity: str, unit: str, style: dict[str, Any]) -> str:
    name = AXIS_NAMES.get(quantity, "")
    symbol = label_text(quantity, style)
    return f"{symbol}, {name} ({unit})" if name else f"{symbol} ({unit})"


def _style_axes(ax: Any, axes: Axes, style: dict[str, Any]) -> None:
    dpi = style["dpi"]
    pt = 72.0 / dpi
    ax.set_xscale(axes.x.scale)
    ax.set_yscale(axes.y.scale)
    ax.set_xlim(axes.x.min, axes.x.max)
    ax.set_ylim(axes.y.min, axes.y.max)
    configure_axis(ax.xaxis, axes.x, style["tick_format"])
    configure_axis(ax.yaxis, axes.y, style["tick_format"])
    inside = style["ticks_inside"]
    boxed = style["frame"] != "two_axis"
    ax.tick_params(
        which="both",
        direction="in" if inside else "out",
        top=inside and boxed,
        right=inside and boxed,
        labelsize=style["font_pt"],
        width=pt,
        pad=0.3 * style["font_pt"],
    )
    ax.tick_params(which="major", length=4.0 * pt * dpi / 100)
    ax.tick_params(which="minor", length=2.0 * pt * dpi / 100)
    ax.set_axisbelow(True)
    if style["grid_major"] != "none":
        ax.grid(True, which="major", **_grid_kwargs(style["grid_major"], dpi, minor=False))
    if style["grid_minor"] != "none":
        ax.grid(True, which="minor", **_grid_kwargs(style["grid_minor"], dpi, minor=True))
    for name, spine in ax.spines.items():
        spine.set_linewidth(style["frame_px"] * pt)
        spine.set_visible(
            style["frame"] != "grid_edge"
            and not (style["frame"] == "two_axis" and name in ("top", "right"))
        )
    if style["frame"] == "grid_edge":
        edge = _grid_kwargs(style["grid_major"], dpi, minor=False)
        for value in (axes.y.min, axes.y.max):
            ax.axhline(value, clip_on=False, **edge)
        for value in (axes.x.min, axes.x.max):
            ax.axvline(value, clip_on=False, **edge)
    if style["axis_labels"]:
        ax.set_xlabel(_axis_title(axes.x.quantity, axes.x.unit, style), fontsize=style["font_pt"])
        ax.set_ylabel(_axis_title(axes.y.quantity, axes.y.unit, style), fontsize=style["font_pt"])


def _clip_truth(display: np.ndarray, margin_y: float) -> np.ndarray:
    """The part inside the frame; a curve lying along the top or bottom frame line is hidden
    by it, so points that touch the frame line (``margin_y``) are left out."""
    inside = (
        (display[:, 0] >= 0.0)
        & (display[:, 0] <= 1.0)
        & (display[:, 1] >= margin_y)
        & (display[:, 1] <= 1.0 - margin_y)
    )
    return display[inside]


def _distinct(
    insides: list[np.ndarray], plot_w_px: float, plot_h_px: float, line_px: float
) -> list[bool]:
    """Which curves a reader can see as curves of their own, taken in family order.

    A curve needs :data:`MIN_VISIBLE_PX` of its length inside the frame and clear of the
    curves kept before it. A curve within its line width of an earlier one along its whole
    length draws no ink of its own: no reader, and no digitizer, could tell it is there.
    Vendors still list such a condition (the top VGS curves of an output plot limited by the
    package), but what is drawn is one line, so the later curve is left out of the graph
    rather than scored as missed.
    """
    scale = np.array([plot_w_px, plot_h_px])
    kept: list[cKDTree] = []
    keep = []
    for inside in insides:
        points_px = inside * scale
        clear = np.ones(len(points_px), dtype=bool)
        for tree in kept:
            distance, _ = tree.query(points_px)
            clear &= distance > line_px + CLEAR_OF_OTHERS_PX
        distinct = int(np.count_nonzero(clear)) * TRUTH_STEP_PX >= MIN_VISIBLE_PX
        keep.append(distinct)
        if distinct:
            kept.append(cKDTree(points_px))
    return keep


def _vertical_order(displays: list[np.ndarray]) -> list[int]:
    """Curve indices from highest to lowest, by mean height over the x range they share."""
    low = max(float(d[:, 0].min()) for d in displays)
    high = min(float(d[:, 0].max()) for d in displays)
    if high <= low:
        return sorted(range(len(displays)), key=lambda i: -float(np.mean(displays[i][:, 1])))
    probe = np.linspace(low, high, 64)
    heights = [np.mean(np.interp(probe, d[:, 0], np.clip(d[:, 1], -0.5, 1.5))) for d in displays]
    return sorted(range(len(displays)), key=lambda i: -heights[i])


def _draw(
    displays: list[np.ndarray],
    labels: list[str],
    colours: list[str],
    axes: Axes,
    style: dict[str, Any],
    rng: np.random.Generator,
    box_texts: dict[str, str],
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """The RGB pixels and the frame's box in array coordinates (pixel i centred on i).

    Records in ``style`` how many labels and which boxes found room.
    """
    width_px, height_px, (left, bottom, right, top) = _layout(style)
    plot_w_px, plot_h_px = right - left, top - bottom
    figure = Figure(figsize=(width_px / style["dpi"], height_px / style["dpi"]), dpi=style["dpi"])
    canvas = FigureCanvasAgg(figure)
    figure.patch.set_facecolor("#ffffff")
    ax = figure.add_axes(
        (left / width_px, bottom / height_px, plot_w_px / width_px, plot_h_px / height_px)
    )
    _style_axes(ax, axes, style)
    pt = 72.0 / style["dpi"]
    handles = []
    dash_patterns = curve_dashes(style, len(displays), style["line_px"])
    for display, colour, dashes in zip(displays, colours, dash_patterns, strict=True):
        (line,) = ax.plot(
            from_display(display[:, 0], axes.x),
            from_display(display[:, 1], axes.y),
            color=colour,
            linewidth=style["line_px"] * pt,
            solid_capstyle="butt",
            dash_capstyle="butt",
        )
        if dashes:
            line.set_dashes([d * pt for d in dashes])
        handles.append(line)
    if style["title"]:
        figure.text(
            0.5,
            1.0 - 0.9 * style["font_pt"] * style["dpi"] / 72.0 / height_px,
            style["title"],
            ha="center",
            va="center",
            fontsize=style["font_pt"] * 1.1,
            fontweight="bold",
        )
    occupancy = Occupancy(plot_w_px, plot_h_px)
    for display in displays:
        occupancy.mark_polyline(display, 3.0 + style["line_px"])
    scene = Scene(ax, canvas.get_renderer(), style, rng, occupancy, displays)
    style["labels_drawn"] = add_curve_labels(scene, labels, colours, handles)
    style["boxes"] = add_boxes(scene, box_texts)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3].copy()
    frame = ax.get_window_extent()
    rows = pixels.shape[0]
    return pixels, (frame.x0 - 0.5, rows - frame.y1 - 0.5, frame.x1 - 0.5, rows - frame.y0 - 0.5)


def render_graph(
    curves: list[TruthCurve],
    axes: Axes,
    *,
    graph_type: str,
    seed: int,
    style_overrides: dict[str, Any] | None = None,
    box_texts: dict[str, str] | None = None,
) -> GeneratedGraph:
    """Draw ``curves`` on ``axes`` in a style drawn from ``seed``, as a datasheet would.

    ``style_overrides`` pins any style key (see :func:`draw_style`); unknown keys are an
    error. A curve with an empty colour gets the style's colour. ``box_texts`` are the
    texts of the boxes the style may draw inside the frame, keyed by box kind.
    """
    rng = np.random.default_rng([seed, 1])
    style = draw_style(rng, graph_type, len(curves))
    draw_extra_styles(np.random.default_rng([seed, 2]), style)
    unknown = set(style_overrides or {}) - set(style)
    if unknown:
        raise ValueError(f"unknown style keys: {sorted(unknown)}")
    style.update(style_overrides or {})
    _, _, (left, bottom, right, top) = _layout(style)
    plot_w_px, plot_h_px = right - left, top - bottom
    # Column labels need the curves to end inside the frame, as vendors draw them.
    end_fraction = float(rng.uniform(0.62, 0.78)) if style["label_mode"] == "column" else 2.0
    margin_y = (style["frame_px"] / 2 + style["line_px"] / 2 + 1.5) / plot_h_px
    displays = [
        _densify(_display_polyline(c, axes, end_fraction), plot_w_px, plot_h_px) for c in curves
    ]
    # A curve with (almost) nothing inside the frame, or nothing clear of the others, is not
    # part of the graph.
    insides = [_clip_truth(d, margin_y) for d in displays]
    visible = _distinct(insides, plot_w_px, plot_h_px, style["line_px"])
    curves = [c for c, keep in zip(curves, visible, strict=True) if keep]
    displays = [d for d, keep in zip(displays, visible, strict=True) if keep]
    order = _vertical_order(displays)
    curves = [curves[i] for i in order]
    displays = [displays[i] for i in order]
    drawn_colours = curve_colours(style, len(curves), rng)
    colours = [c.color or drawn for c, drawn in zip(curves, drawn_colours, strict=True)]

    with matplotlib.rc_context({"path.snap": False}):
        pixels, plot_area = _draw(
            displays, [c.label for c in curves], colours, axes, style, rng, box_texts or {}
        )
    data = encode(degrade(pixels, style, rng), style)
    truth = []
    for curve, display, colour in zip(curves, displays, colours, strict=True):
        inside = _clip_truth(display, margin_y)
        points = np.column_stack(
            [from_display(inside[:, 0], axes.x), from_display(inside[:, 1], axes.y)]
        )
        points = points[np.argsort(points[:, 0], kind="stable")]
        truth.append(TruthCurve(curve.label, curve.value, points, colour))
    meta = GraphMeta(axes=axes, graph_type=graph_type, labels=[c.label for c in truth])
    return GeneratedGraph(data, decode(data), meta, plot_area, truth, style)

"""Text inside the frame: curve labels, legends, leader arrows and bordered boxes.

Everything is placed where the occupancy grid says no curve runs, except the labels with a
white background that are meant to hide part of their own curve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes as MplAxes
from matplotlib.backend_bases import RendererBase
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .placement import CELL_PX, Occupancy

SYMBOL = re.compile(
    r"\b(BV|V|I|T|C|Q|R|Z)(DSS|GS|DS|SD|iss|oss|rss|gs|gd|ds|thJC|J|C|S|D|G)(\(on\)|\b)"
)
CURVE_PAD_PX = 3.0


@dataclass
class Scene:
    """The drawing state annotations need: the axes, sizes in pixels and free space."""

    ax: MplAxes
    renderer: RendererBase
    style: dict[str, Any]
    rng: np.random.Generator
    occupancy: Occupancy
    curves_display: list[np.ndarray]

    @property
    def font_px(self) -> float:
        return self.style["font_pt"] * self.style["dpi"] / 72.0

    def pt(self, px: float) -> float:
        return px * 72.0 / self.style["dpi"]


def label_text(label: str, style: dict[str, Any]) -> str:
    """The label as printed: ``VGS`` becomes V\\ :sub:`GS` when the style sets subscripts."""
    return SYMBOL.sub(r"\1$_{\2\3}$", label) if style["subscripts"] else label


def _measure(scene: Scene, text: str, **kwargs: Any) -> tuple[Text, float, float]:
    artist = scene.ax.text(
        0,
        0,
        text,
        transform=scene.ax.transAxes,
        fontsize=scene.style["font_pt"],
        ha="left",
        va="bottom",
        **kwargs,
    )
    extent = artist.get_window_extent(scene.renderer)
    return artist, float(extent.width), float(extent.height)


def _put(scene: Scene, artist: Text, left_px: float, top_px: float, height_px: float) -> None:
    """Place a left/bottom anchored text by the top-left corner of its extent, in plot px."""
    occupancy = scene.occupancy
    artist.set_position(
        (left_px / occupancy.width_px, 1.0 - (top_px + height_px) / occupancy.height_px)
    )


def _in_frame_points(display: np.ndarray, low: float, high: float) -> np.ndarray:
    inside = display[
        (display[:, 0] >= 0)
        & (display[:, 0] <= 1)
        & (display[:, 1] >= 0.02)
        & (display[:, 1] <= 0.98)
    ]
    if len(inside) == 0:
        return inside
    return inside[int(low * (len(inside) - 1)) : int(high * (len(inside) - 1)) + 1]


def _to_plot_px(scene: Scene, point: np.ndarray) -> tuple[float, float]:
    return (
        float(point[0] * scene.occupancy.width_px),
        float((1.0 - point[1]) * scene.occupancy.height_px),
    )


def _inline_labels(scene: Scene, texts: list[str], colours: list[str]) -> int:
    """Labels beside their curves, in free space."""
    gap = 0.3 * scene.font_px
    drawn = 0
    for display, text, colour in zip(scene.curves_display, texts, colours, strict=True):
        artist, width, height = _measure(scene, text, color=colour)
        anchors = _in_frame_points(display, 0.35, 0.95)[::7]
        placed = False
        for point in scene.rng.permutation(anchors) if len(anchors) else []:
            px, py = _to_plot_px(scene, point)
            for left, top in (
                (px - width / 2, py - height - gap),
                (px - width / 2, py + gap),
                (px + gap, py - height / 2),
            ):
                box = (left, top, left + width, top + height)
                if scene.occupancy.is_free(box):
                    _put(scene, artist, left, top, height)
                    scene.occupancy.mark_box(box)
                    placed = True
                    break
            if placed:
                break
        if placed:
            drawn += 1
        else:
            artist.remove()
    return drawn


def _background_labels(scene: Scene, texts: list[str], colours: list[str]) -> int:
    """Labels on a white background sitting on their own curve, hiding a short piece of it."""
    count = int(min(len(texts), scene.rng.integers(1, 3)))
    drawn = 0
    background = "#ffffff"
    for index in scene.rng.choice(len(texts), size=count, replace=False):
        others = Occupancy(scene.occupancy.width_px, scene.occupancy.height_px)
        for other, display in enumerate(scene.curves_display):
            if other != index:
                others.mark_polyline(display, CURVE_PAD_PX)
        others.taken |= scene.occupancy.boxes
        artist, width, height = _measure(
            scene,
            texts[index],
            color=colours[index],
            bbox={"boxstyle": "square,pad=0.15", "fc": background, "ec": "none"},
        )
        pad = 0.15 * scene.font_px
        for point in scene.rng.permutation(
            _in_frame_points(scene.curves_display[index], 0.3, 0.85)[::5]
        ):
            px, py = _to_plot_px(scene, point)
            left, top = px - width / 2, py - height / 2
            box = (left - pad, top - pad, left + width + pad, top + height + pad)
            if others.is_free(box):
                _put(scene, artist, left, top, height)
                scene.occupancy.mark_box(box)
                drawn += 1
                break
        else:
            artist.remove()
    return drawn


def _others(scene: Scene, index: int) -> Occupancy:
    """Where every curve but ``index`` runs, and the boxes: what its label must keep off."""
    others = Occupancy(scene.occupancy.width_px, scene.occupancy.height_px)
    for other, display in enumerate(scene.curves_display):
        if other != index:
            others.mark_polyline(display, CURVE_PAD_PX)
    others.taken |= scene.occupancy.boxes
    return others


def _segment(start: np.ndarray, end: np.ndarray, occupancy: Occupancy) -> np.ndarray:
    """Points (frame fractions, y up) every cell along a leader from ``start`` to ``end`` px."""
    steps = max(2, int(np.hypot(*(end - start)) / CELL_PX) + 1)
    points = start + np.linspace(0.0, 1.0, steps)[:, None] * (end - start)
    return np.column_stack(
        (points[:, 0] / occupancy.width_px, 1.0 - points[:, 1] / occupancy.height_px)
    )


def _leader_is_clear(others: Occupancy, segment: np.ndarray) -> bool:
    path = Occupancy(others.width_px, others.height_px)
    path.mark_polyline(segment[:-2], 1.0)
    return not (path.taken & others.taken).any()


def _arrow_labels(scene: Scene, texts: list[str]) -> int:
    """Labels in free space with a short leader arrow to a point on their curve.

    The leader crosses no other curve, box or label, as on a vendor's graph: a label whose
    arrow cannot reach its curve that way is left out.
    """
    drawn = 0
    lw_pt = scene.pt(1.0)
    for index, (display, text) in enumerate(zip(scene.curves_display, texts, strict=True)):
        targets = _in_frame_points(display, 0.3, 0.9)
        if len(targets) == 0:
            continue
        target = targets[int(scene.rng.integers(0, len(targets)))]
        tx, ty = _to_plot_px(scene, target)
        artist, width, height = _measure(scene, text)
        artist.remove()
        spots = scene.occupancy.free_spots(width, height)
        centres = spots + np.array([width / 2, height / 2])
        distance = np.hypot(centres[:, 0] - tx, centres[:, 1] - ty)
        near = (distance >= 2.5 * scene.font_px) & (distance <= 8 * scene.font_px)
        others = _others(scene, index)
        chosen = None
        for candidate in np.flatnonzero(near)[np.argsort(distance[near])][:60]:
            segment = _segment(centres[candidate], np.array([tx, ty]), scene.occupancy)
            if _leader_is_clear(others, segment):
                chosen = candidate, segment
                break
        if chosen is None:
            continue
        candidate, segment = chosen
        left, top = spots[candidate]
        scene.ax.annotate(
            text,
            xy=(target[0], target[1]),
            xycoords="axes fraction",
            xytext=(
                centres[candidate][0] / scene.occupancy.width_px,
                1 - centres[candidate][1] / scene.occupancy.height_px,
            ),
            textcoords="axes fraction",
            fontsize=scene.style["font_pt"],
            ha="center",
            va="center",
            arrowprops={
                "arrowstyle": "->",
                "lw": lw_pt,
                "color": "#000000",
                "shrinkA": 2,
                "shrinkB": 0,
            },
        )
        scene.occupancy.mark_box((left, top, left + width, top + height))
        scene.occupancy.mark_polyline(segment, 2.0, solid=True)
        drawn += 1
    return drawn


def _column_labels(scene: Scene, texts: list[str], colours: list[str]) -> int:
    """A column of labels right of the curve ends, each at its curve's end height, pushed
    apart so that they never overlap; nothing when the column does not fit in the frame."""
    ends = [d[-1] for d in scene.curves_display]
    column_x = max(min(float(e[0]), 1.0) for e in ends) + 0.012
    rows = sorted(
        (
            (float(e[1]), t, c)
            for e, t, c in zip(ends, texts, colours, strict=True)
            if 0.0 <= e[1] <= 1.0
        ),
        key=lambda row: -row[0],
    )
    artists = [
        scene.ax.text(
            column_x,
            0,
            text,
            transform=scene.ax.transAxes,
            fontsize=scene.style["font_pt"],
            color=colour,
            ha="left",
            va="center",
        )
        for _, text, colour in rows
    ]
    widths = [a.get_window_extent(scene.renderer).width for a in artists]
    if not artists or column_x + max(widths) / scene.occupancy.width_px > 0.99:
        for artist in artists:
            artist.remove()
        return 0
    line = 1.25 * scene.font_px / scene.occupancy.height_px
    target = 1.0 - line / 2
    for artist, (end_y, _, _) in zip(artists, rows, strict=True):
        target = min(end_y, target)
        artist.set_y(target)
        target -= line
    return len(artists)


def _legend(scene: Scene, texts: list[str], handles: list[Line2D]) -> int:
    """A legend in free space inside the frame, as vendors place it; none if it fits nowhere.

    matplotlib's ``loc="best"`` only minimises overlap, and an opaque legend over the curves
    would hide ink no digitizer can see.
    """
    legend = scene.ax.legend(
        handles,
        texts,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        borderaxespad=0.0,
        fontsize=scene.style["font_pt"],
        fancybox=False,
        framealpha=1.0,
        edgecolor="#000000",
        frameon=bool(scene.rng.random() < 0.7),
    )
    legend.get_frame().set_linewidth(scene.pt(1.0))
    extent = legend.get_window_extent(scene.renderer)
    width, height = float(extent.width) + 4, float(extent.height) + 4
    occupancy = scene.occupancy
    # Half a line of paper between the legend and the frame, as matplotlib leaves.
    pad = 0.5 * scene.font_px
    spots = occupancy.free_spots(width, height)
    spots = spots[
        (spots[:, 0] >= pad)
        & (spots[:, 1] >= pad)
        & (spots[:, 0] + width <= occupancy.width_px - pad)
        & (spots[:, 1] + height <= occupancy.height_px - pad)
    ]
    if len(spots) == 0:
        legend.remove()
        return 0
    corner = scene.rng.integers(0, 2, size=2) * [occupancy.width_px, occupancy.height_px]
    centres = spots + np.array([width / 2, height / 2])
    left, top = spots[int(np.argmin(np.hypot(*(centres - corner).T)))]
    legend.set_bbox_to_anchor(
        (float(left + 2) / occupancy.width_px, 1.0 - float(top + 2) / occupancy.height_px)
    )
    occupancy.mark_box((left, top, left + width, top + height))
    return len(texts)


def add_curve_labels(
    scene: Scene, labels: list[str], colours: list[str], handles: list[Line2D]
) -> int:
    """Label the curves the way the style says; returns how many labels were drawn."""
    mode = scene.style["label_mode"]
    texts = [label_text(label, scene.style) for label in labels]
    if mode == "inline":
        return _inline_labels(scene, texts, colours)
    if mode == "inline_bg":
        return _background_labels(scene, texts, colours)
    if mode == "arrows":
        return _arrow_labels(scene, texts)
    if mode == "column":
        return _column_labels(scene, texts, colours)
    if mode == "legend":
        return _legend(scene, texts, handles)
    return 0


def add_boxes(scene: Scene, box_texts: dict[str, str]) -> list[str]:
    """Bordered boxes (tables, notes, equations, conditions) in free corners of the plot."""
    drawn = []
    pad_px = 0.4 * scene.font_px
    for kind in scene.style["boxes"]:
        if kind not in box_texts:
            continue
        artist, width, height = _measure(
            scene,
            label_text(box_texts[kind], scene.style),
            linespacing=1.3,
            bbox={
                "boxstyle": "square,pad=0.4",
                "fc": "#ffffff",
                "ec": "#000000",
                "lw": scene.pt(1.0),
            },
        )
        outer_w, outer_h = width + 2 * pad_px + 6, height + 2 * pad_px + 6
        spots = scene.occupancy.free_spots(outer_w, outer_h)
        if len(spots) == 0:
            artist.remove()
            continue
        corner = scene.rng.integers(0, 2, size=2) * [
            scene.occupancy.width_px,
            scene.occupancy.height_px,
        ]
        centres = spots + np.array([outer_w / 2, outer_h / 2])
        best = spots[int(np.argmin(np.hypot(*(centres - corner).T)))]
        _put(scene, artist, best[0] + pad_px + 3, best[1] + pad_px + 3, height)
        scene.occupancy.mark_box((best[0], best[1], best[0] + outer_w, best[1] + outer_h))
        drawn.append(kind)
    return drawn

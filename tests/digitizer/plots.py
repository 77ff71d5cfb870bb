"""Small matplotlib plots with a known frame, for stages that need no full generator graph."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np


def render_plot(
    *,
    frame_px: float = 1.0,
    title: str = "",
    ticks_inside: bool = False,
    frame_visible: bool = True,
    grid_colour: str = "0.75",
    size_in: tuple[float, float] = (8.0, 6.0),
    dpi: float = 100.0,
    bold_title_pt: float | None = None,
    curve_labels: bool = False,
) -> tuple[np.ndarray, list[float]]:
    """An output-characteristics plot (800 × 600 unless ``size_in`` and ``dpi`` say) and its
    frame box in array coordinates. ``bold_title_pt`` sets the title bold at that size, close
    above the frame, as vendor datasheets print it. ``curve_labels`` names each curve
    ("VGS = 1 V" the lowest) just above its end, as output curves are labelled."""
    figure = plt.figure(figsize=size_in, dpi=dpi)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.74))
    x = np.linspace(0, 10, 400)
    for k in range(5):
        axes.plot(x, (k + 1) * (1 - np.exp(-x / (1 + 0.5 * k))), color="black", lw=1)
        if curve_labels:
            end = (k + 1) * (1 - np.exp(-8.2 / (1 + 0.5 * k)))
            axes.text(8.2, end + 0.2, f"VGS = {k + 1} V", fontsize=9)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 6)
    axes.grid(True, color=grid_colour)
    axes.tick_params(direction="in" if ticks_inside else "out", length=6)
    for spine in axes.spines.values():
        spine.set_linewidth(frame_px * 0.72)
        spine.set_visible(frame_visible)
    if title and bold_title_pt is not None:
        axes.set_title(title, fontsize=bold_title_pt, fontweight="bold", pad=2.0)
    elif title:
        axes.set_title(title)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    box = axes.get_window_extent()
    rows = pixels.shape[0]
    plt.close(figure)
    return pixels, [box.x0, rows - box.y1, box.x1, rows - box.y0]


# A hand-drawn vendor axis: labels (value, position along the axis as a fraction of the
# frame), unevenly spaced. Decades 0.45, 0.25 and 0.3 of the width (1.8× apart), and linear
# steps of 0.5 between 0.11 and 0.2 of the height.
UNEVEN_X = ((0.1, 0.0), (1.0, 0.45), (10.0, 0.7), (100.0, 1.0))
UNEVEN_Y = ((0.0, 0.0), (0.5, 0.2), (1.0, 0.33), (1.5, 0.5), (2.0, 0.67), (2.5, 0.8), (3.0, 1.0))


def uneven_position(
    values: np.ndarray, labels: tuple[tuple[float, float], ...], log: bool
) -> np.ndarray:
    """Where values stand along a hand-drawn axis (fraction of the frame): linearly, in
    display units, between its labels."""
    shown = np.log10(values) if log else values
    knots = np.array([np.log10(v) if log else v for v, _ in labels])
    return np.interp(shown, knots, [p for _, p in labels])


def render_uneven_plot(
    *, dpi: float = 100.0, labels_drawn: bool = True
) -> tuple[np.ndarray, list[float], np.ndarray]:
    """A saturation-voltage graph drawn on hand-drawn axes (:data:`UNEVEN_X` log x,
    :data:`UNEVEN_Y` linear y), with each log decade's 2–9 grid lines drawn in its own width.
    Returns the pixels, the frame box and the curve's true (x, y) values."""
    figure = plt.figure(figsize=(6.0, 4.5), dpi=dpi)
    axes = figure.add_axes((0.14, 0.14, 0.8, 0.8))
    x = np.logspace(-1, 2, 300)
    y = 0.2 + 0.25 * (np.log10(x) + 1) ** 1.5
    axes.plot(
        uneven_position(x, UNEVEN_X, True), uneven_position(y, UNEVEN_Y, False), color="black"
    )
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    minor = [k * 10.0**n for n in (-1, 0, 1) for k in range(2, 10)]
    axes.set_xticks(uneven_position(np.array(minor), UNEVEN_X, True), minor=True)
    axes.set_xticks([p for _, p in UNEVEN_X])
    axes.set_yticks([p for _, p in UNEVEN_Y])
    if labels_drawn:
        axes.set_xticklabels([f"{v:g}" if v >= 1 else "0.1" for v, _ in UNEVEN_X], fontsize=11)
        axes.set_yticklabels([f"{v:.1f}" for v, _ in UNEVEN_Y], fontsize=11)
    else:
        axes.tick_params(labelbottom=False, labelleft=False)
    axes.grid(True, which="both", color="0.7")
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    box = axes.get_window_extent()
    rows = pixels.shape[0]
    plt.close(figure)
    return pixels, [box.x0, rows - box.y1, box.x1, rows - box.y0], np.column_stack((x, y))

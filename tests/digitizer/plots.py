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

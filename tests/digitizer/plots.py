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
) -> tuple[np.ndarray, list[float]]:
    """An 800 × 600 output-characteristics plot and its frame box in array coordinates."""
    figure = plt.figure(figsize=(8, 6), dpi=100)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.74))
    x = np.linspace(0, 10, 400)
    for k in range(5):
        axes.plot(x, (k + 1) * (1 - np.exp(-x / (1 + 0.5 * k))), color="black", lw=1)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 6)
    axes.grid(True, color=grid_colour)
    axes.tick_params(direction="in" if ticks_inside else "out", length=6)
    for spine in axes.spines.values():
        spine.set_linewidth(frame_px * 0.72)
        spine.set_visible(frame_visible)
    if title:
        axes.set_title(title)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    box = axes.get_window_extent()
    rows = pixels.shape[0]
    plt.close(figure)
    return pixels, [box.x0, rows - box.y1, box.x1, rows - box.y0]

import math

import numpy as np

from graphq.digitizer.grid import remove_grid
from graphq.digitizer.ink import darkness
from tests.datagen import generate_graph


def _plot_ink(seed: int, **style: object) -> tuple[np.ndarray, object]:
    graph = generate_graph(seed, style_overrides=dict(style))
    x0, y0, x1, y1 = graph.plot_area
    ink = darkness(graph.image)[round(y0) : round(y1) + 1, round(x0) : round(x1) + 1]
    return ink, graph


def test_dashed_grid_and_frame_are_erased() -> None:
    ink, _ = _plot_ink(1, grid_major="dashed", grid_minor="none")
    cleaned, horizontal, vertical = remove_grid(ink)
    assert len(horizontal) >= 3 and len(vertical) >= 3
    for line in horizontal:
        row = round(line.position)
        assert (cleaned[row] > 0.45).mean() < 0.05


def test_curve_pixels_crossing_a_grey_grid_survive() -> None:
    ink, graph = _plot_ink(15, grid_major="solid_grey", color_mode="black", line_px=1.5)
    cleaned, horizontal, _ = remove_grid(ink)
    # Truth crossings of the first grid row: the curve ink there must stay.
    row = round(horizontal[2].position)
    x0, y0, x1, y1 = graph.plot_area
    kept = 0
    for truth in graph.truth:
        axes = graph.meta.axes
        ys = y1 - (truth.points[:, 1] - axes.y.min) / (axes.y.max - axes.y.min) * (y1 - y0)
        crossing = np.flatnonzero(np.diff(np.sign(ys - (row + round(y0)))))
        for index in crossing:
            x = (truth.points[index, 0] - axes.x.min) / (axes.x.max - axes.x.min) * (x1 - x0)
            column = math.floor(x)
            kept += cleaned[row - 1 : row + 2, column - 1 : column + 2].max() > 0.45
    assert kept >= 1


def _grey_grid(height: int = 200, width: int = 300) -> np.ndarray:
    ink = np.zeros((height, width), dtype=np.float32)
    ink[0, :] = ink[-1, :] = 1.0
    ink[:, 0] = ink[:, -1] = 1.0
    for row in range(20, height - 1, 20):
        ink[row, :] = 0.25
    for column in range(30, width - 1, 30):
        ink[:, column] = 0.25
    return ink


def test_a_flat_stretch_of_a_curve_is_not_taken_for_a_grid_line() -> None:
    ink = _grey_grid()
    ink[55, 100:] = 1.0  # Ciss flat from a third of the way to the right edge
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[55, 101:-2] > 0.9).all()
    assert cleaned[40, 5:-5].max() == 0.0 and cleaned[5:-5, 60].max() == 0.0


def test_a_curve_running_along_a_grid_line_survives_its_erasure() -> None:
    ink = _grey_grid()
    ink[80, 150:] = 1.0  # a curve settling onto the grid row at y = 80
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[80, 151:-2] > 0.9).all()
    assert cleaned[80, 5:140].max() == 0.0


def test_a_black_grid_as_dark_as_the_curves_is_erased_for_its_even_spacing() -> None:
    ink = _grey_grid()
    for row in (50, 100, 150):
        ink[row, :] = 1.0  # major lines drawn black, like the curves
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[[50, 100, 150], 5:-5].max() == 0.0


def test_a_bundle_merging_into_one_flat_line_is_not_taken_for_a_grid_line() -> None:
    ink = _grey_grid()
    ink[75, 100:] = 0.45  # curves merged into one line at long pulse widths ...
    for column in range(70, 100):
        ink[75 - (100 - column) // 10, column] = 0.45  # ... fanning out to its left
    cleaned, _, _ = remove_grid(ink)
    # Only the crossings of the grid's columns go, as for any curve as pale as the grid.
    assert (cleaned[75, 101:-2] > 0.4).mean() > 0.95

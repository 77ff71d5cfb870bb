import math

import numpy as np

from graphq.digitizer.preprocessing.grid import remove_grid
from graphq.digitizer.preprocessing.ink import darkness
from tests.datagen import generate_graph
from tests.digitizer.preprocessing.grids import grey_grid


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


def test_a_curve_running_along_a_grid_line_survives_its_erasure() -> None:
    ink = grey_grid()
    ink[80, 150:] = 1.0  # a curve settling onto the grid row at y = 80
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[80, 151:-2] > 0.9).all()
    assert cleaned[80, 5:140].max() == 0.0


def test_a_curve_along_the_edge_of_a_grid_line_survives_its_erasure() -> None:
    ink = grey_grid()
    ink[81, 100:] = 0.9  # a curve settling just below the grid row at y = 80
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[81, 101:-2] > 0.8).all()
    assert cleaned[80, 5:95].max() == 0.0


def test_a_grid_line_beyond_the_end_of_a_flat_curve_lying_on_it_is_erased() -> None:
    ink = grey_grid()
    ink[60, 20:] = 1.0  # a flat curve on the grid row at y = 60, from near the left edge
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[60, 21:-2] > 0.9).all()
    assert cleaned[59:62, 2:19].max() == 0.0


def test_an_anti_aliased_dotted_grid_line_is_erased_dot_cores_and_all() -> None:
    ink = grey_grid()
    # A dark dotted grid line: 3 px dots, core 0.8 and fringes 0.3, every 6 px.
    ink[100, 1:-1] = 0.0
    for start in range(2, ink.shape[1] - 4, 6):
        ink[100, start : start + 3] = (0.3, 0.8, 0.3)
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[100, 5:-5].max() == 0.0


def test_a_dotted_grid_line_drawn_over_with_black_dashes_is_erased_dashes_and_all() -> None:
    ink = grey_grid()
    # A vendor's dash pattern over a dotted line, as pdfium renders it at 150 dpi: black
    # dashes 19 px long every 36 px, the dotted line between them.
    ink[90, 1:-1] = 0.25
    for start in range(3, ink.shape[1] - 20, 36):
        ink[90, start : start + 19] = 1.0
    ink[130, 120:] = 1.0  # a flat curve from the middle on stays
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[89:92, 2:-2].max() == 0.0
    assert (cleaned[130, 121:-2] > 0.9).all()


def test_a_dashed_curve_lying_along_a_grid_line_from_its_knee_survives() -> None:
    ink = grey_grid()
    for start in range(150, ink.shape[1] - 12, 24):
        ink[80, start : start + 14] = 1.0  # dashed, on the grid row from x = 150 only
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[80, 152:162] > 0.9).all()
    assert cleaned[80, 5:140].max() == 0.0


def test_a_solid_grid_line_under_a_label_is_erased_beside_the_label_glyphs() -> None:
    ink = grey_grid()
    ink[100, 1:-1] = 1.0  # a black major line, fully solid, ...
    ink[90:111, 60:180] = 0.0  # ... a label's blank background laid over it ...
    for column in range(64, 176, 8):
        # ... its glyphs' thin stems, anti-aliased at their sides, ...
        ink[92:109, column - 2 : column + 3] = np.array([0.2, 0.35, 1.0, 0.35, 0.2])
    ink[100, 90:104] = 1.0  # ... and the "=" of "V = 20 V" on the line's row.
    for row in (50, 150):
        ink[row, 1:-1] = 1.0  # its fellow major lines
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[100, 2:58].max() == 0.0 and cleaned[100, 182:-2].max() == 0.0

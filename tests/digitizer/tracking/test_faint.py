"""Curves too pale for the main pass are traced once the main curves are known."""

import numpy as np

from graphq.digitizer.tracking.faint import faint_curves
from graphq.digitizer.tracking.scale import PlotScale
from tests.digitizer.curves import traced_curve

_SHAPE = (120, 200)
# Lines a pixel wide; pale pieces are linked across gaps up to 70 columns.
_SCALE = PlotScale(1.0, None, _SHAPE[1], _SHAPE[0])


def _draw(ink: np.ndarray, columns: np.ndarray, rows: np.ndarray, level: float) -> None:
    ink[np.round(rows).astype(int), columns] = level


def test_a_pale_dotted_tail_carrying_on_from_a_curve_found_joins_it() -> None:
    # Crss: a dark steep fall, then a flat tail dotted finer than a pixel, as pale as grid.
    ink = np.zeros(_SHAPE, dtype=np.float32)
    steep = np.arange(0, 60)
    _draw(ink, steep, 20 + steep.astype(float), 1.0)
    tail = np.arange(60, 200)
    _draw(ink, tail, np.full(tail.size, 80.0), 0.12)
    curves = faint_curves(ink, ([], []), [traced_curve(steep, 20 + steep.astype(float))], _SCALE)
    assert len(curves) == 1
    assert curves[0].column[-1] >= 195
    np.testing.assert_allclose(curves[0].middle[curves[0].column >= 100], 80.0, atol=0.5)


def test_a_pale_curve_apart_from_the_others_is_found() -> None:
    ink = np.zeros(_SHAPE, dtype=np.float32)
    columns = np.arange(200)
    rows = 30 + 60 / (1 + np.exp(-(columns - 100) / 15.0))
    _draw(ink, columns, rows, 0.12)
    curves = faint_curves(ink, ([], []), [], _SCALE)
    assert len(curves) == 1 and curves[0].span >= 190


def test_a_pale_straight_flat_line_is_not_taken_for_a_curve() -> None:
    # What a light minor grid line leaves when a label stops it short of the frame.
    ink = np.zeros(_SHAPE, dtype=np.float32)
    columns = np.arange(0, 160)
    _draw(ink, columns, np.full(columns.size, 60.0), 0.12)
    assert faint_curves(ink, ([], []), [], _SCALE) == []


def test_a_pale_grid_line_a_dark_curve_runs_close_along_is_not_taken_for_a_curve() -> None:
    # The dark curve lifts the relative threshold along half the grid line; the pieces
    # either side, one running into a pale stroke of a label, are still grid.
    ink = np.zeros(_SHAPE, dtype=np.float32)
    ink[60, :] = 0.1
    dark_columns = np.arange(55, 150)
    dark_rows = np.full(dark_columns.size, 62.0)
    _draw(ink, dark_columns, dark_rows, 1.0)
    stroke = np.arange(50, 72)
    _draw(ink, stroke, 60.0 - (stroke - 50), 0.12)
    dark = traced_curve(dark_columns, dark_rows)
    assert faint_curves(ink, ([], []), [dark], _SCALE) == [dark]

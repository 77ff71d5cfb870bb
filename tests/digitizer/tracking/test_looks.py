"""A piece of a curve is told by its colour and by how much of it is ink."""

import numpy as np

from graphq.digitizer.tracking.looks import look, look_difference
from tests.digitizer.curves import BLUE, RED, own_runs_curve, paper

_COLUMNS = 200


def _bounced() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A red curve falling and a blue one rising through each other at column 100, drawn,
    and the two tracks that bounced there (each keeps its side)."""
    offset = np.arange(_COLUMNS, dtype=np.float64) - 100
    red, blue = 100 + 0.5 * offset, 100 - 0.5 * offset
    image = paper(_COLUMNS, ((red, RED), (blue, BLUE)))
    return image, np.minimum(red, blue), np.maximum(red, blue)


def test_pieces_that_swapped_colours_at_a_touch_look_alike_crossed_over() -> None:
    image, upper, lower = _bounced()
    assert look_difference(own_runs_curve(upper), own_runs_curve(lower), 98, 102, image) == 1


def test_pieces_keeping_their_colours_look_alike_as_they_are() -> None:
    image, upper, lower = _bounced()
    crossed_upper = np.where(np.arange(_COLUMNS) < 100, upper, lower)
    crossed_lower = np.where(np.arange(_COLUMNS) < 100, lower, upper)
    a, b = own_runs_curve(crossed_upper), own_runs_curve(crossed_lower)
    assert look_difference(a, b, 98, 102, image) == -1


def test_a_dashed_piece_is_seen_in_part_of_its_columns() -> None:
    columns = np.arange(_COLUMNS)
    rows = np.full(_COLUMNS, 50.0)
    image = paper(_COLUMNS, ((rows, RED),))
    dashed = own_runs_curve(rows)
    seen_curve = dashed.part((columns // 5) % 2 == 0)
    colour, share = look(seen_curve, image, 0, 99)
    np.testing.assert_allclose(colour, RED)
    assert abs(share - 0.5) < 0.05

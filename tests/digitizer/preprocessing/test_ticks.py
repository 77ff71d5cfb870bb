"""Ticks drawn inward from the frame are erased; curves starting on the frame are kept."""

import numpy as np

from graphq.digitizer.preprocessing.ticks import erase_ticks

_SHAPE = (300, 400)


def _ink_with_ticks() -> np.ndarray:
    ink = np.zeros(_SHAPE, dtype=np.float32)
    for row in range(20, 300, 20):
        ink[row, :7] = 1.0  # left side, 7 px in
        ink[row, -7:] = 1.0  # right side
    for column in range(25, 400, 25):
        ink[:7, column] = 1.0  # top
        ink[-7:, column] = 1.0  # bottom
    return ink


def test_ticks_on_all_four_sides_are_erased() -> None:
    assert not erase_ticks(_ink_with_ticks(), 0.5, line_width_px=2.0).any()


def test_curves_starting_on_the_frame_are_kept() -> None:
    ink = _ink_with_ticks()
    ink[150:152, :] = 1.0  # a flat curve from side to side
    ink[250:252, :40] = 1.0  # a short flat curve ending well inside
    steep = np.zeros(_SHAPE, dtype=bool)
    for column in range(100, 160):  # a steep curve from the bottom edge
        top = 299 - 5 * (column - 100)
        steep[top - 6 : top + 1, column] = True
    ink[steep] = 1.0
    cleaned = erase_ticks(ink, 0.5, line_width_px=2.0)
    assert cleaned[150:152, :].all() and cleaned[250:252, :40].all()
    assert cleaned[steep].all()

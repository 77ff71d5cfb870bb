"""A line's band is erased to its own level: its dashes and the glyphs over it do not set it."""

import numpy as np

from graphq.digitizer.grid_erase import erase_bands
from graphq.digitizer.lines import Line

_ROW = 20


def _erased(row_ink: np.ndarray) -> np.ndarray:
    ink = np.zeros((41, row_ink.size), dtype=np.float32)
    ink[_ROW] = row_ink
    cleaned = ink.copy()
    erase_bands(cleaned, ink, [Line(float(_ROW), _ROW, _ROW, 0, row_ink.size, 1.0)])
    return cleaned[_ROW]


def test_black_dashes_over_a_dotted_line_are_erased_as_the_lines_own() -> None:
    row = np.full(300, 0.25, dtype=np.float32)
    for start in range(3, 280, 36):
        row[start : start + 19] = 1.0
    assert _erased(row).max() == 0.0


def test_a_dashed_curve_along_the_line_from_its_knee_survives() -> None:
    row = np.full(300, 0.25, dtype=np.float32)
    for start in range(150, 288, 24):
        row[start : start + 14] = 1.0
    kept = _erased(row)
    assert (kept[150:164] > 0.9).all() and kept[:140].max() == 0.0


def test_a_solid_line_is_erased_beside_the_thin_glyph_strokes_of_a_label_over_it() -> None:
    row = np.ones(300, dtype=np.float32)
    row[60:180] = 0.0  # the label's blank ...
    for column in range(64, 176, 8):
        row[column - 2 : column + 3] = (0.2, 0.35, 1.0, 0.35, 0.2)  # ... its glyphs' stems
    kept = _erased(row)
    assert kept[:58].max() == 0.0 and kept[182:].max() == 0.0

"""A line's band is erased to its own level: its dashes and the glyphs over it do not set it."""

import numpy as np

from graphq.digitizer.preprocessing.grid_erase import erase_bands, percentile
from graphq.digitizer.preprocessing.lines import Line

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


def _erased_rows(rows: dict[int, np.ndarray]) -> np.ndarray:
    """The plot after erasing the line on row ``_ROW``, each given row holding its ink."""
    width = next(iter(rows.values())).size
    ink = np.zeros((41, width), dtype=np.float32)
    for row, values in rows.items():
        ink[row] = values
    cleaned = ink.copy()
    erase_bands(cleaned, ink, [Line(float(_ROW), _ROW, _ROW, 0, width, 1.0)])
    return cleaned


def test_a_curve_lying_beside_a_black_line_in_its_fringe_row_survives() -> None:
    """A flat curve tail drawn half a pixel off a black grid line, at 72 dpi: the row beside
    the line holds it alone, where a line's own fringe would run all along the line."""
    beside = np.zeros(300, dtype=np.float32)
    beside[180:] = 0.5
    kept = _erased_rows({_ROW: np.ones(300, dtype=np.float32), _ROW - 1: beside})
    assert (kept[_ROW - 1, 180:] == 0.5).all() and kept[_ROW].max() == 0.0


def test_the_fringe_of_a_line_falling_between_two_rows_is_erased() -> None:
    kept = _erased_rows(
        {_ROW: np.full(300, 0.7, dtype=np.float32), _ROW + 1: np.full(300, 0.4, dtype=np.float32)}
    )
    assert kept[_ROW : _ROW + 2].max() == 0.0


def test_a_curve_along_a_grey_line_a_little_darker_than_it_survives() -> None:
    """At 72 dpi a curve lying on a grey grid line darkens it by a third at most: over 40 %
    of the row it pushes the row's upper level up, which alone must not erase it."""
    row = np.full(300, 0.45, dtype=np.float32)
    row[180:] = 0.78
    kept = _erased(row)
    assert (kept[180:] == np.float32(0.78)).all() and kept[:170].max() == 0.0


def test_percentile_is_numpys_linear_percentile() -> None:
    values = np.random.default_rng(3).random(257).astype(np.float32)
    for size in (1, 2, 3, 17, 257):
        for q in (0, 10, 75, 100):
            assert percentile(values[:size], q) == np.float32(np.percentile(values[:size], q))


_FAMILY_ROWS = (20, 60, 100)


def _stepping_grid(width: int = 300, step: int = 150) -> tuple[np.ndarray, list[Line]]:
    """Three 1.9 px grid lines, as a vendor's PDF renders them a fraction of a pixel aslant:
    the first one's dark core steps from one row to the next at ``step`` (its ink per column
    staying its own), the others fall between two rows all along."""
    ink = np.zeros((121, width), dtype=np.float32)
    for row in _FAMILY_ROWS:
        ink[row - 1], ink[row], ink[row + 1] = 0.53, 1.0, 0.36
    row = _FAMILY_ROWS[0]
    ink[row - 1, step:], ink[row, step:], ink[row + 1, step:] = 0.0, 0.95, 0.95
    lines = [Line(float(row), row - 1, row + 1, 0, width, 1.0) for row in _FAMILY_ROWS]
    return ink, lines


def _erase(ink: np.ndarray, lines: list[Line]) -> np.ndarray:
    cleaned = ink.copy()
    erase_bands(cleaned, ink, lines)
    return cleaned


def test_a_grid_line_whose_dark_core_steps_between_its_rows_is_erased_wholly() -> None:
    """Past the step the lower row is dark in one long stretch, as a curve along the line
    would make it, yet the band holds no more ink per column than before the step."""
    assert _erase(*_stepping_grid()).max() == 0.0


def test_a_curve_lying_along_a_stepping_grid_line_survives() -> None:
    """The same line with a flat curve tail (3 px, black) lying on it over its last third:
    the curve adds ink to the band's columns, so its stretch beside the line's core row is
    kept, and the line before the step is erased."""
    ink, lines = _stepping_grid()
    row = _FAMILY_ROWS[0]
    ink[row - 1 : row + 2, 200:] = 1.0
    cleaned = _erase(ink, lines)
    assert (cleaned[row - 1, 200:] == 1.0).all() and (cleaned[row + 1, 200:] == 1.0).all()
    assert cleaned[:, :150].max() == 0.0


def test_a_lone_flat_curve_taken_for_a_line_keeps_the_stretches_that_hold_it() -> None:
    """A flat output curve the grid stage took for a grid line, drifting from one row to the
    next as it rises: no other line carries its ink per column, so nothing says the drift is
    a grid line's, and its darker stretch is kept as before."""
    ink, _ = _stepping_grid()
    row = _FAMILY_ROWS[0]
    lone = Line(float(row), row - 1, row + 1, 0, ink.shape[1], 1.0)
    assert (_erase(ink, [lone])[row + 1, 160:] > 0.9).all()

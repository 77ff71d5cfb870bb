import numpy as np

from graphq.digitizer.axes.frame import LINE_INK_THRESHOLD
from graphq.digitizer.preprocessing.broken_grid import GridLook, broken_grid_lines
from graphq.digitizer.preprocessing.grid import remove_grid
from graphq.digitizer.preprocessing.grid_or_curve import runs_on_as_curve
from graphq.digitizer.preprocessing.lines import Line


def _log_grid(height: int = 200, width: int = 300) -> tuple[np.ndarray, list[int]]:
    """A frame and a grey log-spaced grid: no line sits midway between two others."""
    ink = np.zeros((height, width), dtype=np.float32)
    ink[0, :] = ink[-1, :] = 1.0
    ink[:, 0] = ink[:, -1] = 1.0
    rows = [round((height - 1) * (1 - np.log10(k) / 2)) for k in (2, 3, 5, 7, 20, 30, 50, 70)]
    for row in rows:
        ink[row, :] = 0.3
    for column in range(30, width - 1, 30):
        ink[:, column] = 0.3
    return ink, rows


def _label(ink: np.ndarray, row: int, start: int, end: int) -> None:
    """A label with a white background laid over ``row``: a blank, its letters' stems above
    and below the line's row."""
    ink[row - 9 : row + 10, start:end] = 0.0
    for column in range(start + 4, end - 4, 6):
        ink[row - 8 : row - 3, column : column + 2] = 1.0
        ink[row + 4 : row + 9, column : column + 2] = 1.0


def test_a_grid_line_broken_by_a_label_is_erased_on_both_sides() -> None:
    ink, rows = _log_grid()
    row = rows[2]
    _label(ink, row, 120, 190)
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[row, 2:118].max() == 0.0
    assert cleaned[row, 192:-2].max() == 0.0


def test_a_flat_curve_broken_by_its_label_stays() -> None:
    ink, rows = _log_grid()
    row = rows[2] + 7  # off the grid's spacing: no line would be placed there
    ink[row - 1 : row + 1, 1:-1] = 1.0  # drawn twice as thick and darker than the grid
    _label(ink, row, 120, 190)
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[row, 2:118] > 0.9).mean() > 0.8
    assert (cleaned[row, 192:-2] > 0.9).mean() > 0.8


def test_a_flat_stretch_bending_away_at_a_label_is_no_piece_of_grid() -> None:
    ink, rows = _log_grid()
    row = rows[2] + 7  # off the grid's spacing: no line would be placed there
    ink[row, 1:110] = 0.3  # as pale and thin as the grid, but it bends down at its end
    for step in range(36):
        ink[row + step // 4, 110 + step] = 0.3
    ink[row, 200:-1] = 0.3
    _label(ink, row, 150, 196)
    mask = ink > LINE_INK_THRESHOLD
    grid = [Line(float(r), r, r, 0, ink.shape[1], 1.0) for r in rows]
    look = GridLook(
        rows=np.ones(len(rows)),
        levels=np.full(len(rows), 0.3),
        level=lambda plane, line: float(np.median(plane[line.first, line.start : line.end])),
        runs_on=runs_on_as_curve,
    )
    pieces = broken_grid_lines(ink, mask, grid, look, gap_px=4)
    assert not [p for p in pieces if p.start <= 1]
    ink[row + 1 :, 110:146] = 0.0  # without its bend the stretch is a broken grid line
    pieces = broken_grid_lines(ink, ink > LINE_INK_THRESHOLD, grid, look, gap_px=4)
    assert {(p.first, p.start <= 1) for p in pieces} == {(row, True), (row, False)}


def test_the_rest_of_a_grid_line_beyond_a_label_is_grid_though_a_glyph_curls_round_it() -> None:
    ink, rows = _log_grid()
    row = rows[2]
    ink[row - 9 : row + 10, 200:262] = 0.0  # a label's blank near the right edge ...
    # ... whose last glyph, a ")", curls round the end of the line's rest, above and below,
    # touching it
    ink[row - 4 : row, 253:262] = 1.0
    ink[row + 1 : row + 5, 253:262] = 1.0
    mask = ink > LINE_INK_THRESHOLD
    grid = [Line(float(r), r, r, 0, ink.shape[1], 1.0) for r in rows if r != row]
    grid.append(Line(float(row), row, row, 0, 200, 1.0))  # the line's long piece, found
    look = GridLook(
        rows=np.ones(len(rows)),
        levels=np.full(len(rows), 0.3),
        level=lambda plane, line: float(np.median(plane[line.first, line.start : line.end])),
        runs_on=runs_on_as_curve,
    )
    rest = [p for p in broken_grid_lines(ink, mask, grid, look, gap_px=4) if p.first == row]
    assert not rest  # alone, it seems to run on into the glyph, as a curve bending away
    pieces = broken_grid_lines(ink, mask, grid, look, gap_px=4, grid=grid)
    assert [(p.start, p.end) for p in pieces if p.first == row] == [(262, 300)]


def test_a_line_of_note_text_on_a_grid_line_row_beyond_its_end_is_no_rest_of_it() -> None:
    ink, rows = _log_grid()
    row = rows[2]
    ink[row - 12 : row + 13, 190:] = 0.0  # a note box the line stops at ...
    for column in range(200, 296, 6):  # ... with a line of text along the line's row
        ink[row - 6 : row + 4, column : column + 2] = 1.0
    mask = ink > LINE_INK_THRESHOLD
    grid = [Line(float(r), r, r, 0, ink.shape[1], 1.0) for r in rows if r != row]
    grid.append(Line(float(row), row, row, 0, 190, 1.0))
    look = GridLook(
        rows=np.ones(len(rows)),
        levels=np.full(len(rows), 0.3),
        level=lambda plane, line: float(np.median(plane[line.first, line.start : line.end])),
        runs_on=runs_on_as_curve,
    )
    pieces = broken_grid_lines(ink, mask, grid, look, gap_px=4, grid=grid)
    assert not [p for p in pieces if p.first <= row <= p.last]

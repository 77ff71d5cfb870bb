"""Long lines are told apart when they lie side by side, need ink all along when asked, and
a dense grid fused into one thick band is cut down to its solid lines."""

import numpy as np

from graphq.digitizer.preprocessing.lines import find_lines, solid_cores


def test_long_runs_side_by_side_in_adjacent_rows_are_two_lines() -> None:
    mask = np.zeros((40, 160), dtype=bool)
    mask[20, 60:121] = True  # a box's top border
    mask[14:20, 0:41] = True  # a thick flat curve ending left of the box, one row above
    lines = find_lines(mask.astype(np.float32), mask, min_length=30, gap_px=2)
    assert [(line.first, line.last, line.start, line.end) for line in lines] == [
        (14, 19, 0, 41),
        (20, 20, 60, 121),
    ]


def _stroke_over_dots() -> np.ndarray:
    """A vertical solid stroke over the lower half of a column whose upper half holds only
    the dots of a dotted perpendicular grid, one every 6 px: closing 3 px gaps joins them
    into one long run, two-thirds its own ink, transposed for ``find_lines``."""
    mask = np.zeros((120, 20), dtype=bool)
    mask[60:, 10] = True
    mask[0:60:6, 10] = True
    return mask.T


def test_a_stroke_extended_over_sparse_dots_is_no_line_when_ink_is_asked_all_along() -> None:
    mask = _stroke_over_dots()
    ink = mask.astype(np.float32)
    assert find_lines(ink, mask, min_length=100, gap_px=3, min_part_ink=0.2) == []


def test_a_stroke_extended_over_sparse_dots_is_a_line_by_default() -> None:
    mask = _stroke_over_dots()
    (line,) = find_lines(mask.astype(np.float32), mask, min_length=100, gap_px=3)
    assert (line.position, line.start, line.end) == (10.0, 0, 120)


def _dense_band() -> np.ndarray:
    """Rows 10-30 of a plot where a log grid crowds: three solid lines (rows 12, 20, 28) and,
    between them, the crossings of a dense perpendicular grid every 3 px, which closing
    bridges into long runs, so all 21 rows fuse into one band."""
    mask = np.zeros((40, 150), dtype=bool)
    mask[10:31, ::3] = True
    mask[[12, 20, 28], :] = True
    return mask


def test_a_dense_grid_fused_into_one_thick_band_is_cut_down_to_its_solid_lines() -> None:
    mask = _dense_band()
    ink = mask.astype(np.float32)
    (band,) = find_lines(ink, mask, min_length=100, gap_px=2)
    assert (band.first, band.last) == (10, 30)
    cores = solid_cores(ink, mask, [band], min_length=100, gap_px=2)
    assert [(line.first, line.last, line.start, line.end) for line in cores] == [
        (12, 12, 0, 150),
        (20, 20, 0, 150),
        (28, 28, 0, 150),
    ]


def test_a_thin_dotted_line_is_left_whole_by_the_solid_cores() -> None:
    mask = np.zeros((20, 150), dtype=bool)
    mask[9:11, ::3] = True
    ink = mask.astype(np.float32)
    lines = find_lines(ink, mask, min_length=100, gap_px=2)
    assert len(lines) == 1
    assert solid_cores(ink, mask, lines, min_length=100, gap_px=2) == lines


def test_a_thick_band_with_one_solid_line_in_it_stays_whole() -> None:
    """A blurred line: a solid core with a broken fringe either side, erased whole."""
    mask = np.zeros((30, 150), dtype=bool)
    mask[8:16, ::2] = True
    mask[11:13, :] = True
    ink = mask.astype(np.float32)
    lines = find_lines(ink, mask, min_length=100, gap_px=2)
    assert [(line.first, line.last) for line in lines] == [(8, 15)]
    assert solid_cores(ink, mask, lines, min_length=100, gap_px=2) == lines

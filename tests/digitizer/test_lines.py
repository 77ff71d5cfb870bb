"""Long lines are told apart when they lie side by side, and need ink all along when asked."""

import numpy as np

from graphq.digitizer.lines import find_lines


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

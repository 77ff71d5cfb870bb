"""Bordered boxes inside the plot are found and erased; flat curves are not boxes."""

import numpy as np

from graphq.digitizer.preprocessing.boxes import erase_boxes, find_boxes


def _plot(height: int = 200, width: int = 300) -> np.ndarray:
    return np.zeros((height, width), dtype=bool)


def _assert_boxes(found: list[tuple[int, int, int, int]], expected: list[tuple[int, ...]]) -> None:
    """Corners within a pixel: a side's corner pixel belongs to the perpendicular side."""
    assert len(found) == len(expected)
    np.testing.assert_allclose(np.array(found), np.array(expected), atol=1)


def _rectangle(mask: np.ndarray, top: int, left: int, bottom: int, right: int) -> None:
    mask[top, left : right + 1] = True
    mask[bottom, left : right + 1] = True
    mask[top : bottom + 1, left] = True
    mask[top : bottom + 1, right] = True


def test_a_box_with_text_inside_is_found_through_a_crossing_curve() -> None:
    mask = _plot()
    _rectangle(mask, 40, 150, 100, 260)
    mask[60:70, 170:175] = True  # a letter
    rows = np.arange(300)
    mask[np.clip(190 - rows // 2, 0, 199), rows] = True  # a sloping curve through the side
    _assert_boxes(find_boxes(mask, min_side_px=12, line_width_px=1), [(40, 150, 100, 260)])


def test_a_box_against_the_frame_is_found_from_two_drawn_sides() -> None:
    mask = _plot()
    mask[150, 200:300] = True  # its top
    mask[150:200, 200] = True  # its left side; bottom and right are the frame
    _assert_boxes(find_boxes(mask, min_side_px=12, line_width_px=1), [(150, 200, 199, 299)])


def test_flat_curves_from_edge_to_edge_are_no_box() -> None:
    mask = _plot()
    mask[50, :] = True
    mask[120, :] = True
    assert find_boxes(mask, min_side_px=12, line_width_px=1) == []


def test_a_flat_curve_ending_in_a_sloping_fall_is_no_box() -> None:
    mask = _plot()
    mask[30, :180] = True
    for step in range(170):
        mask[30 + step, 180 + step // 3] = True
    assert find_boxes(mask, min_side_px=12, line_width_px=1) == []


def test_erasing_blanks_the_box_and_its_margin() -> None:
    ink = np.ones((50, 50), dtype=np.float32)
    erase_boxes(ink, [(10, 10, 20, 30)], margin_px=2)
    assert ink[8:23, 8:33].max() == 0.0
    assert ink[7, 8] == 1.0 and ink[23, 33] == 1.0


def test_a_box_whose_side_lies_on_an_erased_grid_line_is_found_from_three_sides() -> None:
    mask = _plot()
    _rectangle(mask, 40, 150, 100, 260)
    mask[41:100, 150] = False  # the left side went with the grid line it lay on
    _assert_boxes(find_boxes(mask, min_side_px=12, line_width_px=1), [(40, 150, 100, 260)])


def test_a_notes_box_against_the_frame_with_a_broken_side_is_found() -> None:
    # At 72 dpi, blurred and compressed, the left border breaks for a fifth of its height;
    # the right border lies on the frame, erased with it.
    mask = _plot()
    mask[120, 150:299] = True
    mask[180, 150:299] = True
    mask[120:168, 150] = True
    mask[178:181, 150] = True
    _assert_boxes(find_boxes(mask, 8.0, 1.0), [(120, 150, 180, 298)])


def test_two_flat_curves_of_one_extent_with_a_short_stroke_between_are_no_box() -> None:
    mask = _plot()
    mask[120, 150:260] = True
    mask[180, 150:260] = True
    mask[120:150, 150] = True  # half the height only
    assert find_boxes(mask, 8.0, 1.0) == []


def test_flat_curves_cut_to_one_extent_across_a_line_running_on_are_no_box() -> None:
    # A grid line's erasure cut two flat curves at one column; what is left of the line (or a
    # steep curve) runs on past them, where a box's side would stop at its corners.
    mask = _plot()
    mask[60, 150:260] = True
    mask[100, 150:260] = True
    mask[:, 260] = True
    assert find_boxes(mask, min_side_px=12, line_width_px=1) == []


def test_a_box_with_a_line_running_on_past_one_side_keeps_the_other() -> None:
    mask = _plot()
    _rectangle(mask, 60, 150, 100, 260)
    mask[:, 260] = True
    _assert_boxes(find_boxes(mask, min_side_px=12, line_width_px=1), [(60, 150, 100, 260)])


def test_two_thick_sloping_strokes_closing_in_a_sliver_are_no_box() -> None:
    # At 72 dpi or blurred, a gently sloping curve is a flat stroke several px tall; two of
    # them cut to one extent by grid erasure, with the ink where they meet as a side, leave
    # a sliver between them, thinner than their strokes.
    mask = _plot()
    mask[40:48, 100:140] = True
    mask[51:54, 100:140] = True
    mask[40:54, 138:140] = True
    assert find_boxes(mask, min_side_px=8, line_width_px=3) == []

import numpy as np

from graphq.digitizer.preprocessing.grid import remove_grid
from tests.digitizer.preprocessing.grids import grey_grid


def test_a_flat_stretch_of_a_curve_is_not_taken_for_a_grid_line() -> None:
    ink = grey_grid()
    ink[55, 100:] = 1.0  # Ciss flat from a third of the way to the right edge
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[55, 101:-2] > 0.9).all()
    assert cleaned[40, 5:-5].max() == 0.0 and cleaned[5:-5, 60].max() == 0.0


def test_a_black_grid_as_dark_as_the_curves_is_erased_for_its_even_spacing() -> None:
    ink = grey_grid()
    for row in (50, 100, 150):
        ink[row, :] = 1.0  # major lines drawn black, like the curves
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[[50, 100, 150], 5:-5].max() == 0.0


def test_a_bundle_merging_into_one_flat_line_is_not_taken_for_a_grid_line() -> None:
    ink = grey_grid()
    ink[75, 100:] = 0.45  # curves merged into one line at long pulse widths ...
    for column in range(70, 100):
        ink[75 - (100 - column) // 10, column] = 0.45  # ... fanning out to its left
    cleaned, _, _ = remove_grid(ink)
    # Only the crossings of the grid's columns go, as for any curve as pale as the grid.
    assert (cleaned[75, 101:-2] > 0.4).mean() > 0.95


def test_a_thick_bundle_line_as_dark_as_the_black_grid_lines_is_not_taken_for_grid() -> None:
    ink = grey_grid()
    for column in range(60, 299, 60):
        ink[:, column] = 1.0  # major lines drawn black, one pixel thick
    ink[74:78, 100:] = 1.0  # thick curves merged into one line at long pulse widths ...
    for column in range(70, 100):
        ink[76 + (100 - column) // 5, column] = 1.0  # ... fanning out to its left
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[74:78, 101:-2] > 0.9).mean() > 0.95


def test_a_pale_coloured_flat_curve_is_kept_only_when_its_colour_is_known() -> None:
    ink = grey_grid()
    colour = np.zeros_like(ink)
    ink[70, :] = 0.3  # a yellow curve, barely darker than the grid, flat edge to edge ...
    colour[70, :] = 0.5  # ... but far more colourful than the grey grid
    without_colour, _, _ = remove_grid(ink)
    with_colour, _, _ = remove_grid(ink, colour)
    assert without_colour[70, 1:-1].max() == 0.0
    # Only the crossings of the grid's columns go.
    assert (with_colour[70, 1:-1] == ink[70, 1:-1]).mean() > 0.95


def test_a_dotted_coloured_flat_curve_is_kept_when_its_colour_is_known() -> None:
    ink = grey_grid()
    colour = np.zeros_like(ink)
    ink[70, ::3] = 0.3  # dotted: the gaps between the dots are no less colourful a curve
    colour[70, ::3] = 0.5
    cleaned, _, _ = remove_grid(ink, colour)
    assert (cleaned[70, ::3] == ink[70, ::3]).mean() > 0.85


def test_a_grey_grid_line_with_a_coloured_curve_along_part_of_it_is_still_erased() -> None:
    ink = grey_grid()
    colour = np.zeros_like(ink)
    ink[80, 180:] = 0.8  # a red curve settling onto the grid row for 40 % of its length
    colour[80, 180:] = 0.5
    cleaned, _, _ = remove_grid(ink, colour)
    assert cleaned[80, 1:179].max() == 0.0
    assert (cleaned[80, 181:-1] == ink[80, 181:-1]).mean() > 0.95


def test_the_outermost_major_lines_of_a_grid_that_does_not_start_at_the_frame_are_erased() -> None:
    ink = np.zeros((200, 300), dtype=np.float32)
    ink[0, :] = ink[-1, :] = 1.0
    ink[:, 0] = ink[:, -1] = 1.0
    for column in range(30, 299, 30):
        ink[:, column] = 0.25
    # Black major lines one spacing apart, the first 70 px below the frame, not 40: the
    # outer ones sit midway between nothing, but repeat the spacing on their inner side.
    for row in (70, 110, 150):
        ink[row, :] = 1.0
    for row in (90, 130):
        ink[row, :] = 0.25  # grey minor lines between them
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[[70, 110, 150], 5:-5].max() == 0.0


def test_a_grid_line_that_a_box_hides_in_the_middle_is_still_erased() -> None:
    ink = grey_grid()
    ink[100, 90:200] = 0.0  # a box over the middle of the grid row at y = 100 ...
    ink[100, 200:] = 0.25  # ... leaves a piece shorter than half the plot on either side
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[100, 2:90].max() == 0.0 and cleaned[100, 200:-2].max() == 0.0


def test_a_flat_curve_between_grid_lines_survives_as_a_piece() -> None:
    ink = grey_grid()
    ink[110, 150:] = 1.0  # a dark flat stretch from the middle to the right edge
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[110, 151:-2] > 0.9).all()


def test_a_flat_curve_midway_between_lighter_grid_lines_is_not_taken_for_grid() -> None:
    ink = grey_grid()
    ink[110, :] = 1.0  # a dark flat curve edge to edge, halfway between two grey rows
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[110, 2:-2] > 0.9).mean() > 0.95


def test_a_merged_line_whose_fan_crosses_a_dense_stretch_of_grid_is_not_a_grid_line() -> None:
    ink = grey_grid()
    for column in range(102, 150, 4):
        ink[1:-1, column] = 0.25  # minor lines crowding before a decade on a log axis
    ink[75, 150:] = 1.0  # curves merged into one line at long pulse widths ...
    for offset in (10, 20, 30):
        for column in range(90, 150):
            ink[75 + offset * (150 - column) // 60, column] = 1.0  # ... fanning out to its left
    cleaned, _, _ = remove_grid(ink)
    # The crossings of the dense grid bridge into the line's row: they lengthen it but do
    # not make it a pale, gappy line.
    assert (cleaned[75, 151:-2] > 0.9).mean() > 0.95


def test_a_flat_curve_just_inside_the_bottom_frame_line_is_not_taken_for_the_frame() -> None:
    ink = grey_grid()
    ink[-2, :] = 1.0  # a frame line two pixels thick
    ink[-6:-4, 40:] = 1.0  # the lowest curve of an output characteristic, flat near 0 A
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[-6:-4, 42:-2] > 0.9).all()
    assert cleaned[-2:, 5:-5].max() == 0.0


def test_saturated_output_curves_alike_in_ink_are_no_family_of_grid_lines() -> None:
    ink = grey_grid()
    for row, knee in ((45, 40), (85, 70), (125, 100), (165, 130)):
        ink[row, knee:] = 1.0  # flat from its knee to the right edge ...
        for column in range(knee - 40, knee):
            ink[row + (knee - column) // 5, column] = 1.0  # ... rising to it from the origin
    cleaned, _, _ = remove_grid(ink)
    for row, knee in ((45, 40), (85, 70), (125, 100), (165, 130)):
        assert (cleaned[row, knee + 2 : -2] > 0.9).mean() > 0.95


def _log_decades(height: int = 244, width: int = 320) -> tuple[np.ndarray, list[int]]:
    """A frame, grey minor lines of a log axis and black major lines at its decades."""
    ink = np.zeros((height, width), dtype=np.float32)
    ink[0, :] = ink[-1, :] = 1.0
    ink[:, 0] = ink[:, -1] = 1.0
    decade = 66
    majors = [height - 1 - decade * k for k in (1, 2, 3)]
    for major in [height - 1, *majors]:
        for k in range(2, 10):
            row = round(major - decade * np.log10(k))
            if row > 0:
                ink[row, 1:-1] = 0.2
    for major in majors:
        ink[major, 1:-1] = 0.6
    for column in range(40, width - 1, 40):
        ink[1:-1, column] = 0.2
    return ink, majors


def test_major_lines_are_placed_by_one_that_a_note_box_hides_in_part() -> None:
    ink, majors = _log_decades()
    hidden = majors[0]
    ink[hidden - 20 : hidden + 30, 100:170] = 0.0  # a blank note box over the lowest decade
    cleaned, _, _ = remove_grid(ink)
    for row in majors[1:]:
        assert cleaned[row, 2:-2].max() == 0.0
    assert cleaned[hidden, 2:98].max() == 0.0 and cleaned[hidden, 172:-2].max() == 0.0


def test_a_thick_flat_curve_from_the_frame_is_no_hidden_major_line() -> None:
    ink, majors = _log_decades()
    row = majors[1] - 10  # between two minor lines, as dark as the major ones
    ink[row - 2 : row + 3, 1:110] = 0.6  # flat from the frame, five rows thick, ...
    ink[row - 2 : row + 60, 106:111] = 0.6  # ... to where it falls straight down
    cleaned, _, _ = remove_grid(ink)
    assert (cleaned[row, 2:105] > 0.5).mean() > 0.9


def test_a_thin_grid_line_falling_on_one_pixel_row_is_as_much_grid_as_its_split_fellows() -> None:
    ink = np.zeros((240, 300), dtype=np.float32)
    ink[0, :] = ink[-1, :] = 1.0
    ink[:, 0] = ink[:, -1] = 1.0
    split = np.array([0.7, 0.3], dtype=np.float32)
    for column in range(30, 299, 30):
        ink[1:-1, column : column + 2] = split
    # A grey line one pixel wide, rendered between two rows (its ink split between them) ...
    for row in (34, 103, 137, 206):
        ink[row : row + 2, 1:-1] = split[:, None]
    # ... or falling on one row, as dark as the curves, at an uneven place among them.
    for row in (69, 172):
        ink[row, 1:-1] = 1.0
    ink[118:120, 1:-1] = 1.0  # a flat curve, two rows of black, stays
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[[69, 172], 2:-2].max() == 0.0
    assert (cleaned[118:120, 2:-2] > 0.9).mean() > 0.9


def test_a_grid_line_stopping_at_a_labels_blank_is_erased_though_glyphs_stand_beyond() -> None:
    """A log grid's minor line runs from the right frame to a label laid over it with a white
    background: the label's glyphs (an "=") stand beyond the line's end, apart from it, where
    curves merging into a line run on from its very end."""
    ink = grey_grid()
    ink[55, 100:-1] = 0.25  # the minor line, off the even spacing, stopping at the label
    ink[53, 88:98] = ink[57, 88:98] = 0.8  # the label's "=", a blank of 2 px before the line
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[54:57, 100:-3].max() == 0.0


def test_a_major_line_on_one_row_is_placed_by_a_hidden_major_split_over_two() -> None:
    """A thin black major line falling on one pixel row reads darker than its fellows split
    over two rows: a note box hides the lowest one in part, and its pieces, as heavy per
    column but paler at their peak, still place the line judged among them."""
    ink, majors = _log_decades()
    lowest, middle, top = majors
    ink[middle, 1:-1] = 0.9  # on one row
    for row in (lowest, top):
        ink[row, 1:-1] = 0.0
        ink[row : row + 2, 1:-1] = 0.45  # split over two rows: as much ink per column
    ink[lowest - 20 : lowest + 30, 100:170] = 0.0  # a blank note box over the lowest decade
    cleaned, _, _ = remove_grid(ink)
    assert cleaned[middle, 2:-2].max() == 0.0
    assert cleaned[lowest : lowest + 2, 2:98].max() == 0.0

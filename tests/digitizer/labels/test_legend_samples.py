"""Legend samples are found beside their text with their curve's colour, dashes are told
from solid lines, and faded or JPEG'd colours still match the curve's."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from graphq.datasheet.curves import LegendSample
from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.legend_samples import (
    find_samples,
    is_dashed,
    legend_entries,
    nearest_colour,
    shared_colours,
    stacked_order,
)

GLYPH = 12.0
RED, BLUE = (214, 39, 40), (31, 119, 180)


def _legend(dashed_blue: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A white image with two legend rows: a line sample, then a block of 'text'."""
    image = Image.new("RGB", (200, 80), "white")
    draw = ImageDraw.Draw(image)
    text = np.zeros((80, 200), bool)
    for row, colour in ((20, RED), (50, BLUE)):
        if colour == BLUE and dashed_blue:
            for start in range(10, 40, 10):
                draw.line((start, row, start + 5, row), fill=colour, width=2)
        else:
            draw.line((10, row, 40, row), fill=colour, width=2)
        text[row - 6 : row + 6, 50:110] = True  # where the legend's words stand
    return np.asarray(image).copy(), text


def test_samples_beside_text_are_found_with_their_curves_colour_and_leave_the_text() -> None:
    image, text = _legend()
    text[20, 10:40] = True  # the text stage took the red sample for part of its line
    free = np.ones(text.shape, bool)
    samples = find_samples(image, free, text, GLYPH, [RED, BLUE])
    assert sorted((round(y), colour) for (_, y), colour, _ in samples) == [(20, RED), (50, BLUE)]
    assert not text[20, 10:40].any()


def test_a_dashed_sample_is_told_from_a_solid_one() -> None:
    image, text = _legend(dashed_blue=True)
    samples = find_samples(image, np.ones(text.shape, bool), text, GLYPH, [RED, BLUE])
    dashed = {colour: dash for _, colour, dash in samples}
    assert dashed == {RED: False, BLUE: True}


def test_a_line_with_no_text_beside_it_is_no_sample() -> None:
    image, text = _legend()
    text[:] = False
    assert find_samples(image, np.ones(text.shape, bool), text, GLYPH, [RED, BLUE]) == []


def test_the_side_of_a_box_just_over_a_text_is_no_sample() -> None:
    # A boxed note ("TJ = 25 °C"), its top side cut into short pieces by the grid lines
    # erased across it: a piece ends beside the text, but above its rows, not level with it.
    image = Image.new("RGB", (200, 80), "white")
    draw = ImageDraw.Draw(image)
    draw.line((20, 33, 45, 33), fill=(0, 0, 0), width=2)
    text = np.zeros((80, 200), bool)
    text[35:47, 50:110] = True
    assert find_samples(np.asarray(image).copy(), np.ones(text.shape, bool), text, GLYPH, []) == []


def test_a_faded_thin_line_matches_its_curves_colour_and_not_another() -> None:
    faded = tuple(round(255 - 0.45 * (255 - c)) for c in BLUE)
    assert nearest_colour(faded, [RED, BLUE]) == BLUE  # type: ignore[arg-type]
    assert nearest_colour((0, 200, 0), [RED, BLUE]) == (0, 200, 0)


def test_curves_of_nearly_one_colour_share_it() -> None:
    assert shared_colours([(0, 0, 0), (12, 10, 8), RED]) == [(0, 0, 0), (0, 0, 0), RED]


def test_a_curve_breaking_often_is_dashed_and_a_whole_one_is_not() -> None:
    dashes = np.concatenate([np.arange(k, k + 6) for k in range(0, 200, 10)])
    assert is_dashed(dashes)
    assert not is_dashed(np.arange(200))


def _fan(levels: tuple[float, ...], swap: float = 0.0) -> list[np.ndarray]:
    """Output-like curves (points, y down) leaving one origin, highest level first; the first
    two traced swapped by ``swap`` points over the first tenth, as where a tracker takes the
    wrong one of two lines still touching."""
    x = np.linspace(0.0, 100.0, 200)
    curves = [np.column_stack((x, 200.0 - level * (1 - np.exp(-x / 8.0)))) for level in levels]
    near = x < 10.0
    curves[0][near, 1] += swap
    return curves


def test_curves_of_a_family_stand_in_order_though_traced_swapped_at_their_origin() -> None:
    curves = _fan((150.0, 100.0, 50.0), swap=15.0)
    assert stacked_order(curves) == [0, 1, 2]
    assert stacked_order(curves[::-1]) == [2, 1, 0]


def test_curves_that_cross_have_no_order() -> None:
    x = np.linspace(0.0, 100.0, 200)
    rising = np.column_stack((x, 150.0 - x))
    falling = np.column_stack((x, 50.0 + x))
    assert stacked_order([rising, falling]) is None


def _line(text: str, x0: float, top: float) -> TextLine:
    width = 6.0 * len(text)
    return TextLine((), text, x0, top, x0 + width, top + 7.0, 10.0, True)


def _sample_left_of(line: TextLine) -> LegendSample:
    return LegendSample((line.x0 - 20.0, (line.top + line.bottom) / 2), (0, 0, 0), 1.0, False)


def test_a_legends_entries_stand_in_one_column_with_their_samples() -> None:
    lines = [_line("VGS = 10 V", 100.0, 40.0), _line("VGS = 5 V", 100.0, 55.0)]
    assert legend_entries(lines, [_sample_left_of(ln) for ln in lines]) == lines


def test_lines_with_a_stroke_left_of_one_and_right_of_another_are_no_legend() -> None:
    # A safe operating area's labels in one column, a curve's piece left of the first and
    # a speck right of the second: a legend sets its samples on one side of its entries.
    lines = [_line("T = 25°C", 100.0, 40.0), _line("TO-92 (DC)", 100.0, 70.0)]
    right = LegendSample((lines[1].x1 + 20.0, 73.5), (0, 0, 0), 1.0, False)
    assert legend_entries(lines, [_sample_left_of(lines[0]), right]) == []


def _sample_right_of(line: TextLine) -> LegendSample:
    return LegendSample((line.x1 + 20.0, (line.top + line.bottom) / 2), (0, 0, 0), 1.0, False)


def test_lines_with_a_stroke_on_either_side_are_no_legend_whatever_the_strokes_order() -> None:
    lines = [_line("VGS = 10 V", 100.0, 40.0), _line("VGS = 5 V", 100.0, 55.0)]
    both = [_sample_left_of(ln) for ln in lines] + [_sample_right_of(ln) for ln in lines]
    assert legend_entries(lines, both) == []
    assert legend_entries(lines, both[::-1]) == []


def test_two_columns_with_strokes_on_opposite_sides_are_no_one_legend() -> None:
    # Two columns of two aligned lines, one with strokes left, one with strokes right: which
    # is the legend is not known, and neither is taken for it.
    left = [_line("VGS = 10 V", 100.0, 40.0), _line("VGS = 5 V", 100.0, 55.0)]
    right = [_line("TJ = 25°C", 300.0, 140.0), _line("TJ = 125°C", 300.0, 155.0)]
    samples = [_sample_left_of(ln) for ln in left] + [_sample_right_of(ln) for ln in right]
    assert legend_entries(left + right, samples) == []


def test_lines_scattered_over_the_plot_with_strokes_beside_them_are_no_legend() -> None:
    # A thermal graph's stacked labels ("TO-220" over "TC = 25°C" over "PD = 15 W") here and
    # there, each with a curve's piece or a pointer beside one of its lines: taken for a
    # legend, the box round them would swallow the labels between.
    lines = [_line("T = 25°C", 127.0, 67.0), _line("P = 15W", 55.0, 162.0)]
    lines.append(_line("T = 25°C", 147.0, 183.0))
    assert legend_entries(lines, [_sample_left_of(ln) for ln in lines]) == []

"""OCR misreads mended only where the glyphs show what was meant: dropped decimal points,
Ω read as Q in unit places, a current's subscript merged into its symbol. Glyphs are drawn
here with matplotlib; the words are what tesseract is known to return for them."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from graphq.datasheet.misreads import (
    mend_subscripts,
    mend_units,
    restore_decimal_points,
    unsigned_cold_temperatures,
)
from graphq.datasheet.words import Word


def _drawn(text: str, **kwargs: object) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """``text`` drawn at 40 px glyph height; the ink mask and the text's pixel box."""
    figure = Figure(figsize=(3.0, 1.0), dpi=200)
    canvas = FigureCanvasAgg(figure)
    label = figure.text(0.1, 0.3, text, fontsize=16, **kwargs)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3]
    extent = label.get_window_extent(canvas.get_renderer())
    height = pixels.shape[0]
    box = (int(extent.x0), int(height - extent.y1), int(extent.x1) + 1, int(height - extent.y0) + 1)
    return pixels.mean(axis=2) < 128, box


def _word(text: str, box: tuple[int, int, int, int]) -> Word:
    x0, top, x1, bottom = box
    return Word(text, x0, top, x1, bottom, bottom - top, source="ocr", confidence=0.9)


@pytest.mark.parametrize(
    ("printed", "read"),
    [("0.8", "08"), ("-2.5", "-25"), ("12.50", "1250"), ("5.5V", "55V"), ("8.0V", "80V")],
)
def test_decimal_point_between_digits_goes_back_in(printed: str, read: str) -> None:
    mask, box = _drawn(printed)
    (mended,) = restore_decimal_points([_word(read, box)], mask)
    assert mended.text == printed


def test_a_speck_high_beside_the_digits_is_no_point_and_hides_none() -> None:
    # A condensed "1" thresholded at low resolution loses its flag off its stem: a speck as
    # small as the point, but up at the digits' top.
    mask, (x0, top, x1, bottom) = _drawn("1.5A")
    mask = mask.copy()
    mask[top + 4 : top + 7, x0 - 5 : x0 - 2] = True
    (mended,) = restore_decimal_points([_word("15A", (x0 - 6, top, x1, bottom))], mask)
    assert mended.text == "1.5A"


def test_whole_number_without_a_point_on_the_page_stays_whole() -> None:
    mask, box = _drawn("125")
    assert restore_decimal_points([_word("125", box)], mask)[0].text == "125"


@pytest.mark.parametrize(
    ("read", "meant"),
    [("[Q]", "[Ω]"), ("(mQ)", "(mΩ)"), ("10kQ", "10kΩ"), ("RDS(on)[Q]", "RDS(on)[Ω]")],
)
def test_ohms_read_as_q_are_ohms_where_a_unit_stands(read: str, meant: str) -> None:
    assert mend_units([_word(read, (0, 0, 10, 10))])[0].text == meant


@pytest.mark.parametrize("read", ["Q", "Qg", "QG,", "[nC]"])
def test_q_that_is_no_unit_stays(read: str) -> None:
    assert mend_units([_word(read, (0, 0, 10, 10))])[0].text == read


@pytest.mark.parametrize("read", ["In", "Ip", "In,"])
def test_subscript_hanging_below_an_i_is_read_as_the_capital_it_stands_for(read: str) -> None:
    mask, box = _drawn(r"I$_{\mathregular{D}}$,")
    (mended,) = mend_subscripts([_word(read, box)], mask)
    assert mended.text == "ID" + read[2:]


def test_the_word_in_on_one_baseline_stays() -> None:
    mask, box = _drawn("In")
    assert mend_subscripts([_word("In", box)], mask)[0].text == "In"


def test_a_cold_rating_read_without_its_minus_is_pointed_out_and_warm_ones_are_not() -> None:
    labels = ["55°C", "Tj = 25°C", "150°C", "-55°C", "VGS = 55V", "Tc = 40 °C"]
    assert unsigned_cold_temperatures(labels) == ["55°C", "Tc = 40 °C"]


def test_a_number_squeezed_to_a_box_of_no_width_stays_as_read() -> None:
    """A word box that tightening to its glyphs left empty holds no glyphs to mend."""
    word = Word("25", 5.0, 3.0, 5.0, 12.0, 9.0)
    assert restore_decimal_points([word], np.ones((20, 40), dtype=bool)) == [word]

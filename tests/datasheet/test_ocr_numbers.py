"""Numbers among OCR words made right: a power of ten's raised exponent split off its base,
numbers tesseract was unsure of or led by a misread sign read again as numbers. The glyphs
are drawn and read by the real tesseract."""

from __future__ import annotations

import numpy as np

from graphq.datasheet.ocr_numbers import read_as_text_or_number, reread_numbers, split_exponents
from graphq.datasheet.ocr_settings import DEFAULT_SETTINGS
from graphq.datasheet.tesseract import Box
from tests.datasheet.glyphs import DIGIT_FONT_PX, blank, draw, mask, word


def _power_of_ten() -> tuple[np.ndarray, Box]:
    """``10`` with a raised, smaller ``-1`` after it; the ink mask and the whole's box."""
    image = blank()
    base = draw(image, "10", (20, 50))
    raised = draw(image, "-1", (base[2] + 2, 30), size=DIGIT_FONT_PX * 2 // 3)
    return mask(image), (base[0], raised[1], raised[2], base[3])


def test_a_power_of_ten_read_as_one_word_is_split_into_its_base_and_raised_exponent() -> None:
    text, box = _power_of_ten()

    base, exponent = split_exponents([word("10-1", box)], text, DEFAULT_SETTINGS)

    assert (base.text, exponent.text) == ("10", "-1")
    assert exponent.bottom < (base.top + base.bottom) / 2
    assert exponent.size < base.size


def test_a_raised_degree_sign_inside_a_value_does_not_split_it() -> None:
    image = blank()
    box = draw(image, "25°C", (20, 40))

    (kept,) = split_exponents([word("25°C", box)], mask(image), DEFAULT_SETTINGS)

    assert kept.text == "25°C"


def test_a_word_of_letters_is_never_split() -> None:
    image = blank()
    box = draw(image, "Vds", (20, 40))

    (kept,) = split_exponents([word("Vds", box)], mask(image), DEFAULT_SETTINGS)

    assert kept.text == "Vds"


def test_a_number_led_by_a_sign_read_as_another_mark_is_read_again() -> None:
    image = blank()
    box = draw(image, "-16", (20, 40))

    (read,) = reread_numbers([word("~16", box, confidence=0.93)], mask(image), DEFAULT_SETTINGS)

    assert read.text == "-16"


def test_a_misread_sign_before_no_number_is_dropped_rather_than_kept() -> None:
    image = blank()
    draw(image, "12", (20, 40))
    nothing_there = (200, 40, 240, 64)

    kept = reread_numbers(
        [word("~16", nothing_there, confidence=0.93)], mask(image), DEFAULT_SETTINGS
    )

    assert kept == []


def test_a_doubtful_number_takes_the_surer_reading_of_its_glyphs_alone() -> None:
    image = blank()
    box = draw(image, "16", (20, 40))

    (read,) = reread_numbers([word("18", box, confidence=0.5)], mask(image), DEFAULT_SETTINGS)

    assert read.text == "16"
    assert read.confidence > 0.5


def test_a_sure_number_is_left_as_read() -> None:
    image = blank()
    box = draw(image, "16", (20, 40))

    (read,) = reread_numbers([word("16", box, confidence=0.97)], mask(image), DEFAULT_SETTINGS)

    assert (read.text, read.confidence) == ("16", 0.97)


def test_a_lone_zero_reads_as_the_number_not_a_letter() -> None:
    image = blank()
    x0, top, x1, bottom = draw(image, "0", (20, 40))

    ((text, confidence),) = read_as_text_or_number(
        mask(image), [(x0, top, x1, bottom)], DEFAULT_SETTINGS
    )

    assert text == "0"
    assert confidence >= DEFAULT_SETTINGS.min_confidence

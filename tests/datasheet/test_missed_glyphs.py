"""Glyphs sparse OCR skipped or cut short are found as ink no word covers and read: alone,
or together with the word beside them. The glyphs are drawn and read by the real
tesseract."""

from __future__ import annotations

from graphq.datasheet.missed_glyphs import with_missed
from graphq.datasheet.ocr_settings import DEFAULT_SETTINGS
from tests.datasheet.glyphs import GLYPH_PX, blank, draw, mask, word


def test_a_lone_glyph_no_word_covers_is_read_as_a_word_of_its_own() -> None:
    image = blank()
    zero = draw(image, "0", (20, 40))
    twenty_five = draw(image, "25", (200, 40))

    words = with_missed(mask(image), [word("25", twenty_five)], [], GLYPH_PX, DEFAULT_SETTINGS)

    assert sorted(w.text for w in words) == ["0", "25"]
    (found,) = [w for w in words if w.text == "0"]
    assert found.x0 <= zero[0] + 2 and found.x1 >= zero[2] - 2


def test_a_word_cut_short_is_replaced_by_the_reading_with_its_missed_glyph() -> None:
    image = blank()
    whole = draw(image, "-10", (20, 40))
    one = draw(blank(), "-1", (20, 40))

    words = with_missed(mask(image), [word("-1", one)], [], GLYPH_PX, DEFAULT_SETTINGS)

    assert [w.text for w in words] == ["-10"]
    assert words[0].x1 >= whole[2] - 2


def test_a_speck_is_no_glyph_and_is_not_read() -> None:
    image = blank()
    twenty_five = draw(image, "25", (200, 40))
    image.paste(0, (40, 50, 43, 53))

    words = with_missed(mask(image), [word("25", twenty_five)], [], GLYPH_PX, DEFAULT_SETTINGS)

    assert [w.text for w in words] == ["25"]


def test_ink_under_a_turned_word_is_not_read_again() -> None:
    image = blank()
    title = draw(image, "0", (20, 40))

    words = with_missed(mask(image), [], [word("Id", title)], GLYPH_PX, DEFAULT_SETTINGS)

    assert words == []

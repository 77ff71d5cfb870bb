from graphq.datasheet.textlines import text_lines
from graphq.datasheet.words import Word


def test_subscripts_are_glued_to_their_base_and_words_spaced() -> None:
    words = [Word("V", 10, 100, 15, 108, 8), Word("GS", 15.2, 104, 22, 110, 5.5),
             Word("=", 25, 100, 29, 108, 8), Word("10V", 31, 100, 43, 108, 8)]  # fmt: skip
    (line,) = text_lines(words)
    assert line.text == "VGS = 10V"


def test_rotated_words_read_from_bottom_to_top() -> None:
    words = [Word("(A)", 10, 100, 17, 115, 7, upright=False),
             Word("Current", 10, 120, 17, 150, 7, upright=False)]  # fmt: skip
    (column,) = text_lines(words)
    assert column.text == "Current (A)"
    assert not column.upright


def test_a_line_never_runs_across_a_wall() -> None:
    # A tick label just left of a frame edge, a curve label just inside it.
    words = [Word("0.1", 84, 561, 92, 569, 8), Word("TO-92", 99, 561, 120, 569, 8)]
    assert [line.text for line in text_lines(words)] == ["0.1 TO-92"]
    walled = text_lines(words, walls=[(95.5, 510.0, 675.0)])
    assert sorted(line.text for line in walled) == ["0.1", "TO-92"]


def test_a_title_above_the_frame_does_not_take_in_the_top_tick_label_beside_it() -> None:
    # "100" centred on the frame's top corner, a hair beyond its left edge; the title's
    # words stop just short of the frame's top, level with the tick label's upper half.
    words = [Word("100", 348.7, 78.1, 358.9, 86.2, 8.2),
             Word("On-Resistance", 373.0, 69.5, 437.4, 82.3, 12.7),
             Word("vs.", 439.9, 69.5, 452.7, 82.3, 12.7)]  # fmt: skip
    assert [line.text for line in text_lines(words)] == ["100 On-Resistance vs."]
    walled = text_lines(words, walls=[(361.5, 83.4, 246.4)])
    assert sorted(line.text for line in walled) == ["100", "On-Resistance vs."]


def test_a_tick_labels_exponent_beyond_the_frame_is_walled_off_with_its_base() -> None:
    # "10" with its superscript "0" at a log axis' top corner, the title right after it.
    words = [Word("10", 39.8, 43.6, 52.5, 55.3, 11.6), Word("0", 52.6, 42.3, 57.1, 50.4, 8.2),
             Word("Safe", 64.8, 34.6, 93.3, 48.5, 14.0)]  # fmt: skip
    walled = text_lines(words, walls=[(64.8, 48.6, 259.2)])
    assert sorted(line.text for line in walled) == ["100", "Safe"]


def _ocr(text: str, x0: float, top: float, x1: float, bottom: float) -> Word:
    return Word(text, x0, top, x1, bottom, bottom - top, source="ocr", confidence=0.9)


def test_ocr_subscripts_hugging_their_glyphs_are_glued_to_their_symbol() -> None:
    # OCR boxes hug the glyphs: "DS" hangs below "V" without overlapping it.
    words = [
        _ocr("V", 397.1, 542.9, 400.5, 546.7),
        _ocr("DS", 400.3, 546.6, 403.9, 548.5),
        _ocr("=", 405.0, 544.0, 407.6, 545.5),
        _ocr("100V", 409.3, 542.8, 419.8, 546.7),
    ]
    assert [line.text for line in text_lines(words)] == ["VDS = 100V"]


def test_ocr_lines_of_a_caption_stay_apart_under_a_word_with_a_descender() -> None:
    # "Figure" is boxed taller than "3." by its g; the next line's words are no subscripts.
    words = [
        _ocr("Figure", 123.7, 471.6, 148.5, 479.5),
        _ocr("3.", 151.7, 471.6, 157.3, 477.9),
        _ocr("Drain", 136.8, 482.0, 157.1, 488.3),
        _ocr("Current", 160.6, 482.0, 190.6, 488.3),
    ]
    assert sorted(line.text for line in text_lines(words)) == ["Drain Current", "Figure 3."]


def test_ocr_read_curve_labels_crowded_side_by_side_are_labels_of_their_own() -> None:
    # Curve-end labels of a valve's transfer graph stand closer than a word space.
    words = [
        _ocr("250V", 245.0, 227.0, 263.0, 233.0),
        _ocr("200V", 265.0, 228.0, 283.0, 234.0),
        _ocr("150V", 284.5, 229.0, 300.0, 235.0),
    ]
    assert sorted(line.text for line in text_lines(words)) == ["150V", "200V", "250V"]


def test_values_of_the_text_layer_set_close_stay_one_line() -> None:
    words = [Word("10V", 10, 100, 22, 108, 8), Word("20V", 24, 100, 36, 108, 8)]
    assert [line.text for line in text_lines(words)] == ["10V 20V"]

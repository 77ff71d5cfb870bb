from graphq.datasheet.numbers import join_exponents, parse_number
from graphq.datasheet.words import Word


def test_tick_label_forms_read_as_their_values() -> None:
    cases = {
        "0.1": 0.1,
        "1E-1": 0.1,
        "1.0E+01": 10.0,
        "10,000": 10000.0,
        "−5": -5.0,
        "-5": -5.0,
        "1k": 1000.0,
        "10µ": 1e-5,
        "10^-1": 0.1,
        "10⁻¹": 0.1,
        "0,5": 0.5,
    }
    for text, value in cases.items():
        assert parse_number(text) is not None, text
        assert abs(parse_number(text) - value) < 1e-12 * max(1.0, abs(value)), text  # type: ignore[operator]


def test_words_that_are_not_numbers_read_as_none() -> None:
    for text in ("VDS", "Figure", "(V)", "", "1.2.3"):
        assert parse_number(text) is None


def test_ten_with_a_raised_smaller_word_is_a_power_of_ten() -> None:
    base = Word("10", 100, 200, 108, 208, 8)
    exponent = Word("-2", 108.5, 196, 113, 201.5, 5.5)
    joined = join_exponents([base, exponent])
    assert [w.text for w in joined] == ["10^-2"]
    assert parse_number(joined[0].text) == 0.01
    assert (joined[0].x0, joined[0].x1) == (100, 108)


def test_a_number_beside_ten_on_the_same_line_is_not_an_exponent() -> None:
    words = [Word("10", 100, 200, 108, 208, 8), Word("20", 109, 200, 117, 208, 8)]
    assert [w.text for w in join_exponents(words)] == ["10", "20"]


def test_an_ocr_exponent_that_lost_its_minus_still_joins_its_ten() -> None:
    # The minus OCR dropped stood between "10" and "2": the digit starts a minus further on.
    base = Word("10", 100, 200, 108, 208, 8, source="ocr")
    exponent = Word("2", 111.5, 196, 114, 201.5, 5.5, source="ocr")
    assert [w.text for w in join_exponents([base, exponent])] == ["10^2"]


def test_a_text_layer_word_that_far_from_ten_is_no_exponent() -> None:
    base = Word("10", 100, 200, 108, 208, 8)
    far = Word("2", 111.5, 196, 114, 201.5, 5.5)
    assert [w.text for w in join_exponents([base, far])] == ["10", "2"]

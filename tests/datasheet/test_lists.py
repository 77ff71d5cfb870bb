from graphq.datasheet.lists import find_lists
from graphq.datasheet.textlines import text_lines
from graphq.datasheet.words import Word

SIZE = 3.0


def _word(text: str, x0: float, top: float, source: str = "ocr") -> Word:
    return Word(text, x0, top, x0 + len(text) * 2.0, top + SIZE, SIZE, source=source)  # type: ignore[arg-type]


def test_a_top_bottom_table_with_its_values_in_a_column_of_their_own_is_read() -> None:
    # "VGS" over a column of values; "Top :" and "Bottom :" far left of the first and last.
    words = [_word("VGS", 46.0, 95.5), _word("Top", 26.0, 100.0), _word(":", 36.0, 100.0)]
    values = ["15V", "10V", "8.0V", "7.0V", "6.5V", "6.0V", "5.5V"]
    words += [_word(v, 46.0, 100.0 + 5.2 * k) for k, v in enumerate(values)]
    words += [_word("Bottom", 26.0, 100.0 + 5.2 * 6), _word(":", 40.0, 100.0 + 5.2 * 6)]
    (found,) = find_lists(text_lines(words))
    assert found.entries == [f"VGS = {v}" for v in values]
    assert found.quantity == "VGS"


def test_a_top_line_with_no_bottom_is_no_list() -> None:
    words = [_word("Top", 26.0, 100.0), _word("15V", 46.0, 100.0), _word("10V", 46.0, 105.2)]
    assert find_lists(text_lines(words)) == []

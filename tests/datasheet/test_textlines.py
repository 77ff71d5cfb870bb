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

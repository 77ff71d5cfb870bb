from graphq.datasheet.outlined import outlined_frames, with_read_words
from graphq.datasheet.panels import Panel
from graphq.datasheet.words import Word

_BOX = (100.0, 100.0, 300.0, 250.0)
_PANEL = Panel(box=_BOX, x_ticks=[100.0, 200.0, 300.0], y_ticks=[100.0, 175.0, 250.0])


def _word(text: str, x0: float, top: float, source: str = "text") -> Word:
    return Word(text, x0, top, x0 + 6.0 * len(text), top + 8.0, 8.0, source=source)


def test_a_frame_with_no_number_of_the_text_layer_beside_it_has_outlined_numbers() -> None:
    title = _word("PLATE CHARACTERISTICS", 120.0, 80.0)
    assert outlined_frames([title], [_PANEL]) == [_BOX]


def test_a_frame_with_a_tick_label_in_the_text_layer_is_read_from_the_text_layer() -> None:
    tick = _word("100", 190.0, 256.0)
    assert outlined_frames([tick], [_PANEL]) == []


def test_a_number_far_from_the_frame_does_not_make_its_labels_text() -> None:
    page_number = _word("Page 7", 100.0, 500.0)
    assert outlined_frames([page_number], [_PANEL]) == [_BOX]


def test_a_frame_without_ticks_on_both_axes_is_no_graph_to_read_again() -> None:
    table = Panel(box=_BOX, x_ticks=[], y_ticks=[100.0, 175.0, 250.0])
    assert outlined_frames([], [table]) == []


def test_a_bracket_left_as_text_inside_an_ocr_read_title_is_kept_once() -> None:
    bracket = _word("(", 112.0, 60.0)
    read = _word("Ia(mA)", 100.0, 60.0, source="ocr")
    title = _word("Transfer", 200.0, 40.0)
    assert with_read_words([bracket, title], [read]) == [title, read]

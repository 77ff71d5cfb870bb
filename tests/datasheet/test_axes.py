import math

from graphq.datasheet.axes import read_axes
from graphq.datasheet.words import Word
from graphq.review import ReviewReason

FRAME = (100.0, 100.0, 300.0, 250.0)
SIZE = 7.0


def _x_label(text: str, x: float, source: str = "text") -> Word:
    w = len(text) * 4.0
    return Word(text, x - w / 2, 254, x + w / 2, 254 + SIZE, SIZE, source=source)  # type: ignore[arg-type]


def _y_label(text: str, y: float) -> Word:
    return Word(text, 96 - len(text) * 4.0, y - SIZE / 2, 96, y + SIZE / 2, SIZE)


def _x_ticks(n: int) -> list[float]:
    return [100 + 200 * k / (n - 1) for k in range(n)]


def _y_ticks(n: int) -> list[float]:
    return [250 - 150 * k / (n - 1) for k in range(n)]


def test_linear_axes_are_read_from_labels_fitted_to_their_ticks() -> None:
    words = [_x_label(str(v), x) for v, x in zip((0, 5, 10, 15, 20), _x_ticks(5), strict=True)]
    words += [_y_label(str(v), y) for v, y in zip((0, 20, 40, 60), _y_ticks(4), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(5), _y_ticks(4))
    assert reading.axes is not None
    assert (reading.axes.x.min, reading.axes.x.max, reading.axes.x.scale) == (0, 20, "linear")
    assert (reading.axes.y.min, reading.axes.y.max, reading.axes.y.scale) == (0, 60, "linear")
    assert reading.x.confidence > 0.9 and not reading.reasons


def test_log_axis_is_read_from_decade_tick_labels() -> None:
    texts = ("1.0E-01", "1.0E+00", "1.0E+01", "1.0E+02")
    words = [_y_label(t, y) for t, y in zip(texts, _y_ticks(4), strict=True)]
    words += [_x_label(str(v), x) for v, x in zip((0, 1, 2), _x_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(3), _y_ticks(4))
    assert reading.y.axis is not None
    assert reading.y.axis.scale == "log"
    assert math.isclose(reading.y.axis.min, 0.1) and math.isclose(reading.y.axis.max, 100)


def test_axis_edges_beyond_the_last_label_are_extrapolated() -> None:
    # Labels 0..15 on ticks, frame edge one tick further: max is 20.
    ticks = _x_ticks(5)
    words = [_x_label(str(v), x) for v, x in zip((0, 5, 10, 15), ticks[:4], strict=True)]
    words += [_y_label(str(v), y) for v, y in zip((0, 1, 2), _y_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, ticks, _y_ticks(3))
    assert reading.x.axis is not None and math.isclose(reading.x.axis.max, 20.0)


def test_negative_values_with_unicode_minus_read_for_p_channel_axes() -> None:
    texts = ("−25", "−20", "−15", "−10", "−5", "0")
    words = [_x_label(t, x) for t, x in zip(texts, _x_ticks(6), strict=True)]
    words += [_y_label(t, y) for t, y in zip(("−5", "−4", "−3"), _y_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(6), _y_ticks(3))
    assert reading.axes is not None
    assert (reading.axes.x.min, reading.axes.x.max) == (-25, 0)
    assert (reading.axes.y.min, reading.axes.y.max) == (-5, -3)


def test_axis_title_gives_quantity_and_unit() -> None:
    words = [_x_label(str(v), x) for v, x in zip((0, 10, 20), _x_ticks(3), strict=True)]
    words += [Word("V", 180, 266, 185, 273, 7), Word("DS", 185, 270, 192, 275, 5),
              Word("(Volts)", 195, 266, 220, 273, 7)]  # fmt: skip
    words += [_y_label(str(v), y) for v, y in zip((0, 1, 2), _y_ticks(3), strict=True)]
    words += [Word("Capacitance", 70, 140, 77, 190, 7, upright=False),
              Word("(pF)", 70, 120, 77, 137, 7, upright=False)]  # fmt: skip
    reading = read_axes(words, FRAME, _x_ticks(3), _y_ticks(3))
    assert reading.axes is not None
    assert (reading.axes.x.quantity, reading.axes.x.unit) == ("VDS", "V")
    assert (reading.axes.y.quantity, reading.axes.y.unit) == ("C", "pF")


def test_ocr_words_are_read_like_text_layer_words() -> None:
    words = [
        _x_label(str(v), x + 0.6, "ocr") for v, x in zip((0, 2, 4, 6), _x_ticks(4), strict=True)
    ]
    words += [_y_label(str(v), y) for v, y in zip((0, 5, 10), _y_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, [], [])
    assert reading.x.axis is not None and math.isclose(reading.x.axis.max, 6.0, rel_tol=0.01)


def test_an_axis_without_tick_labels_is_unread_with_a_reason() -> None:
    words = [_y_label(str(v), y) for v, y in zip((0, 1, 2), _y_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, [], _y_ticks(3))
    assert reading.x.axis is None and reading.axes is None
    assert [n.code for n in reading.x.reasons] == [ReviewReason.AXIS_UNREAD]


def test_an_edge_label_names_the_frame_edge_not_a_grid_line_beside_it() -> None:
    # "1000" is centred 1.9 pt below the top edge and 1.5 pt above a grid line 3.4 pt under it.
    ticks = [100.0, 103.4, 175.0, 250.0]
    words = [_y_label("1000", 101.9), _y_label("100", 175.0), _y_label("10", 250.0)]
    words += [_x_label(str(v), x) for v, x in zip((0, 5, 10, 15, 20), _x_ticks(5), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(5), ticks)
    assert reading.axes is not None
    assert reading.axes.y.scale == "log"
    assert math.isclose(reading.axes.y.max, 1000.0) and math.isclose(reading.axes.y.min, 10.0)


def test_an_axis_mapped_piecewise_maps_positions_through_its_labels() -> None:
    positions = (100.0, 150.0, 200.0, 300.0)  # the last decade twice as wide
    words = [_x_label(t, x) for t, x in zip(("0.1", "1", "10", "100"), positions, strict=True)]
    words += [_y_label(str(v), y) for v, y in zip((0, 20, 40, 60), _y_ticks(4), strict=True)]
    reading = read_axes(words, FRAME, list(positions), _y_ticks(4))
    assert reading.axes is not None
    assert (reading.axes.x.min, reading.axes.x.max) == (0.1, 100.0)
    assert math.isclose(float(reading.x.values_at([250.0])[0]), 10**1.5)
    assert not reading.reasons  # text-layer labels, evenly enough spaced: nothing doubtful


def _right_label(text: str, y: float) -> Word:
    return Word(text, 304, y - SIZE / 2, 304 + len(text) * 4.0, y + SIZE / 2, SIZE)


def test_y_labels_right_of_the_frame_are_read_when_none_stand_left() -> None:
    words = [_right_label(str(v), y) for v, y in zip((0, 20, 40, 60), _y_ticks(4), strict=True)]
    words += [_x_label(str(v), x) for v, x in zip((0, 5, 10), _x_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(3), _y_ticks(4))
    assert reading.y.axis is not None
    assert (reading.y.axis.min, reading.y.axis.max) == (0, 60)


def test_x_labels_above_the_frame_are_read_when_none_stand_below() -> None:
    words = [
        Word(str(v), x - 4, 100 - 2 - SIZE, x + 4, 98, SIZE)
        for v, x in zip((0, 100, 200), _x_ticks(3), strict=True)
    ]
    words += [_y_label(str(v), y) for v, y in zip((0, 1, 2), _y_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(3), _y_ticks(3))
    assert reading.x.axis is not None
    assert (reading.x.axis.min, reading.x.axis.max) == (0, 200)


def _decade_ticks(start: float, decade_pt: float, decades: int) -> list[float]:
    return [
        start + decade_pt * (d + math.log10(m)) for d in range(decades) for m in range(1, 10)
    ] + [start + decade_pt * decades]


def test_two_labels_on_log_spaced_ticks_read_as_a_log_axis() -> None:
    # Three decades 0.1 .. 100 across the frame; only "1" and "10" were read.
    ticks = _decade_ticks(100.0, 200.0 / 3, 3)
    words = [_x_label("1", 100 + 200 / 3, "ocr"), _x_label("10", 100 + 400 / 3, "ocr")]
    words += [_y_label(str(v), y) for v, y in zip((0, 1, 2), _y_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, ticks, _y_ticks(3))
    assert reading.x.axis is not None and reading.x.axis.scale == "log"
    assert math.isclose(reading.x.axis.min, 0.1, rel_tol=1e-3)
    assert math.isclose(reading.x.axis.max, 100, rel_tol=1e-3)


def test_ocr_labels_that_lost_their_minus_sign_are_read_negative_and_said_so() -> None:
    # "-100 -50 0 50 100" read by OCR as "100 50 0 50 100".
    texts = ("100", "50", "0", "50", "100")
    words = [_x_label(t, x, "ocr") for t, x in zip(texts, _x_ticks(5), strict=True)]
    words += [_y_label(str(v), y) for v, y in zip((0, 1, 2), _y_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(5), _y_ticks(3))
    assert reading.x.axis is not None
    assert (reading.x.axis.min, reading.x.axis.max) == (-100, 100)
    assert any("minus" in note.message for note in reading.x.reasons)


def test_text_layer_labels_are_never_given_a_minus_sign() -> None:
    texts = ("100", "50", "0", "50", "100")
    words = [_x_label(t, x) for t, x in zip(texts, _x_ticks(5), strict=True)]
    words += [_y_label(str(v), y) for v, y in zip((0, 1, 2), _y_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(5), _y_ticks(3))
    assert reading.x.axis is None or reading.x.axis.min != -100


def test_an_ocr_ten_among_powers_of_ten_is_left_out_not_read_as_ten() -> None:
    # 10^1, then "10" whose raised 0 went unread, then 10^-1 down the y axis.
    ticks = _y_ticks(3)
    words = []
    for exponent, y in zip(("1", None, "-1"), reversed(ticks), strict=True):
        words.append(Word("10", 84, y - SIZE / 2, 92, y + SIZE / 2, SIZE, source="ocr"))
        if exponent is not None:
            words.append(Word(exponent, 92.5, y - SIZE, 96, y - 1, 4.5, source="ocr"))
    words += [_x_label(str(v), x) for v, x in zip((0, 1, 2), _x_ticks(3), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(3), ticks)
    assert reading.y.axis is not None and reading.y.axis.scale == "log"
    assert math.isclose(reading.y.axis.min, 0.1) and math.isclose(reading.y.axis.max, 10)


def test_ocr_labels_breaking_their_progression_are_mended_and_said_so() -> None:
    # y 0.8 .. 1.2 read "0." (a glyph lost) and "11" (its point lost); x "-100" lost its minus.
    texts = ("0.", "0.9", "1.0", "11", "1.2")
    words = [
        Word(t, 96 - len(t) * 4.0, y - SIZE / 2, 96, y + SIZE / 2, SIZE, source="ocr")
        for t, y in zip(texts, _y_ticks(5), strict=True)
    ]
    x_texts = ("100", "-50", "0", "50", "100")
    words += [_x_label(t, x, "ocr") for t, x in zip(x_texts, _x_ticks(5), strict=True)]
    reading = read_axes(words, FRAME, _x_ticks(5), _y_ticks(5))
    assert reading.axes is not None
    assert (reading.axes.y.min, reading.axes.y.max) == (0.8, 1.2)
    assert (reading.axes.x.min, reading.axes.x.max) == (-100, 100)
    assert sorted(v for _, v in reading.y.ticks) == [0.8, 0.9, 1.0, 1.1, 1.2]
    assert any("'11' as 1.1" in note.message for note in reading.y.reasons)
    assert any("minus sign" in note.message for note in reading.x.reasons)

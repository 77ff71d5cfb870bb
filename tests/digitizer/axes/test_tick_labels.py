"""The numbers beside a frame's bottom and left edges, read by OCR."""

from __future__ import annotations

from graphq.digitizer.axes.tick_labels import read_tick_labels
from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.preprocessing.text import text_height_px
from tests.digitizer.plots import UNEVEN_X, UNEVEN_Y, render_uneven_plot


def test_the_tick_labels_below_and_left_of_the_frame_are_read_with_their_places() -> None:
    pixels, box, _ = render_uneven_plot()
    ink = darkness(pixels)
    glyph = text_height_px(ink, box)
    assert glyph is not None
    below, beside = read_tick_labels(ink, box, glyph)
    x0, y0, x1, y1 = box
    assert [float(w.text) for w in below] == [v for v, _ in UNEVEN_X]
    for word, (_, place) in zip(below, UNEVEN_X, strict=True):
        assert abs(word.centre[0] - (x0 + place * (x1 - x0))) <= glyph
    assert sorted(float(w.text) for w in beside) == [v for v, _ in UNEVEN_Y]
    for word in beside:
        place = dict(UNEVEN_Y)[float(word.text)]
        assert abs(word.centre[1] - (y1 - place * (y1 - y0))) <= glyph


def test_a_frame_without_tick_labels_gives_no_words() -> None:
    pixels, box, _ = render_uneven_plot(labels_drawn=False)
    below, beside = read_tick_labels(darkness(pixels), box, 11.0)
    assert below == [] and beside == []


def test_only_the_axes_asked_for_are_read() -> None:
    pixels, box, _ = render_uneven_plot()
    ink = darkness(pixels)
    glyph = text_height_px(ink, box)
    assert glyph is not None
    below, beside = read_tick_labels(ink, box, glyph, wanted=(False, True))
    assert below == []
    assert sorted(float(w.text) for w in beside) == [v for v, _ in UNEVEN_Y]
    below, beside = read_tick_labels(ink, box, glyph, wanted=(True, False))
    assert [float(w.text) for w in below] == [v for v, _ in UNEVEN_X]
    assert beside == []

"""A symbol's subscript read alone: glyphs drawn here with matplotlib (a capital and a
smaller, lower subscript), read by the real tesseract."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from graphq.datasheet.subscripts import split_subscripts
from graphq.datasheet.textlines import text_lines
from graphq.datasheet.words import Word


def _drawn(text: str) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """``text`` (mathtext) drawn with capitals ~30 px tall; its ink mask and ink box."""
    figure = Figure(figsize=(3.0, 1.0), dpi=200)
    canvas = FigureCanvasAgg(figure)
    figure.text(0.1, 0.3, text, fontsize=14)
    canvas.draw()
    mask = np.asarray(canvas.buffer_rgba())[:, :, :3].mean(axis=2) < 128
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return mask, (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)


def _word(text: str, box: tuple[int, int, int, int]) -> Word:
    x0, top, x1, bottom = box
    return Word(text, x0, top, x1, bottom, bottom - top, source="ocr", confidence=0.6)


def test_a_subscript_read_as_junk_is_read_alone_and_glued_back() -> None:
    mask, box = _drawn(r"$\mathregular{C_{iss}}$")
    words = split_subscripts([_word("C..", box)], mask)
    assert words[0].text == "C"
    (line,) = text_lines(words)
    assert line.text.casefold() == "ciss"


def test_a_voltage_symbol_keeps_its_capital_and_reads_its_subscript() -> None:
    mask, box = _drawn(r"$\mathregular{V_{DS}}$")
    (line,) = text_lines(split_subscripts([_word("Vos", box)], mask))
    assert line.text == "VDS"


def test_a_word_on_one_baseline_is_not_split() -> None:
    mask, box = _drawn("Coss")
    assert [w.text for w in split_subscripts([_word("Coss", box)], mask)] == ["Coss"]


def test_a_word_boxed_outside_the_image_is_left_as_read() -> None:
    mask, (_, top, _, bottom) = _drawn(r"$\mathregular{V_{DS}}$")
    outside = _word("Vos", (mask.shape[1] + 5, top, mask.shape[1] + 40, bottom))
    assert [w.text for w in split_subscripts([outside], mask)] == ["Vos"]

"""Lines of a plot's text are read whole, one per printed line, however a stray stroke joins
them, and junk is not taken for text."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from graphq.datasheet.text_mask import glyph_height
from graphq.datasheet.textlines import TextLine, text_lines
from graphq.datasheet.words import Word
from graphq.digitizer.labels.binding import same_label
from graphq.digitizer.labels.ocr import DEFAULT_LINES, _unspecked, read_lines, unsure_name
from graphq.digitizer.preprocessing.ink import darkness


def _text_image(draw: object) -> tuple[np.ndarray, np.ndarray, float]:
    figure = plt.figure(figsize=(4, 2), dpi=100)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(0, 4)
    axes.set_ylim(0, 2)
    draw(axes)  # type: ignore[operator]
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    ink = darkness(pixels)
    mask = ink > 0.35
    return ink, mask, glyph_height(mask) or 10.0


def _read(draw: object) -> list[str]:
    ink, mask, glyph = _text_image(draw)
    lines = read_lines(ink, mask, glyph, 5.0 / glyph, DEFAULT_LINES)
    return [line.text for line in sorted(lines, key=lambda line: line.top)]


def test_a_label_is_read_as_one_line_with_its_equals_sign() -> None:
    read = _read(lambda axes: axes.text(0.5, 1.0, "VGS = 10 V", fontsize=12))
    assert len(read) == 1 and same_label(read[0], "VGS = 10 V") and "=" in read[0]


def test_stacked_lines_joined_by_a_stray_stroke_are_read_apart() -> None:
    def draw(axes: plt.Axes) -> None:
        axes.text(0.5, 1.2, "VDS = 40 V", fontsize=12)
        axes.text(0.5, 0.7, "VDS = 100 V", fontsize=12)
        axes.plot([1.55, 1.62], [0.8, 1.3], color="black", lw=1)

    read = _read(draw)
    assert len(read) == 2
    assert same_label(read[0], "VDS = 40 V") and same_label(read[1], "VDS = 100 V")


def test_specks_and_short_strokes_are_no_text() -> None:
    def draw(axes: plt.Axes) -> None:
        axes.plot([1.0, 1.05], [1.0, 1.3], color="black", lw=1)
        axes.plot([2.0], [1.0], marker=".", color="black")

    assert _read(draw) == []


def test_a_label_small_as_a_72_dpi_render_is_read_from_its_grey_ink() -> None:
    def draw(axes: plt.Axes) -> None:
        axes.text(0.5, 1.0, "VGS = 10 V", fontsize=5)

    ink, mask, _ = _text_image(draw)
    rows = np.flatnonzero(mask.any(axis=1))
    glyph = float(rows[-1] - rows[0] + 1)
    assert glyph <= 6.0  # as small as a datasheet label rendered at 72 dpi
    lines = read_lines(ink, mask, glyph, 5.0 / glyph, DEFAULT_LINES)
    assert [line.text for line in lines] and same_label(lines[0].text, "VGS = 10 V")


def test_a_symbols_subscript_is_read_alone_not_made_junk_of() -> None:
    # Read as one word, "V_GS" comes out "Ves": its small, low glyphs are read apart.
    read = _read(lambda axes: axes.text(0.5, 1.0, "$V_{GS}$ = 10 V", fontsize=12))
    assert len(read) == 1 and read[0].replace(" ", "") == "VGS=10V"


def test_a_name_stacked_tight_over_a_value_is_read_as_two_lines() -> None:
    # A family's curve-end labels set close: the name's subscript hangs down to the value
    # under it.
    def draw(axes: plt.Axes) -> None:
        axes.text(0.5, 1.22, "$V_{GS}$", fontsize=12)
        axes.text(0.5, 0.95, "0.5", fontsize=12)
        axes.text(0.5, 0.55, "0V", fontsize=12)

    read = _read(draw)
    assert any(same_label(text, "0.5") for text in read)
    assert any(same_label(text, "0V") for text in read)
    assert not any("0.5" in text and "V" in text.split("0.5")[0] for text in read)


def test_a_label_cut_by_grid_lines_erased_across_it_is_read_whole() -> None:
    ink, mask, glyph = _text_image(lambda axes: axes.text(0.5, 1.0, "125°C", fontsize=12))
    rows = np.flatnonzero(mask.any(axis=1))
    # Two level grid lines ran across it: the grid stage erased their rows from the mask.
    for row in (rows[0] + 3, rows[0] + 4, rows[0] + 8):
        mask[row, :] = False
    lines = read_lines(ink, mask, glyph, 5.0 / glyph, DEFAULT_LINES)
    assert [line.text for line in lines] and same_label(lines[0].text, "125°C")


def test_a_minus_set_apart_from_its_number_is_read_with_it() -> None:
    read = _read(lambda axes: axes.text(0.5, 1.0, "\u2212  25°C", fontsize=12))
    assert len(read) == 1 and same_label(read[0], "-25°C")


def test_a_minus_tesseract_misses_is_put_back_from_the_glyphs() -> None:
    def draw(axes: plt.Axes) -> None:
        axes.text(0.62, 1.0, "0.5V", fontsize=12)
        # A thin, short minus a little apart, as small labels print it.
        axes.plot([0.42, 0.54], [1.06, 1.06], color="black", lw=1.0)

    read = _read(draw)
    assert len(read) == 1 and same_label(read[0], "-0.5V")


def test_a_dash_below_or_far_left_of_a_number_is_no_minus() -> None:
    def draw(axes: plt.Axes) -> None:
        axes.text(0.62, 1.0, "0.5V", fontsize=12)
        axes.plot([0.1, 0.22], [1.06, 1.06], color="black", lw=1.0)
        axes.plot([0.45, 0.57], [0.93, 0.93], color="black", lw=1.0)

    read = _read(draw)
    assert any(same_label(text, "0.5V") for text in read)
    assert not any(text.startswith("-") for text in read)


def test_a_dense_dotted_grid_is_no_text_and_the_labels_in_it_are_read() -> None:
    # Dotted grid lines a few px apart once chained thousands of dots into "lines" of text.
    def draw(axes: plt.Axes) -> None:
        for at in np.arange(0.1, 4.0, 0.2):
            axes.plot([at, at], [0, 2], color="black", lw=0.6, dashes=(1, 1.5))
        for at in np.arange(0.1, 2.0, 0.2):
            axes.plot([0, 4], [at, at], color="black", lw=0.6, dashes=(1, 1.5))
        axes.plot([0.2, 3.8], [0.4, 1.0], color="black", lw=1.2)
        axes.text(0.45, 1.32, "VGS = 10 V", fontsize=12, backgroundcolor="white")
        axes.text(2.25, 0.42, "VGS = 4 V", fontsize=12, backgroundcolor="white")

    read = _read(draw)
    assert len(read) == 2
    assert same_label(read[0], "VGS = 10 V") and same_label(read[1], "VGS = 4 V")


def test_a_symbol_with_its_state_is_read_however_unsure_tesseract_is_of_it() -> None:
    # Its subscript set low costs the line tesseract's confidence (0.2 on a datasheet's
    # "V_BE(sat)"), as a curve wiggle's junk reading has it; its form tells it is a label.
    read = _read(lambda axes: axes.text(0.5, 1.0, "$V_{BE(sat)}$", fontsize=12))
    assert [text.replace(" ", "") for text in read] == ["VBE(sat)"]


def test_a_capacitances_name_is_read_however_unsure_tesseract_is_of_it() -> None:
    read = _read(lambda axes: axes.text(0.5, 1.0, "$C_{rss}$", fontsize=12))
    assert read == ["Crss"]


def test_a_value_read_with_a_speck_after_it_is_a_label_of_its_own() -> None:
    # Two labels set side by side, each by its curve ("150°C 25°C"), one read with the
    # curve's leftover after it ("25°C."): each is a line.
    words = [
        Word("150°C", 10.0, 0.0, 40.0, 10.0, 10.0, source="ocr"),
        Word("25°C.", 48.0, 0.0, 84.0, 10.0, 10.0, source="ocr"),
    ]
    lines = text_lines([_unspecked(word) for word in words])
    assert [line.text for line in lines] == ["150°C", "25°C"]


def _line(text: str, read: str, confidence: float) -> TextLine:
    word = Word(read, 0.0, 0.0, 30.0, 10.0, 10.0, source="ocr", confidence=confidence)
    return TextLine((word,), text, 0.0, 0.0, 30.0, 10.0, 10.0, True)


def test_a_capacitances_name_mended_from_an_unsure_reading_is_doubted() -> None:
    # At 72 dpi "C_ISS" read "Cos" at 0.47 and was mended to "Coss", another curve's name.
    assert unsure_name(_line("Coss", "Cos", 0.47), DEFAULT_LINES) == "Cos"
    # Read whole, or read surely, the name is no doubt.
    assert unsure_name(_line("Crss", "Crss", 0.3), DEFAULT_LINES) is None
    assert unsure_name(_line("Coss", "Cos", 0.9), DEFAULT_LINES) is None
    assert unsure_name(_line("VGS = 10V", "VGS=10V", 0.3), DEFAULT_LINES) is None


def test_a_saturation_voltage_named_as_the_other_of_its_pair_is_doubted() -> None:
    # "VE(sat)" tells neither V_CE(sat) nor V_BE(sat): named as the one the graph's other line
    # is not, it is a guess however sure tesseract was of its letters.
    assert unsure_name(_line("VCE(sat)", "VE(sat)", 0.95), DEFAULT_LINES) == "VE(sat)"
    # Its subscript read, or mended from letters that tell it, it is no guess.
    assert unsure_name(_line("VCE(sat)", "VCE(sat)", 0.95), DEFAULT_LINES) is None
    assert unsure_name(_line("VCE(sat)", "Voc(at)", 0.95), DEFAULT_LINES) is None

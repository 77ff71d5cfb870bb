"""Lines of a plot's text are read whole, one per printed line, however a stray stroke joins
them, and junk is not taken for text."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from graphq.datasheet.ocr import glyph_height
from graphq.digitizer.ink import darkness
from graphq.digitizer.label_binding import same_label
from graphq.digitizer.label_ocr import DEFAULT_LINES, read_lines


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

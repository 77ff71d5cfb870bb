"""OCR of graph pages: tick labels digit for digit, exponents as raised words, turned titles,
and page words in PDF points. Pages are drawn here with matplotlib and read by the real
tesseract."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator
from PIL import Image

from graphq.datasheet.ocr import image_words, page_words
from graphq.datasheet.words import Word

matplotlib.use("Agg")

DPI = 200
# Labels as printed on each panel's x axis (a "10^n" is drawn with a raised exponent).
PRINTED = {
    "signed": ["-55", "-25", "0", "25", "75", "125"],
    "decimal": ["0.0", "0.5", "1.0", "1.5", "2.0"],
    "e_long": ["1.0E-01", "1.0E+00", "1.0E+01", "1.0E+02"],
    "powers": ["10^-1", "10^0", "10^1", "10^2"],
}


def _draw_page() -> tuple[np.ndarray, dict[str, list[tuple[str, tuple[float, ...]]]]]:
    """A page of four panels; per panel, each x tick label with its pixel box."""
    figure = Figure(figsize=(7.0, 5.0), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    axes = figure.subplots(2, 2)
    for ax, labels in zip(axes.flat, PRINTED.values(), strict=True):
        positions = list(range(len(labels)))
        ax.set_xlim(positions[0], positions[-1])
        ax.xaxis.set_major_locator(FixedLocator(positions))
        mathtext = [
            f"$10^{{{label[3:]}}}$" if label.startswith("10^") else label for label in labels
        ]
        ax.xaxis.set_major_formatter(FixedFormatter(mathtext))
        ax.tick_params(labelsize=8)
        ax.grid(True, color="#b0b0b0")
        ax.set_yticks([])
        ax.set_xlabel("Junction Temperature (°C)", fontsize=8)
        ax.set_ylabel("Drain Current (A)", fontsize=8)
    figure.tight_layout(w_pad=3.0, h_pad=2.0)
    canvas.draw()
    renderer = canvas.get_renderer()
    height = canvas.get_width_height()[1]
    boxes = {}
    for ax, name in zip(axes.flat, PRINTED, strict=True):
        boxes[name] = [
            (label, _box(text.get_window_extent(renderer), height))
            for label, text in zip(PRINTED[name], ax.get_xticklabels(), strict=True)
        ]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return np.asarray(Image.open(buffer).convert("RGB")), boxes


def _box(extent: object, height: float) -> tuple[float, ...]:
    x0, y0, x1, y1 = extent.x0, extent.y0, extent.x1, extent.y1  # type: ignore[attr-defined]
    return (x0, height - y1, x1, height - y0)


def _words_in(words: list[Word], box: tuple[float, ...], margin: float = 4.0) -> list[Word]:
    x0, top, x1, bottom = box
    inside = [
        w
        for w in words
        if w.upright
        and x0 - margin <= w.centre[0] <= x1 + margin
        and top - margin <= w.centre[1] <= bottom + margin
    ]
    return sorted(inside, key=lambda w: w.x0)


@pytest.fixture(scope="module")
def page() -> tuple[list[Word], dict[str, list[tuple[str, tuple[float, ...]]]]]:
    pixels, boxes = _draw_page()
    return image_words(pixels), boxes


@pytest.mark.parametrize("name", ["signed", "decimal", "e_long"])
def test_tick_labels_are_read_digit_for_digit(
    page: tuple[list[Word], dict[str, list[tuple[str, tuple[float, ...]]]]], name: str
) -> None:
    words, boxes = page
    read = ["".join(w.text for w in _words_in(words, box)) for _, box in boxes[name]]
    assert read == PRINTED[name]


def test_power_of_ten_comes_out_as_a_base_and_a_smaller_raised_exponent(
    page: tuple[list[Word], dict[str, list[tuple[str, tuple[float, ...]]]]],
) -> None:
    words, boxes = page
    for printed, box in boxes["powers"]:
        base, exponent = _words_in(words, box)
        assert (base.text, exponent.text) == ("10", printed[3:])
        assert exponent.size < 0.9 * base.size
        assert exponent.bottom < base.centre[1] < base.bottom
        assert 0 <= exponent.x0 - base.x1 < base.size


def test_axis_title_running_up_the_page_is_read_turned(
    page: tuple[list[Word], dict[str, list[tuple[str, tuple[float, ...]]]]],
) -> None:
    words, _ = page
    turned = [w for w in words if not w.upright]
    assert {"Drain", "Current"} <= {w.text for w in turned}
    for word in turned:
        assert word.bottom - word.top > word.x1 - word.x0


def test_ocr_words_say_where_they_came_from_and_how_sure_they_are(
    page: tuple[list[Word], dict[str, list[tuple[str, tuple[float, ...]]]]],
) -> None:
    words, _ = page
    assert words
    assert all(w.source == "ocr" and 0.0 < w.confidence <= 1.0 for w in words)


def test_page_words_are_placed_in_pdf_points() -> None:
    """A scan-like PDF: an image of labels filling a 4 × 2 inch page, no text layer."""
    figure = Figure(figsize=(4.0, 2.0), dpi=150)
    figure.text(0.25, 0.5, "125", fontsize=20, ha="center", va="center")
    figure.text(0.75, 0.5, "-40", fontsize=20, ha="center", va="center")
    pixels = io.BytesIO()
    FigureCanvasAgg(figure).print_png(pixels)
    pdf = io.BytesIO()
    Image.open(pixels).convert("RGB").save(pdf, format="PDF", resolution=150.0)

    words = {w.text: w for w in page_words(pdf.getvalue(), 1, dpi=200)}

    assert set(words) == {"125", "-40"}
    assert words["125"].centre == pytest.approx((72.0, 72.0), abs=3.0)
    assert words["-40"].centre == pytest.approx((216.0, 72.0), abs=3.0)
    # 20 pt digits stand ~14 pt tall.
    assert 10.0 < words["125"].size < 18.0


def test_blank_image_has_no_words() -> None:
    assert image_words(np.full((200, 300, 3), 255, dtype=np.uint8)) == []

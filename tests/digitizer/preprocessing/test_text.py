"""Text inside the plot is erased; dashes, dots and curves are kept."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.preprocessing.text import remove_text, text_height_px
from tests.digitizer.plots import render_plot


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (400, 200), "white")
    return image, ImageDraw.Draw(image)


def test_text_height_is_read_off_the_tick_labels() -> None:
    pixels, box = render_plot()
    height = text_height_px(darkness(pixels), box)
    # Matplotlib's 10 pt tick labels at 100 dpi: digits about 7 px tall.
    assert height is not None and 5 <= height <= 11


def test_a_cropped_plot_has_no_text_height() -> None:
    ink = np.zeros((100, 100), dtype=np.float32)
    assert text_height_px(ink, [0, 0, 99, 99]) is None


def test_letters_are_erased_and_dashes_kept() -> None:
    image, draw = _canvas()
    draw.text((40, 30), "VGS = 10 V", fill="black", font=ImageFont.load_default(size=22))
    for start in range(20, 380, 15):
        draw.line([(start, 150), (start + 9, 146)], fill="black", width=2)
    ink = darkness(np.asarray(image))
    cleaned = remove_text(ink, 0.4, line_width_px=2.0, text_px=16.0)
    text_area = (slice(25, 60), slice(35, 200))
    dashes_area = (slice(140, 156), slice(15, 390))
    assert (cleaned[text_area] > 0.4).sum() < 0.05 * (ink[text_area] > 0.4).sum()
    assert (cleaned[dashes_area] > 0.4).sum() == (ink[dashes_area] > 0.4).sum()


def _dashed_curves(
    count: int,
    *,
    first_row: float,
    apart_px: float,
    slope: float,
    period: int,
    dash: int,
    width: int,
    stagger: bool = False,
) -> np.ndarray:
    """Ink of ``count`` dashed curves ``apart_px`` apart, climbing ``slope`` rows per
    column; with ``stagger`` each curve's dashes start a column after the one above's."""
    image, draw = _canvas()
    for curve in range(count):
        for start in range(20 + (curve if stagger else 0), 370, period):
            y = first_row + apart_px * curve - slope * start
            draw.line([(start, y), (start + dash, y - slope * dash)], fill="black", width=width)
    return darkness(np.asarray(image))


def test_a_long_curve_through_the_plot_is_kept() -> None:
    image, draw = _canvas()
    draw.line([(0, 180), (399, 20)], fill="black", width=2)
    ink = darkness(np.asarray(image))
    cleaned = remove_text(ink, 0.4, line_width_px=2.0, text_px=16.0)
    np.testing.assert_array_equal(cleaned, ink)


def test_dashes_of_curves_running_close_together_are_kept() -> None:
    # Three dashed curves 3 px apart climbing across the plot: their touching dashes make
    # letter-like blobs, but each blob sits higher than the one before, not on a text line.
    ink = _dashed_curves(3, first_row=180, apart_px=3, slope=0.4, period=14, dash=9, width=2)
    cleaned = remove_text(ink, 0.4, line_width_px=2.0, text_px=8.0)
    np.testing.assert_array_equal(cleaned, ink)


def test_a_capital_beside_its_subscript_is_erased() -> None:
    image, draw = _canvas()
    draw.text((40, 30), "V", fill="black", font=ImageFont.load_default(size=22))
    draw.text((56, 42), "GS", fill="black", font=ImageFont.load_default(size=14))
    draw.text((80, 30), "= 10 V", fill="black", font=ImageFont.load_default(size=22))
    ink = darkness(np.asarray(image))
    cleaned = remove_text(ink, 0.4, line_width_px=2.0, text_px=16.0)
    text_area = (slice(25, 65), slice(35, 200))
    assert (cleaned[text_area] > 0.4).sum() < 0.05 * (ink[text_area] > 0.4).sum()


def test_dashes_of_flat_curves_running_close_together_are_kept() -> None:
    # Three thin dashed curves 2 px apart, nearly flat (thermal impedance before they
    # merge): their touching dashes make letter-like blobs side by side at one height, but
    # none is as tall as a character of the plot's 16 px digits.
    ink = _dashed_curves(
        3, first_row=100, apart_px=2, slope=0.05, period=12, dash=6, width=1, stagger=True
    )
    cleaned = remove_text(ink, 0.4, line_width_px=1.0, text_px=16.0)
    np.testing.assert_array_equal(cleaned, ink)


def test_dashes_of_many_curves_close_together_climbing_gently_are_kept() -> None:
    # Four dashed curves 3 px apart: their stacked dashes make blobs taller than a digit,
    # and along this gentle slope each overlaps the next as characters of a line do, but
    # the chain of them climbs with the curves while a text line is level.
    ink = _dashed_curves(4, first_row=180, apart_px=3, slope=0.25, period=15, dash=10, width=2)
    cleaned = remove_text(ink, 0.4, line_width_px=2.0, text_px=9.0)
    np.testing.assert_array_equal(cleaned, ink)

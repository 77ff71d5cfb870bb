"""The overlay draws the curves over the faded image and names each curve in a legend below
it, with the review's reasons when there are any."""

import io

import numpy as np
from PIL import Image

from graphq.digitizer import Axes, Axis, Curve, DigitizeResult, GraphMeta, render_overlay
from graphq.review import Review, ReviewReason

_META = GraphMeta(axes=Axes(x=Axis(0.0, 10.0), y=Axis(0.0, 10.0)))


def _overlay(review: Review) -> np.ndarray:
    image = np.full((300, 400, 3), 255, dtype=np.uint8)
    curves = [
        Curve("VGS = 10 V", 10.0, "#000000", [[0.0, 8.0], [10.0, 9.0]], 0.95),
        Curve("VGS = 5 V", 5.0, "#000000", [[0.0, 2.0], [10.0, 3.0]], 0.95),
    ]
    result = DigitizeResult([20.0, 20.0, 380.0, 280.0], curves, review=review)
    return np.asarray(Image.open(io.BytesIO(render_overlay(image, result, _META))).convert("RGB"))


def _red(pixels: np.ndarray) -> int:
    red, green, blue = (pixels[..., i].astype(int) for i in range(3))
    return int(np.count_nonzero((red > 150) & (green < 80) & (blue < 80)))


def test_the_legend_lies_below_the_image_and_hides_none_of_it() -> None:
    pixels = _overlay(Review())
    assert pixels.shape[0] > 300 and pixels.shape[1] == 400
    strip = pixels[300:]
    assert (strip < 128).any()  # label text
    assert _red(strip) == 0


def test_a_result_needing_review_says_so_in_red_in_the_legend() -> None:
    review = Review()
    review.add(ReviewReason.LABELS_BY_ORDER, "labels bound by order")
    assert _red(_overlay(review)[300:]) > 0


def test_curves_on_hand_drawn_axes_are_drawn_where_they_were_read() -> None:
    """The axes were mapped by their unevenly spaced tick labels; the overlay maps the
    curve's values back the same way, onto the curve's own ink."""
    from graphq.digitizer import digitize
    from graphq.digitizer.overlay import PALETTE
    from tests.digitizer.plots import render_uneven_plot

    pixels, _, _ = render_uneven_plot()
    meta = GraphMeta(axes=Axes(x=Axis(0.1, 100, "log"), y=Axis(0, 3)), read_labels=False)
    result = digitize(pixels, meta)
    drawn = np.asarray(Image.open(io.BytesIO(render_overlay(pixels, result, meta))).convert("RGB"))[
        : pixels.shape[0]
    ]
    colour = np.array([int(PALETTE[0][i : i + 2], 16) for i in (1, 3, 5)])
    rows, columns = np.nonzero(np.all(np.abs(drawn.astype(int) - colour) <= 40, axis=2))
    ink = pixels.min(axis=2) < 100
    near = [
        ink[max(0, r - 2) : r + 3, max(0, c - 2) : c + 3].any()
        for r, c in zip(rows, columns, strict=True)
    ]
    assert len(near) > 100 and np.mean(near) > 0.9

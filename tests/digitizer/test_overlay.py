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

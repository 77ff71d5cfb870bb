"""Bad images and bad metadata give a GraphqError with a clear code, never a crash."""

import numpy as np
import pytest

from graphq.digitizer import Axes, Axis, GraphMeta, digitize, load_image
from graphq.errors import GraphqError
from tests.digitizer.plots import render_plot
from tests.digitizer.test_image import _png_header_only

_AXES = Axes(x=Axis(0, 10), y=Axis(0, 6))


def _code(image: np.ndarray, meta: GraphMeta) -> str:
    with pytest.raises(GraphqError) as caught:
        digitize(image, meta)
    return caught.value.code


@pytest.mark.parametrize("method", ["standard", "legacy"])
def test_an_all_white_image_has_no_curves(method: str) -> None:
    white = np.full((300, 400, 3), 255, dtype=np.uint8)
    assert _code(white, GraphMeta(axes=_AXES, method=method)) == "NO_CURVES_FOUND"


def test_an_empty_frame_has_no_curves() -> None:
    image = np.full((300, 400, 3), 255, dtype=np.uint8)
    image[50, 50:351] = image[250, 50:351] = 0
    image[50:251, 50] = image[50:251, 350] = 0
    assert _code(image, GraphMeta(axes=_AXES)) == "NO_CURVES_FOUND"


@pytest.mark.parametrize(
    "pixels",
    [np.zeros((0, 0, 3), np.uint8), np.zeros((4, 400, 3), np.uint8), np.zeros((50, 50), np.uint8)],
)
def test_empty_tiny_or_flat_arrays_are_invalid_images(pixels: np.ndarray) -> None:
    assert _code(pixels, GraphMeta(axes=_AXES)) == "INVALID_IMAGE"


def test_a_header_claiming_zero_pixels_is_an_invalid_image() -> None:
    with pytest.raises(GraphqError) as caught:
        load_image(_png_header_only(0, 0))
    assert caught.value.code == "INVALID_IMAGE"


@pytest.mark.parametrize(
    "axes",
    [
        Axes(x=Axis(0, 10), y=Axis(0, 100, scale="log")),
        Axes(x=Axis(-1, 10, scale="log"), y=Axis(1, 100, scale="log")),
        Axes(x=Axis(5, 5), y=Axis(0, 6)),
        Axes(x=Axis(0, 10), y=Axis(float("inf"), 6)),
    ],
)
def test_empty_or_non_positive_log_ranges_are_invalid_parameters(axes: Axes) -> None:
    pixels, _ = render_plot()
    assert _code(pixels, GraphMeta(axes=axes)) == "INVALID_PARAMETERS"


def test_a_plot_area_outside_the_image_is_invalid_parameters() -> None:
    pixels, _ = render_plot()
    meta = GraphMeta(axes=_AXES, plot_area=[10, 10, 5000, 400])
    assert _code(pixels, meta) == "INVALID_PARAMETERS"


def test_the_llm_method_without_an_endpoint_is_not_configured() -> None:
    pixels, _ = render_plot()
    assert _code(pixels, GraphMeta(axes=_AXES, method="llm")) == "LLM_NOT_CONFIGURED"


def test_a_plain_plot_digitizes_with_both_methods() -> None:
    pixels, box = render_plot()
    standard = digitize(pixels, GraphMeta(axes=_AXES))
    legacy = digitize(pixels, GraphMeta(axes=_AXES, method="legacy"))
    assert len(standard.curves) == 5
    assert len(legacy.curves) == 1
    np.testing.assert_allclose(standard.plot_area, box, atol=1.0)

"""The legacy method: every dark (or requested-colour) pixel inside the frame counts, and each
column's mean row is one point of the one curve it returns."""

import numpy as np
import pytest

from graphq.digitizer import Axes, Axis, GraphMeta
from graphq.digitizer.axes.calibration import build_calibration
from graphq.digitizer.methods.legacy import digitize_legacy
from graphq.digitizer.types import DigitizeResult
from graphq.errors import GraphqError
from tests.digitizer.curves import BLUE, RED, paper

# A 200 × 100 image whose frame box maps x 0..10 and y 0..5: x = (column - 10) / 18 and
# y = (90 - row) / 16.
_AREA = [10.0, 10.0, 190.0, 90.0]
_COLUMNS = np.arange(12, 189)  # inside the frame, two pixels clear of its lines


def _meta(labels: list[str] | None = None, colors: list[str] | None = None) -> GraphMeta:
    axes = Axes(x=Axis(0.0, 10.0), y=Axis(0.0, 5.0))
    return GraphMeta(axes=axes, labels=labels, colors=colors)


def _digitize(image: np.ndarray, meta: GraphMeta) -> DigitizeResult:
    return digitize_legacy(image, meta, _AREA, build_calibration(meta, _AREA))


def _framed(image: np.ndarray) -> np.ndarray:
    """The image with the frame box drawn in black, one pixel wide."""
    x0, y0, x1, y1 = (int(v) for v in _AREA)
    image[y0, x0 : x1 + 1] = image[y1, x0 : x1 + 1] = 0
    image[y0 : y1 + 1, x0] = image[y0 : y1 + 1, x1] = 0
    return image


def test_a_dark_curve_gives_one_calibrated_point_per_column_and_the_frame_none() -> None:
    image = _framed(paper(200, ((np.full(200, 30.0), (0, 0, 0)),), height=100))
    result = _digitize(image, _meta())
    (curve,) = result.curves
    points = np.array(curve.points)
    np.testing.assert_allclose(points[:, 0], (_COLUMNS - 10) / 18)
    np.testing.assert_allclose(points[:, 1], (90 - 30) / 16)


def test_two_curves_in_one_column_are_averaged_into_one_point() -> None:
    drawn = ((np.full(200, 30.0), (0, 0, 0)), (np.full(200, 70.0), (0, 0, 0)))
    result = _digitize(paper(200, drawn, height=100), _meta())
    assert len(result.curves) == 1
    np.testing.assert_allclose(np.array(result.curves[0].points)[:, 1], (90 - 50) / 16)


def test_columns_without_ink_give_no_point() -> None:
    image = paper(200, ((np.full(200, 50.0), (0, 0, 0)),), height=100)
    image[:, 100:] = 255
    points = np.array(_digitize(image, _meta()).curves[0].points)
    np.testing.assert_allclose(points[:, 0], (np.arange(12, 100) - 10) / 18)


def test_pale_ink_is_not_curve_ink() -> None:
    drawn = ((np.full(200, 30.0), (0, 0, 0)), (np.full(200, 70.0), (180, 180, 180)))
    points = np.array(_digitize(paper(200, drawn, height=100), _meta()).curves[0].points)
    np.testing.assert_allclose(points[:, 1], (90 - 30) / 16)


def test_with_colours_given_only_pixels_of_those_colours_count() -> None:
    drawn = (
        (np.full(200, 30.0), RED),
        (np.full(200, 50.0), (0, 0, 0)),
        (np.full(200, 70.0), BLUE),
    )
    image = paper(200, drawn, height=100)
    red_only = _digitize(image, _meta(colors=["#c81e1e"])).curves[0]
    np.testing.assert_allclose(np.array(red_only.points)[:, 1], (90 - 30) / 16)
    assert red_only.color == "#c81e1e"
    both = _digitize(image, _meta(colors=["#c81e1e", "#1e1ec8"])).curves[0]
    np.testing.assert_allclose(np.array(both.points)[:, 1], (90 - 50) / 16)
    assert both.color == "#c81e1e"


def test_the_curve_is_named_by_the_first_label_given_or_else_curve_1() -> None:
    image = paper(200, ((np.full(200, 50.0), (0, 0, 0)),), height=100)
    assert _digitize(image, _meta(labels=["VGS = 5 V", "x"])).curves[0].label == "VGS = 5 V"
    unnamed = _digitize(image, _meta()).curves[0]
    assert (unnamed.label, unnamed.color, unnamed.value) == ("curve 1", "#000000", None)


def test_the_result_is_marked_as_the_legacy_method_at_half_confidence() -> None:
    image = paper(200, ((np.full(200, 50.0), (0, 0, 0)),), height=100)
    result = _digitize(image, _meta())
    assert result.plot_area == _AREA
    assert result.curves[0].confidence == 0.5
    assert result.warnings == ["legacy method: one averaged curve per column"]


def test_a_frame_with_nothing_inside_is_refused_as_no_curves_found() -> None:
    image = _framed(paper(200, height=100))
    image[50, :5] = 0  # ink outside the frame does not count
    with pytest.raises(GraphqError) as raised:
        _digitize(image, _meta())
    assert raised.value.code == "NO_CURVES_FOUND"

"""A curve traced through the ink between a person's clicks along it."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from graphq.digitizer.methods.seeded import trace_between_clicks
from graphq.digitizer.types import Axes, Axis, GraphMeta
from graphq.review import ReviewReason

WIDTH, HEIGHT = 300, 200
FRAME = [20.0, 20.0, 280.0, 180.0]
META = GraphMeta(axes=Axes(x=Axis(min=0, max=26), y=Axis(min=0, max=16)))


def row_of(column: float) -> float:
    """A bowed curve: far from the straight line between clicks at its ends and middle."""
    return 170 - 140 * ((column - 20) / 260) ** 2


def curve_image(gap: tuple[int, int] | None = None) -> np.ndarray:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle(tuple(FRAME), outline="black")
    draw.line([(x, row_of(x)) for x in range(30, 271)], fill="black", width=2)
    if gap is not None:
        draw.rectangle((gap[0], 21, gap[1], 179), fill="white")
    return np.asarray(image)


def test_the_trace_follows_the_ink_between_clicks_not_the_straight_line() -> None:
    clicks = [[30, row_of(30) + 2], [150, row_of(150) - 2], [270, row_of(270) + 1]]
    curve, review = trace_between_clicks(curve_image(), clicks, META, FRAME, "VGS = 5 V")
    assert curve.label == "VGS = 5 V"
    assert not review.needs_review
    assert curve.confidence > 0.9
    points = np.asarray(curve.points)
    x_pixels = 20 + points[:, 0] * 10
    expected_y = (180 - row_of(x_pixels)) / 10
    assert np.max(np.abs(points[:, 1] - expected_y)) < 0.2  # within 2 px everywhere
    assert points[0, 0] < 1.1 and points[-1, 0] > 24.9


def test_a_stretch_without_ink_is_drawn_straight_and_needs_review() -> None:
    clicks = [[30, row_of(30)], [100, row_of(100)], [200, row_of(200)], [270, row_of(270)]]
    curve, review = trace_between_clicks(curve_image(gap=(102, 198)), clicks, META, FRAME, "a")
    assert [note.code for note in review.reasons] == [ReviewReason.LOW_CONFIDENCE]
    assert "x=100 to x=200" in review.reasons[0].message
    points = np.asarray(curve.points)
    middle = points[(points[:, 0] > 11) & (points[:, 0] < 17)]
    straight = np.interp(middle[:, 0] * 10 + 20, [100, 200], [row_of(100), row_of(200)])
    assert np.allclose(middle[:, 1], (180 - straight) / 10, atol=0.05)

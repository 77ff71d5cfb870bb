"""Pointer lines run from a label's text to the curve it names; other strokes are none."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from graphq.datasheet.arrows import Leader
from graphq.digitizer.labels.pointers import carried, find_pointers

GLYPH = 12.0
TEXT = (100.0, 40.0, 160.0, 52.0)  # a label's box: x0, top, x1, bottom


def _strokes(*lines: tuple[float, float, float, float]) -> np.ndarray:
    image = Image.new("1", (300, 200), 0)
    draw = ImageDraw.Draw(image)
    for line in lines:
        draw.line(line, fill=1, width=2)
    return np.asarray(image, dtype=bool)


def test_a_slanted_line_from_a_label_is_a_pointer_with_its_tip_away_from_the_text() -> None:
    pointers = find_pointers(_strokes((98, 54, 60, 110)), [TEXT], GLYPH, 2.0)
    assert len(pointers) == 1
    assert np.hypot(*np.subtract(pointers[0].text_end, (98, 54))) < 3
    assert np.hypot(*np.subtract(pointers[0].tip, (60, 110))) < 3


def test_a_line_starting_far_from_any_label_is_no_pointer() -> None:
    assert find_pointers(_strokes((20, 150, 60, 190)), [TEXT], GLYPH, 2.0) == []


def test_a_long_level_line_beside_a_label_is_a_box_side_not_a_pointer() -> None:
    assert find_pointers(_strokes((40, 56, 280, 56)), [TEXT], GLYPH, 2.0) == []


def test_a_curved_stroke_is_no_pointer() -> None:
    xs = np.linspace(98, 20, 40)
    ys = 54 + 0.02 * (98 - xs) ** 2
    image = Image.new("1", (300, 200), 0)
    ImageDraw.Draw(image).line(list(zip(xs, ys, strict=True)), fill=1, width=2)
    assert find_pointers(np.asarray(image, dtype=bool), [TEXT], GLYPH, 2.0) == []


def test_a_pointer_cut_where_it_crosses_a_curve_is_carried_on_to_the_curve_it_points_at() -> None:
    # The pointer runs down from the label, across a first curve, and ends on a second; the
    # cleaned ink lost it at the first curve.
    image = Image.new("L", (300, 200), 0)
    draw = ImageDraw.Draw(image)
    draw.line((60, 20, 60, 190), fill=255, width=2)  # the first curve
    draw.line((72, 20, 72, 190), fill=255, width=2)  # the second
    draw.line((40, 100, 73, 100), fill=255, width=2)  # the pointer
    ink = np.asarray(image, dtype=np.float64) / 255.0
    cut = Leader(text_end=(40.0, 100.0), tip=(58.0, 100.0))

    (leader,) = carried([cut], ink, GLYPH)

    assert leader.text_end == cut.text_end
    assert 72.0 <= leader.tip[0] <= 74.0 and abs(leader.tip[1] - 100.0) < 1.0


def test_a_pointer_ending_on_its_curve_keeps_its_tip_there() -> None:
    image = Image.new("L", (300, 200), 0)
    draw = ImageDraw.Draw(image)
    draw.line((60, 20, 60, 190), fill=255, width=2)
    draw.line((40, 100, 60, 100), fill=255, width=2)
    ink = np.asarray(image, dtype=np.float64) / 255.0

    (leader,) = carried([Leader(text_end=(40.0, 100.0), tip=(58.0, 100.0))], ink, GLYPH)

    assert 58.0 <= leader.tip[0] <= 62.0


def test_a_pointer_cut_into_short_pieces_by_erased_grid_lines_is_one_pointer() -> None:
    # A slanted pointer from the label's corner, its stretches where level grid lines
    # crossed it erased: each piece left is shorter than a pointer.
    ink = _strokes((98, 54, 60, 110)).copy()
    for row in (62, 63, 74, 75, 86, 87, 98, 99):
        ink[row, :] = False

    pointers = find_pointers(ink, [TEXT], GLYPH, 2.0)

    assert pointers
    assert all(np.hypot(*np.subtract(p.tip, (60, 110))) < 4 for p in pointers)


def test_a_short_stroke_by_a_label_with_nothing_in_line_is_no_pointer() -> None:
    assert find_pointers(_strokes((98, 54, 92, 62)), [TEXT], GLYPH, 2.0) == []

"""Labels stacked in a column just past the curves' ends are bound in the order both stand."""

from __future__ import annotations

import numpy as np

from graphq.datasheet.textlines import TextLine
from graphq.digitizer.label_columns import bind_end_column


def _line(text: str, top: float, x0: float = 185.0) -> TextLine:
    return TextLine((), text, x0, top, x0 + 45.0, top + 9.0, 9.0, True)


def _steep(end_y: float) -> np.ndarray:
    """A steep curve rising to its end at x = 179 (y down)."""
    x = np.linspace(60.0, 179.0, 50)
    return np.column_stack((x, end_y + 1.2 * (179.0 - x)))


COLUMN = [_line("VDS = 40 V", 7.0), _line("VDS = 100 V", 17.0), _line("VDS = 160 V", 27.0)]


def test_steep_curves_ending_before_a_column_take_its_labels_top_to_bottom() -> None:
    curves = [_steep(22.0), _steep(7.5), _steep(14.5)]
    labels, kinds = ["", "", ""], ["", "", ""]

    bind_end_column(COLUMN, curves, labels, kinds)

    assert labels == ["VDS = 160 V", "VDS = 40 V", "VDS = 100 V"]
    assert kinds == ["end"] * 3


def test_a_column_holding_more_labels_than_curves_end_there_binds_nothing() -> None:
    curves = [_steep(7.5), _steep(14.5)]
    labels, kinds = ["", ""], ["", ""]

    bind_end_column(COLUMN, curves, labels, kinds)

    assert labels == ["", ""]


def test_a_curve_bound_by_a_pointer_keeps_its_label() -> None:
    curves = [_steep(7.5), _steep(14.5), _steep(22.0)]
    labels, kinds = ["VDS = 100 V", "", ""], ["leader", "", ""]

    bind_end_column(COLUMN, curves, labels, kinds)

    assert labels == ["VDS = 100 V", "", ""]


def test_curves_ending_far_left_of_the_column_are_not_its_curves() -> None:
    curves = [_steep(7.5)[:20], _steep(14.5)[:20], _steep(22.0)[:20]]
    labels, kinds = ["", "", ""], ["", "", ""]

    bind_end_column(COLUMN, curves, labels, kinds)

    assert labels == ["", "", ""]

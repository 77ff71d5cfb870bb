"""Labels stacked in a column just past the curves' ends are bound in the order both stand."""

from __future__ import annotations

import numpy as np

from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.columns import (
    bind_end_column,
    drop_column_headers,
    drop_condition_blocks,
)


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


def test_traces_run_into_their_column_are_placed_where_they_stand_before_it() -> None:
    # Two traces took the first glyphs of the labels for their ink and end level with one
    # another inside the column; before it they stand in their labels' order.
    x = np.linspace(60.0, 190.0, 60)
    inside = x > 183.0
    highest = np.column_stack((x, np.where(inside, 12.0, 8.0)))
    middle = np.column_stack((x, np.where(inside, 21.0, 18.0)))
    lowest = np.column_stack((x, np.where(inside, 21.0, 28.0)))
    labels, kinds = ["", "VDS = 40 V", ""], ["", "inline", ""]

    bind_end_column(COLUMN, [lowest, highest, middle], labels, kinds)

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


def test_a_name_heading_a_column_of_values_names_no_curve_by_itself() -> None:
    # "V_GS" is what is left of "VGS = 1.0 V" cut off at the crop; the values under it are
    # their curves' labels.
    lines = [_line("Vos", 7.0), _line("0.5", 17.0), _line("0V", 27.0)]
    labels, kinds = ["Vos", "0.5", "0V"], ["end", "end", "end"]

    drop_column_headers(lines, labels, kinds)

    assert labels == ["", "0.5", "0V"]
    assert kinds == ["", "end", "end"]


def test_a_name_over_no_value_keeps_its_curve() -> None:
    lines = [_line("Ciss", 7.0), _line("Coss", 17.0)]
    labels, kinds = ["Ciss", "Coss"], ["end", "end"]

    drop_column_headers(lines, labels, kinds)

    assert labels == ["Ciss", "Coss"]


def test_a_condition_stacked_with_another_condition_names_no_curve() -> None:
    # "f = 1MHz" over "VGS = -10V" in a capacitance graph's corner: the graph's conditions,
    # though the second stands near the Ciss curve.
    lines = [_line("f = 1MHz", 7.0), _line("VGS = -10V", 17.0)]
    labels, kinds = ["VGS = -10V", ""], ["inline", ""]

    drop_condition_blocks(lines, labels, kinds)

    assert labels == ["", ""]


def test_a_familys_labels_stacked_in_a_column_stay_bound() -> None:
    labels, kinds = ["VDS = 40 V", ""], ["inline", ""]

    drop_condition_blocks(COLUMN, labels, kinds)

    assert labels == ["VDS = 40 V", ""]

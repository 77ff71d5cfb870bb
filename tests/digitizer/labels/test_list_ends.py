"""A "Top: … Bottom: …" list the curves do not match is bound at its ends only, and only
where the top and the bottom curve are plain; the review says the labels came by order."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from graphq.datasheet.textlines import TextLine
from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.labels.binding import same_label
from graphq.digitizer.labels.list_ends import (
    LIST_END,
    LIST_ORDER,
    bind_list_ends,
    bind_whole_list,
)
from graphq.digitizer.types import Axes, Axis
from graphq.review import ReviewReason


def _line(text: str, top: float, x0: float = 40.0) -> TextLine:
    return TextLine((), text, x0, top, x0 + 30.0, top + 8.0, 8.0, True)


# "Top : 8 V" over "6 V" over "Bottom : 4 V", the values in a column of their own.
LIST = [
    _line("Top :", 10.0, 10.0),
    _line("8 V", 10.0),
    _line("6 V", 20.0),
    _line("Bottom :", 30.0, 10.0),
    _line("4 V", 30.0),
]
X = np.linspace(0.0, 200.0, 101)


def _level(y: float) -> np.ndarray:
    """A curve rising from the bottom (y down, 150) to settle at ``y``."""
    return np.column_stack((X, y + (150.0 - y) * np.exp(-X / 30.0)))


def test_an_unmatched_lists_first_and_last_entries_name_the_top_and_bottom_curves() -> None:
    # A grid line traced across the family makes four curves for three entries.
    grid = np.column_stack((X, np.full(X.shape, 100.0)))
    curves = [_level(110.0), grid, _level(40.0), _level(75.0)]
    labels, kinds = [""] * 4, [""] * 4

    bind_list_ends(LIST, curves, labels, kinds)

    assert labels == ["4 V", "", "8 V", ""]
    assert kinds == [LIST_END, "", LIST_END, ""]


def test_no_end_is_bound_where_the_top_curve_changes_along_the_plot() -> None:
    # The top two curves cross in the plot's right half: which is the top one is unsure.
    crossing = np.column_stack((X, 40.0 + 0.2 * (X - 100.0)))
    curves = [_level(110.0), crossing, _level(45.0), _level(75.0)]
    labels, kinds = [""] * 4, [""] * 4

    bind_list_ends(LIST, curves, labels, kinds)

    assert labels == [""] * 4


def test_a_list_bound_whole_and_labels_already_read_stay() -> None:
    curves = [_level(110.0), _level(40.0), _level(75.0), _level(130.0)]
    labels, kinds = ["", "VGS = 8 V", "", ""], ["", "list", "", ""]
    bind_list_ends(LIST, curves, labels, kinds)
    assert labels == ["", "VGS = 8 V", "", ""]

    labels, kinds = ["", "9 V", "", ""], ["", "end", "", ""]
    bind_list_ends(LIST, curves, labels, kinds)
    assert labels == ["", "9 V", "", "4 V"]


def test_an_entry_that_is_already_another_curves_label_is_not_bound_again() -> None:
    # The top curve is unlabelled, but "8 V" was read beside another curve.
    curves = [_level(110.0), _level(40.0), _level(75.0), _level(130.0)]
    labels, kinds = ["", "", "VGS = 8 V", ""], ["", "", "end", ""]
    bind_list_ends(LIST, curves, labels, kinds)
    assert labels == ["", "", "VGS = 8 V", "4 V"]


def test_a_list_naming_every_curve_but_a_line_crossing_them_is_bound_whole_by_order() -> None:
    stray = np.column_stack((X, 150.0 - 0.6 * X))
    curves = [_level(110.0), stray, _level(40.0), _level(75.0)]
    labels, kinds = [""] * 4, [""] * 4

    bind_whole_list(LIST, curves, labels, kinds)

    assert labels == ["4 V", "", "8 V", "6 V"]
    assert kinds == [LIST_ORDER, "", LIST_ORDER, LIST_ORDER]


def test_curves_swapping_where_they_bunch_keep_the_order_they_hold_along_the_span() -> None:
    # The top two traces swap by a point and a half over the first tenth, where they bunch.
    swapped = _level(40.0)
    swapped[X < 20.0, 1] = _level(48.0)[X < 20.0, 1] + 1.5
    curves = [_level(110.0), swapped, _level(48.0)]
    labels, kinds = [""] * 3, [""] * 3

    bind_whole_list(LIST, curves, labels, kinds)

    assert labels == ["4 V", "8 V", "6 V"]


def test_no_list_is_bound_whole_where_two_curves_cross_along_the_span() -> None:
    crossing = np.column_stack((X, 40.0 + 0.5 * X))
    curves = [_level(110.0), crossing, _level(75.0)]
    labels, kinds = [""] * 3, [""] * 3

    bind_whole_list(LIST, curves, labels, kinds)

    assert labels == [""] * 3


def test_a_label_a_leader_ties_stays_when_a_list_is_bound_whole() -> None:
    curves = [_level(110.0), _level(40.0), _level(75.0)]
    labels, kinds = ["", "", "VGS = 6 V"], ["", "", "leader"]

    bind_whole_list(LIST, curves, labels, kinds)

    assert labels == ["4 V", "8 V", "VGS = 6 V"]


def test_no_list_is_bound_whole_where_a_leader_names_another_entry_than_the_order() -> None:
    # The middle curve's leader says 8 V, the list's order names it 6 V: one is wrong, and
    # the graph's own tie is not to be outvoted by an order.
    curves = [_level(110.0), _level(40.0), _level(75.0)]
    labels, kinds = ["", "", "VGS = 8 V"], ["", "", "leader"]

    bind_whole_list(LIST, curves, labels, kinds)

    assert labels == ["", "", "VGS = 8 V"]
    assert kinds == ["", "", "leader"]


def test_a_label_read_inline_stays_as_read_when_a_list_is_bound_whole() -> None:
    curves = [_level(110.0), _level(40.0), _level(75.0)]
    labels, kinds = ["4 V", "", ""], ["inline", "", ""]

    bind_whole_list(LIST, curves, labels, kinds)

    assert labels == ["4 V", "8 V", "6 V"]
    assert kinds == ["inline", LIST_ORDER, LIST_ORDER]


def test_a_label_bound_by_the_list_ends_gives_way_to_the_whole_list() -> None:
    curves = [_level(110.0), _level(40.0), _level(75.0)]
    labels, kinds = ["", "", "4 V"], ["", "", LIST_END]

    bind_whole_list(LIST, curves, labels, kinds)

    assert labels == ["4 V", "8 V", "6 V"]


def test_a_plot_with_a_stray_line_and_a_list_gets_its_ends_named_by_order() -> None:
    x = np.linspace(0, 10, 300)
    figure = plt.figure(figsize=(6, 4.5), dpi=120)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.8))
    for level in (2.0, 3.5, 5.0):
        axes.plot(x, level * (1 - np.exp(-x / 1.5)), color="black", lw=1.2)
    axes.plot([0, 10], [1.0, 4.6], color="black", lw=1.2)  # a stray line crossing them
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 6)
    axes.set_xticks(range(0, 11, 2))
    axes.text(0.4, 5.6, "VGS\nTop: 8 V\n6 V\nBottom: 4 V", fontsize=9, va="top", linespacing=1.1)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    meta = GraphMeta(
        axes=Axes(x=Axis(min=0, max=10), y=Axis(min=0, max=6)), graph_type="output", labels=None
    )

    result = digitize(pixels, meta)

    ends = {round(float(c.points[-1][1]), 1): c.label for c in result.curves}
    top, bottom = ends[max(ends)], ends[min(ends)]
    assert same_label(top, "VGS = 8 V") and same_label(bottom, "VGS = 4 V")
    assert ReviewReason.LABELS_BY_ORDER in {n.code for n in result.review.reasons}

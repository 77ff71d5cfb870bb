"""Curve labels are read from the image (real tesseract): beside curve ends, in a legend by
colour, and from a "Top: … Bottom: …" list; given labels in the wrong order lose to them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from graphq.datasheet.labels import CERTAINTY
from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.labels import reading
from graphq.digitizer.labels.binding import CurveLabels, LabelSource, same_label
from graphq.digitizer.labels.elimination import ELIMINATED
from graphq.digitizer.labels.list_ends import LIST_ORDER
from graphq.digitizer.labels.reading import (
    DEFAULT_READING,
    PlotText,
    label_curves,
    plot_glyphs,
    twins,
)
from graphq.digitizer.types import Axes, Axis
from graphq.review import ReviewReason

LEVELS = (2.0, 3.5, 5.0)
X = np.linspace(0, 10, 300)


def _family() -> list[np.ndarray]:
    """Three output-like curves, well apart, highest last."""
    return [level * (1 - np.exp(-X / 1.5)) for level in LEVELS]


def _render(draw: object, colours: tuple[str, ...] = ("black",) * 3) -> np.ndarray:
    figure = plt.figure(figsize=(6, 4.5), dpi=120)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.8))
    lines = [
        axes.plot(X, y, color=colour, lw=1.2)[0]
        for y, colour in zip(_family(), colours, strict=True)
    ]
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 6)
    axes.set_xticks(range(0, 11, 2))
    draw(axes, lines)  # type: ignore[operator]
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    return pixels


def _meta(labels: list[str] | None = None) -> GraphMeta:
    return GraphMeta(
        axes=Axes(x=Axis(min=0, max=10), y=Axis(min=0, max=6)), graph_type="output", labels=labels
    )


def _by_level(result: object) -> dict[float, str]:
    """Each traced curve's label, keyed by the level it settles at (its last point's y)."""
    named = {}
    for curve in result.curves:  # type: ignore[attr-defined]
        level = min(LEVELS, key=lambda v: abs(v - curve.points[-1][1]))
        named[level] = curve.label
    return named


def _reads(found: dict[float, str], expected: dict[float, str]) -> bool:
    """Whether every curve carries its label as OCR may space it ("VGS = 5V")."""
    return found.keys() == expected.keys() and all(
        same_label(found[level], text) for level, text in expected.items()
    )


def _end_labels(axes: plt.Axes, lines: object) -> None:
    for level in LEVELS:
        axes.text(8.2, level * (1 - np.exp(-8.2 / 1.5)) + 0.25, f"VGS = {level:g} V", fontsize=9)


def test_labels_beside_curve_ends_are_read_with_no_labels_given() -> None:
    result = digitize(_render(_end_labels), _meta())
    assert _reads(_by_level(result), {2.0: "VGS = 2 V", 3.5: "VGS = 3.5 V", 5.0: "VGS = 5 V"})
    assert {c.value for c in result.curves} == set(LEVELS)
    codes = {note.code for note in result.review.reasons}
    assert ReviewReason.LABELS_BY_ORDER not in codes
    assert ReviewReason.LABEL_UNREAD not in codes


def test_read_labels_win_over_given_labels_in_the_wrong_order() -> None:
    given = ["VGS = 2 V", "VGS = 5 V", "VGS = 3.5 V"]  # not highest first
    result = digitize(_render(_end_labels), _meta(given))
    assert _by_level(result) == {2.0: "VGS = 2 V", 3.5: "VGS = 3.5 V", 5.0: "VGS = 5 V"}
    assert ReviewReason.LABELS_BY_ORDER not in {n.code for n in result.review.reasons}


def _legend(axes: plt.Axes, lines: list[object]) -> None:
    axes.legend(lines, ["Ciss", "Coss", "Crss"], loc="upper left", fontsize=9)


def test_legend_entries_are_bound_by_their_samples_colour() -> None:
    # The legend lists the lowest curve first: only colour ties each entry to its curve.
    result = digitize(_render(_legend, ("#d62728", "#1f77b4", "#2ca02c")), _meta())
    assert _by_level(result) == {2.0: "Ciss", 3.5: "Coss", 5.0: "Crss"}


def _top_bottom(axes: plt.Axes, lines: object) -> None:
    axes.text(0.4, 5.6, "VGS\nTop: 8 V\n6 V\nBottom: 4 V", fontsize=9, va="top", linespacing=1.1)


def test_a_top_bottom_list_names_the_curves_from_the_highest() -> None:
    result = digitize(_render(_top_bottom), _meta())
    assert _reads(_by_level(result), {5.0: "VGS = 8 V", 3.5: "VGS = 6 V", 2.0: "VGS = 4 V"})


def test_without_text_labels_are_unread_and_said_to_be() -> None:
    result = digitize(_render(lambda axes, lines: None), _meta())
    assert sorted(c.label for c in result.curves) == ["curve 1", "curve 2", "curve 3"]
    assert ReviewReason.LABEL_UNREAD in {n.code for n in result.review.reasons}


def _pointed_labels(axes: plt.Axes, lines: object) -> None:
    """Labels in the open space below the curves, each with a line to its curve."""
    for k, level in enumerate(LEVELS):
        x = 3.0 + 2.2 * k
        axes.annotate(
            f"ID = {level:g} A",
            xy=(x, level * (1 - np.exp(-x / 1.5))),
            xytext=(x + 0.6, 0.5 + 0.45 * k),
            fontsize=9,
            arrowprops={"arrowstyle": "-", "lw": 0.8, "shrinkA": 2, "shrinkB": 0},
        )


def test_a_label_pointing_at_its_curve_names_it() -> None:
    result = digitize(_render(_pointed_labels), _meta())
    assert _reads(_by_level(result), {2.0: "ID = 2 A", 3.5: "ID = 3.5 A", 5.0: "ID = 5 A"})


def test_a_curve_traced_twice_over_binds_as_one_curve() -> None:
    x = np.arange(0.0, 200.0)
    curve = np.column_stack((x, 100 - 0.3 * x))
    traced_again = np.column_stack((x[20:], 100 - 0.3 * x[20:] + 3.0))
    other = np.column_stack((x, 150 - 0.2 * x))
    assert twins([curve, other, traced_again], 5.0, 0.5, 0.9) == [0, 1, 0]


def test_a_curve_traced_again_that_strays_up_a_pointer_is_still_its_twin() -> None:
    # The second trace leaves the curve for its pointer over the last eighth of its columns.
    x = np.arange(0.0, 200.0)
    curve = np.column_stack((x, 100 - 0.3 * x))
    strayed = np.column_stack((x, np.where(x < 175, 100 - 0.3 * x, 100 - 0.3 * x - 4 * (x - 175))))
    other = np.column_stack((x, 150 - 0.2 * x))
    settings = DEFAULT_READING
    found = twins([curve, other, strayed], 5.0, settings.twin_overlap, settings.twin_along)
    assert found == [0, 1, 0]


def test_curves_sharing_only_a_stretch_are_no_twins() -> None:
    # A safe operating area's regions run along one limit, then part.
    x = np.arange(0.0, 200.0)
    limit = 150 - 0.5 * x
    first = np.column_stack((x, np.where(x < 60, limit, limit[60])))
    second = np.column_stack((x, np.where(x < 90, limit, limit[90])))
    assert twins([first, second], 5.0, 0.5, 0.9) == [0, 1]


def _patch_plot(inked_from: str) -> tuple[PlotText, np.ndarray, np.ndarray]:
    """A 60 x 120 px plot crossed by a grid row, with three 7 px "H" glyphs standing apart
    in a patch beside it; the curve ink ``inked`` keeps the glyphs ("all"), or lost them to
    the grid's erasure ("none"). Returns the plot's text and the glyphs' and grid's masks."""
    ink = np.zeros((60, 120))
    glyphs = np.zeros(ink.shape, bool)
    for left in (40, 47, 54):
        glyphs[20:27, left] = glyphs[20:27, left + 4] = glyphs[23, left : left + 5] = True
    grid = np.zeros(ink.shape, bool)
    grid[40, :] = True
    ink[glyphs | grid] = 0.9
    crop = glyphs[:, :100]
    inked = crop.copy() if inked_from == "all" else np.zeros(crop.shape, bool)
    text = PlotText(ink, ink, (0, 0, 100, 60), (0.0, 0.0, 99.0, 59.0), inked, [], 7.0, 1.0)
    return text, glyphs, grid


def _loose(text: PlotText) -> np.ndarray:
    """The ink no curve took, where the labels are read (no curves traced)."""
    found = plot_glyphs(text, [])
    assert found is not None
    return found.loose


def test_glyphs_grid_erasure_took_are_read_from_the_image_ink() -> None:
    text, glyphs, grid = _patch_plot("none")
    loose = _loose(text)
    assert loose[glyphs].all()
    assert not loose[:, :100][grid[:, :100]].any()


def test_glyphs_the_curve_ink_kept_are_taken_from_it_alone() -> None:
    text, glyphs, _ = _patch_plot("all")
    # A speck beside the glyphs, in the image's ink but not the curve ink's, stays out.
    text.ink[27, 44] = 0.9
    loose = _loose(text)
    assert loose[glyphs].all()
    assert not loose[27, 44]


def _temperatures_and_condition(axes: plt.Axes, lines: object) -> None:
    for level, text in zip(LEVELS, ("-25°C", "25°C", "TJ = 100°C"), strict=True):
        axes.text(8.2, level * (1 - np.exp(-8.2 / 1.5)) + 0.25, text, fontsize=9)
    axes.text(0.8, 0.45, "VCE = 20 V", fontsize=9)


def test_a_condition_in_another_unit_than_the_labels_names_no_curve() -> None:
    result = digitize(_render(_temperatures_and_condition), _meta())

    found = _by_level(result)
    assert not any(same_label(label, "VCE = 20 V") for label in found.values())
    assert _reads(found, {2.0: "-25°C", 3.5: "25°C", 5.0: "TJ = 100°C"})


CLOSE_LEVELS = (2.0, 2.3, 2.6)


def _close_family_with_a_lost_point() -> np.ndarray:
    """Three curves ending close together, their labels stacked in a column past the frame,
    the middle one printed without its decimal point ("23V" for 2.3 V)."""
    figure = plt.figure(figsize=(6, 4.5), dpi=120)
    axes = figure.add_axes((0.1, 0.12, 0.72, 0.8))
    for level in CLOSE_LEVELS:
        axes.plot(X, level * (1 - np.exp(-X / 1.5)), color="black", lw=1.2)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 6)
    for level, text in zip(CLOSE_LEVELS, ("2.0V", "23V", "VGS = 2.6V"), strict=True):
        axes.text(10.2, level, text, fontsize=9, va="center")
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    return pixels


def test_a_value_taken_from_its_columns_order_is_said_in_the_review() -> None:
    meta = GraphMeta(axes=Axes(x=Axis(min=0, max=10), y=Axis(min=0, max=6)), graph_type="output")
    result = digitize(_close_family_with_a_lost_point(), meta)
    labels = sorted(curve.label for curve in result.curves)
    assert any(same_label(label, "2.3V") for label in labels), labels
    said = [n.message for n in result.review.reasons if n.code == ReviewReason.LOW_CONFIDENCE]
    assert any("'23V' was taken as '2.3V'" in message for message in said), said


def _flat_pair_and_between(axes: plt.Axes, lines: object) -> None:
    """Curves settling at 1.5, 3.5 and 4.1, the top and the bottom one labelled at their end
    and "25°C" set between the top two, as near one as the other."""
    for line, level in zip(lines, (1.5, 3.5, 4.1), strict=True):  # type: ignore[call-overload]
        line.set_ydata(level * (1 - np.exp(-X / 1.5)))
    axes.text(8.4, 4.25, "150°C", fontsize=9)
    axes.text(8.4, 1.65, "-55°C", fontsize=9)
    axes.text(5.0, 3.8 * (1 - np.exp(-5.0 / 1.5)), "25°C", fontsize=9, va="center")


def _stray_and_list(axes: plt.Axes, lines: object) -> None:
    # A stray line crossing the family mid-plot: the three curves keep one order without it.
    axes.plot([0, 10], [4.4, 0.0], color="black", lw=1.2)
    _top_bottom(axes, lines)


def _bound(pixels: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> tuple[object, CurveLabels]:
    """The result, and the labels as bound (with where each came from)."""
    named: list[CurveLabels] = []

    def kept(*args: object) -> CurveLabels:
        named.append(label_curves(*args))  # type: ignore[arg-type]
        return named[-1]

    monkeypatch.setattr(reading, "label_curves", kept)
    return digitize(pixels, _meta()), named[0]


@pytest.mark.parametrize("in_table", [False, True])
def test_a_label_bound_by_elimination_is_bound_by_order_and_said_to_be(
    monkeypatch: pytest.MonkeyPatch, in_table: bool
) -> None:
    # However sure the datasheet binder's table would take the kind, it is an order's.
    if in_table:
        monkeypatch.setitem(CERTAINTY, ELIMINATED, 0.95)
    result, named = _bound(_render(_flat_pair_and_between), monkeypatch)

    between = named.labels.index("25°C")
    assert named.sources[between] == LabelSource.ORDER
    assert ReviewReason.LABELS_BY_ORDER in {n.code for n in result.review.reasons}  # type: ignore[attr-defined]


@pytest.mark.parametrize("in_table", [False, True])
def test_a_list_bound_whole_by_order_is_said_to_be(
    monkeypatch: pytest.MonkeyPatch, in_table: bool
) -> None:
    if in_table:
        monkeypatch.setitem(CERTAINTY, LIST_ORDER, 0.95)
    result, named = _bound(_render(_stray_and_list), monkeypatch)

    # The middle entry, bound only by the list's order, and both ends; the stray unread.
    assert any(same_label(label, "VGS = 6 V") for label in named.labels)
    assert sorted(named.sources) == [LabelSource.ORDER] * 3 + [LabelSource.UNREAD]
    assert ReviewReason.LABELS_BY_ORDER in {n.code for n in result.review.reasons}  # type: ignore[attr-defined]

"""Confidence follows the tracking evidence, a curve is confident only when its label is known
to be its own, a result's doubts cap it, and a curve under the threshold marks the result for
review."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.confidence import (
    CONFIDENCE,
    curve_confidence,
    curve_confidences,
    is_label_form,
    result_confidence,
    unbound_labels,
    with_doubts,
)
from graphq.digitizer.labels.binding import CurveLabels, LabelSource, bind_curve_labels
from graphq.digitizer.tracking.tracks import TracedCurve
from graphq.digitizer.types import Axes, Axis, Curve, DigitizeResult
from graphq.review import Review, ReviewReason
from tests.digitizer.curves import traced_curve
from tests.digitizer.plots import render_plot

# The axes of the drawn plots below (render_plot's, and _labelled_plot's).
PLOT_META = GraphMeta(axes=Axes(x=Axis(min=0, max=10), y=Axis(min=0, max=6)), graph_type="output")

READ = LabelSource.READ


def _curve(columns: np.ndarray, row: float = 50.0) -> TracedCurve:
    return traced_curve(columns, np.full(columns.size, row))


def _whole_curves(count: int) -> list[TracedCurve]:
    """Curves seen alone across a 400-column plot, one above the other."""
    return [_curve(np.arange(400), 20.0 * (k + 1)) for k in range(count)]


def _confidences(
    labels: list[str], sources: list[LabelSource], *, given: bool = False
) -> tuple[list[float], Review]:
    named = CurveLabels(labels, [None] * len(labels), Review(), sources)
    return curve_confidences(_whole_curves(len(labels)), named, given=given)


def test_a_curve_seen_alone_across_the_plot_is_confident() -> None:
    whole = _curve(np.arange(400))
    assert curve_confidence(whole, 400) >= CONFIDENCE.review_below


def test_a_curve_seen_in_one_column_of_three_over_a_tenth_of_the_plot_is_not() -> None:
    sparse = _curve(np.arange(0, 40, 3))
    assert curve_confidence(sparse, 400) < curve_confidence(_curve(np.arange(40)), 400)
    assert curve_confidence(sparse, 400) < CONFIDENCE.review_below


def test_curves_whose_labels_were_all_read_in_a_labels_form_are_confident() -> None:
    confidences, doubts = _confidences(["VGS = 10 V", "VGS = 5 V"], [READ, READ])
    assert min(confidences) >= CONFIDENCE.review_below
    assert not doubts.needs_review


def test_a_curve_labelled_by_order_is_never_confident() -> None:
    curves = _whole_curves(2)
    # Nothing read from the graph: the given labels go to the curves highest first.
    named = bind_curve_labels(["", ""], [0.0, 0.0], ["VGS = 10 V", "VGS = 5 V"], [0, 1])
    assert named.sources == [LabelSource.ORDER, LabelSource.ORDER]
    confidences, _ = curve_confidences(curves, named, given=True)
    assert max(confidences) < CONFIDENCE.review_below


def test_a_curve_whose_label_is_unread_is_never_confident_nor_are_the_others() -> None:
    named = bind_curve_labels(["VGS = 10 V", ""], [0.95, 0.0], [], [0, 1])
    assert named.sources == [READ, LabelSource.UNREAD]
    confidences, _ = curve_confidences(_whole_curves(2), named, given=False)
    assert confidences[1] < confidences[0] < CONFIDENCE.review_below


def test_a_lone_curve_given_its_one_label_is_confident_but_not_a_lone_unread_one() -> None:
    sole = bind_curve_labels([""], [0.0], ["ID = 10 A"], [0])
    assert curve_confidences(_whole_curves(1), sole, given=True)[0][0] >= CONFIDENCE.review_below
    unread = bind_curve_labels([""], [0.0], [], [0])
    confidences, doubts = curve_confidences(_whole_curves(1), unread, given=False)
    assert confidences[0] == CONFIDENCE.lone_unread_cap < CONFIDENCE.review_below
    assert [note.code for note in doubts.reasons] == [ReviewReason.LABEL_UNREAD]


def test_a_label_in_no_labels_form_is_a_misreading_that_doubts_the_whole_graph() -> None:
    confidences, doubts = _confidences(["C55", "Coss"], [READ, READ])
    assert confidences[0] < confidences[1] < CONFIDENCE.review_below
    assert "'C55'" in doubts.reasons[0].message


def test_the_users_spelling_of_a_label_bound_by_reading_is_not_judged_by_its_form() -> None:
    confidences, _ = _confidences(["RDS(on) @ 120 mA", "VGS(off)"], [READ, READ], given=True)
    assert min(confidences) >= CONFIDENCE.review_below


def test_labels_naming_different_kinds_of_thing_are_doubted() -> None:
    confidences, doubts = _confidences(["TO-220", "1.6W"], [READ, READ])
    assert max(confidences) < CONFIDENCE.review_below
    assert [note.code for note in doubts.reasons] == [ReviewReason.LOW_CONFIDENCE]
    same_kind, _ = _confidences(["T = -55°C", "25°C", "Tj = 125°C"], [READ] * 3)
    assert min(same_kind) >= CONFIDENCE.review_below


def test_a_capacitance_beside_a_name_of_no_capacitance_is_doubted() -> None:
    # "Yop" is in a name's form, but a capacitance graph's labels all name capacitances.
    confidences, _ = _confidences(["Cib", "Yop"], [READ, READ])
    assert max(confidences) < CONFIDENCE.review_below
    capacitances, _ = _confidences(["Ciss", "Coss", "Crss"], [READ] * 3)
    assert min(capacitances) >= CONFIDENCE.review_below


def test_a_reverse_transfer_capacitance_traced_over_the_input_one_is_doubted() -> None:
    def confidences(crss_row: float) -> tuple[list[float], Review]:
        curves = [_curve(np.arange(400), 100.0), _curve(np.arange(400), crss_row)]
        named = CurveLabels(["Ciss", "Crss"], [None, None], Review(), [READ, READ])
        return curve_confidences(curves, named, given=False)

    swapped, doubts = confidences(60.0)  # rows grow downwards: C_rss drawn over C_iss
    assert max(swapped) < CONFIDENCE.review_below
    assert "reverse transfer" in doubts.reasons[0].message
    apart, doubts = confidences(160.0)
    assert min(apart) >= CONFIDENCE.review_below and not doubts.reasons


def test_a_package_whose_name_holds_digits_and_letters_states_no_unit() -> None:
    # "TO-243AA" holds "243A", which is no current: the packages are all one kind.
    packages, doubts = _confidences(["TO-243AA", "TO-220", "TO-92"], [READ] * 3)
    assert min(packages) >= CONFIDENCE.review_below
    assert not doubts.reasons


def test_two_curves_carrying_one_label_are_doubted() -> None:
    confidences, doubts = _confidences(["VGS = 10 V", "10V"], [READ, READ])
    assert max(confidences) < CONFIDENCE.review_below
    assert "two curves carry" in doubts.reasons[0].message


def test_a_caller_binding_labels_itself_gets_the_tracking_confidence() -> None:
    curves = _whole_curves(2)
    named = bind_curve_labels(["", ""], [0.0, 0.0], [], [0, 1])
    confidences, doubts = curve_confidences(curves, named, given=False, vouch_for_labels=False)
    assert confidences == [curve_confidence(curve, 400) for curve in curves]
    assert not doubts.needs_review


def test_label_forms_are_whole_values_names_and_packages_and_misreadings_are_not() -> None:
    for label in (
        "VGS = 10 V",
        "Tj = 125°C",
        "D = 0.5",
        "6.5V",
        "-55 °C",
        "ID = 250 µA",
        "Ciss",
        "CISS",
        "Single pulse",
        "TO-220",
    ):
        assert is_label_form(label), label
    for misread in (
        "C55",
        "20Cee",
        "V = 2CV",
        "\\Coss",
        "Vos 20V",
        "lave",
        "1. = Z29°U",
        "Ves = 00V",
        "Vi5 = 20V",
        "T2 = 125°C",
    ):
        assert not is_label_form(misread), misread


def _labelled_plot(labels: tuple[str, str]) -> np.ndarray:
    """Two output-like curves, well apart, each with its label printed above its end."""
    figure = plt.figure(figsize=(6.0, 4.5), dpi=100)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.8))
    x = np.linspace(0, 10, 300)
    for level, label in zip((2.0, 4.5), labels, strict=True):
        axes.plot(x, level * (1 - np.exp(-x / 1.5)), color="black", lw=1.2)
        axes.text(7.5, level + 0.25, label, fontsize=10)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 6)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    return pixels


def test_a_symbol_holding_a_digit_is_read_as_a_misreading_of_its_letters() -> None:
    # "VD5" is what OCR makes of V_DS: the value beside it may be misread too.
    plain = digitize(_labelled_plot(("VDS = 20 V", "VDS = 40 V")), PLOT_META)
    assert min(curve.confidence for curve in plain.curves) >= CONFIDENCE.review_below
    misread = digitize(_labelled_plot(("VD5 = 20 V", "VDS = 40 V")), PLOT_META)
    assert max(curve.confidence for curve in misread.curves) < CONFIDENCE.review_below
    assert any("'VD5 = 20V'" in note.message for note in misread.review.reasons)


def test_a_plot_drawn_in_a_few_hundred_pixels_is_never_confident() -> None:
    # The same family and labels at 640 and at 240 columns: at 240 a curve a stroke off, or
    # a label with a digit dropped or doubled ("VGS = 55V"), would pass every other check.
    large, _ = render_plot(curve_labels=True)
    confident = digitize(large, PLOT_META)
    assert min(curve.confidence for curve in confident.curves) >= CONFIDENCE.review_below
    assert not confident.review.needs_review
    small, _ = render_plot(curve_labels=True, size_in=(3.0, 2.25))
    doubted = digitize(small, PLOT_META)
    assert doubted.curves
    assert max(curve.confidence for curve in doubted.curves) < CONFIDENCE.review_below
    assert any("px wide" in note.message for note in doubted.review.reasons)


def _result(confidence: float, *reasons: ReviewReason) -> DigitizeResult:
    review = Review()
    for code in reasons:
        review.add(code, str(code))
    curve = Curve("VGS = 10 V", 10.0, "#000000", [[0.0, 1.0], [1.0, 2.0]], confidence)
    return DigitizeResult([0.0, 0.0, 10.0, 10.0], [curve], review=review)


def test_a_confident_result_needs_no_review() -> None:
    assert not with_doubts(_result(0.97)).review.needs_review


def test_a_curve_under_the_threshold_marks_the_result_low_confidence() -> None:
    doubted = with_doubts(_result(0.85))
    assert [note.code for note in doubted.review.reasons] == [ReviewReason.LOW_CONFIDENCE]


def test_a_budget_hit_caps_every_curve_at_one_half() -> None:
    doubted = with_doubts(_result(0.97, ReviewReason.BUDGET_HIT))
    assert doubted.curves[0].confidence == 0.5
    assert ReviewReason.LOW_CONFIDENCE in {note.code for note in doubted.review.reasons}


def test_a_curve_count_that_differs_from_the_labels_caps_every_curve() -> None:
    doubted = with_doubts(_result(0.97, ReviewReason.CURVE_COUNT_DIFFERS))
    assert doubted.curves[0].confidence < CONFIDENCE.review_below


def test_a_results_confidence_is_its_least_sure_curves_capped_by_its_doubts() -> None:
    result = _result(0.97)
    result.curves.append(Curve("VGS = 5 V", 5.0, "#000000", [[0.0, 1.0]], 0.93))
    assert result_confidence(result) == 0.93
    result.review.add(ReviewReason.AXIS_UNREAD, "the x axis was read from two tick labels")
    assert result_confidence(result) < CONFIDENCE.review_below
    assert result_confidence(DigitizeResult([0.0, 0.0, 1.0, 1.0], [])) == 0.0


def test_curves_whose_values_were_read_out_of_order_are_not_confident() -> None:
    doubted = LabelSource.DOUBTED
    confidences, _ = _confidences(["2A", "15A", "1A"], [doubted, doubted, doubted])
    assert max(confidences) < CONFIDENCE.review_below


def test_a_label_of_the_curves_kind_read_but_bound_to_none_doubts_the_result() -> None:
    # "Crss" printed beside its curve, which the tracker missed; the conditions are no label.
    texts = ["Ciss", "f = 1MHz", "VGS = -10V", "Coss", "Crss"]
    named = CurveLabels(["Ciss", "Coss"], [None, None], Review(), [READ, READ], texts)
    confidences, doubts = curve_confidences(_whole_curves(2), named, given=False)
    assert [note.code for note in doubts.reasons] == [ReviewReason.CURVE_COUNT_DIFFERS]
    assert "'Crss'" in doubts.reasons[0].message
    curves = [
        Curve(label, None, "#000000", [[0.0, 1.0]], c)
        for label, c in zip(named.labels, confidences, strict=True)
    ]
    result = with_doubts(DigitizeResult([0.0, 0.0, 1.0, 1.0], curves, review=doubts))
    assert result_confidence(result) < CONFIDENCE.review_below


def test_a_label_left_over_where_a_curve_is_named_by_order_adds_no_second_doubt() -> None:
    # The curve named by order caps the result already, whatever else was read.
    sources = [READ, LabelSource.ORDER]
    texts = ["VGS = 10V", "VGS = 4V"]
    named = CurveLabels(["VGS = 10V", "VGS = 5V"], [None, None], Review(), sources, texts)
    confidences, doubts = curve_confidences(_whole_curves(2), named, given=False)
    assert ReviewReason.CURVE_COUNT_DIFFERS not in {note.code for note in doubts.reasons}
    assert max(confidences) < CONFIDENCE.review_below


def test_texts_of_another_kind_or_naming_a_bound_curve_are_no_unbound_label() -> None:
    # A condition in volts beside capacitances, and the bound labels read again in capitals.
    texts = ["CISS", "VDS = 25V", "COSS", "200pF"]
    assert unbound_labels(["Ciss", "Coss"], texts) == []
    assert unbound_labels(["VGS = 10V", "VGS = 5V"], ["VGS = 10V", "5V", "200pF"]) == []
    assert unbound_labels(["VGS = 10V", "VGS = 5V"], ["VGS = 10V", "VGS = 4V"]) == ["VGS = 4V"]

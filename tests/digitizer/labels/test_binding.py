"""Labels read from the graph win over highest-first order; order is a fallback that says so."""

from graphq.digitizer.labels.binding import LabelSource, bind_curve_labels, same_label
from graphq.review import ReviewReason

SURE = 0.95


def _codes(review: object) -> set[ReviewReason]:
    return {note.code for note in review.reasons}  # type: ignore[attr-defined]


def test_labels_read_with_none_given_are_kept_with_their_values() -> None:
    bound = bind_curve_labels(["VGS = 5 V", "VGS = 10 V"], [SURE, SURE], [], [1, 0])
    assert bound.labels == ["VGS = 5 V", "VGS = 10 V"]
    assert bound.values == [5.0, 10.0]
    assert not bound.review.needs_review


def test_a_curve_whose_label_is_unread_is_named_by_rank_and_flagged() -> None:
    bound = bind_curve_labels(["25°C", ""], [SURE, 0.0], [], [0, 1])
    assert bound.labels == ["25°C", "curve 2"]
    assert bound.values == [25.0, None]
    assert _codes(bound.review) == {ReviewReason.LABEL_UNREAD}


def test_one_curve_without_a_label_needs_no_review() -> None:
    assert not bind_curve_labels([""], [0.0], [], [0]).review.needs_review


def test_a_read_label_binds_the_given_label_that_says_the_same_whatever_the_order() -> None:
    # The user listed the labels in the wrong order; the graph's own labels settle it.
    bound = bind_curve_labels(["10V", "VGS=5V"], [SURE, SURE], ["VGS = 5 V", "VGS = 10 V"], [0, 1])
    assert bound.labels == ["VGS = 10 V", "VGS = 5 V"]
    assert bound.values == [10.0, 5.0]
    assert not bound.review.needs_review


def test_given_labels_left_over_go_highest_first_and_the_review_says_so() -> None:
    bound = bind_curve_labels(
        ["", "Crss", ""], [0.0, SURE, 0.0], ["Ciss", "Coss", "Crss"], [0, 1, 2]
    )
    assert bound.labels == ["Ciss", "Crss", "Coss"]
    assert _codes(bound.review) == {ReviewReason.LABELS_BY_ORDER}


def test_a_read_label_none_of_the_given_says_is_a_disagreement_left_to_order() -> None:
    bound = bind_curve_labels(["125°C", ""], [SURE, 0.0], ["25°C", "-55°C"], [0, 1])
    assert bound.labels == ["25°C", "-55°C"]
    assert ReviewReason.LABELS_DISAGREE in _codes(bound.review)
    assert ReviewReason.LABELS_BY_ORDER in _codes(bound.review)


def test_a_value_under_a_misread_name_binds_the_given_label() -> None:
    bound = bind_curve_labels(["Vgg = 10V", ""], [SURE, 0.0], ["VGS = 5 V", "VGS = 10 V"], [1, 0])
    assert bound.labels == ["VGS = 10 V", "VGS = 5 V"]
    assert ReviewReason.LABELS_DISAGREE not in _codes(bound.review)


def test_a_doubtful_reading_is_not_taken() -> None:
    bound = bind_curve_labels(["10V", "5V"], [0.5, 0.5], ["VGS = 10 V", "VGS = 5 V"], [1, 0])
    assert bound.labels == ["VGS = 5 V", "VGS = 10 V"]
    assert ReviewReason.LABELS_BY_ORDER in _codes(bound.review)


def test_labels_are_the_same_across_spelling_and_a_family_name() -> None:
    assert same_label("CISS", "C_iss")
    assert same_label("10V", "VGS = 10 V")
    assert same_label("-55 °C", "TA=-55°C")
    assert not same_label("VGS = 10 V", "VDS = 10 V")
    assert not same_label("5V", "10V")
    assert not same_label("Ciss", "Coss")


def test_labels_read_but_tied_by_order_are_taken_and_said_to_be_by_order() -> None:
    bound = bind_curve_labels(["Ciss", "Coss"], [0.5, 0.5], [], [0, 1])
    assert bound.labels == ["Ciss", "Coss"]
    assert _codes(bound.review) == {ReviewReason.LABELS_BY_ORDER}


def test_a_misread_label_binds_the_given_label_it_misspells() -> None:
    bound = bind_curve_labels(["Cus", "Crss"], [SURE, SURE], ["Ciss", "Crss"], [1, 0])
    assert bound.labels == ["Ciss", "Crss"]
    assert not bound.review.needs_review


def test_a_read_label_spelt_as_given_is_bound_once() -> None:
    bound = bind_curve_labels(["Ciss", ""], [SURE, 0.0], ["Ciss", "Coss"], [0, 1])
    assert bound.labels == ["Ciss", "Coss"]


def test_values_read_out_of_their_curves_order_are_doubted_and_flagged() -> None:
    # "1.5A" read as "15A": highest curve first the values go 2, 15, 1, 0.5.
    bound = bind_curve_labels(["IB = 2A", "15A", "1A", "0.5A"], [SURE] * 4, [], [0, 1, 2, 3])
    assert bound.labels == ["IB = 2A", "15A", "1A", "0.5A"]
    assert set(bound.sources) == {LabelSource.DOUBTED}
    assert _codes(bound.review) == {ReviewReason.LOW_CONFIDENCE}


def test_values_read_in_their_curves_order_are_taken_as_read() -> None:
    bound = bind_curve_labels(["IB = 2A", "1.5A", "1A", "0.5A"], [SURE] * 4, [], [0, 1, 2, 3])
    assert set(bound.sources) == {LabelSource.READ}
    assert not bound.review.needs_review

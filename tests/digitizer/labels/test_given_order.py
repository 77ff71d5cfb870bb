"""Given labels are bound by order only between the curves reading tied to them: a curve
found too many or too few shifts no label past a curve read, and the review says where the
count was guessed."""

from graphq.digitizer.labels.binding import LabelSource, bind_curve_labels
from graphq.digitizer.labels.given_order import fill_by_order
from graphq.review import Review, ReviewReason

SURE = 0.95
GIVEN = ["10 V", "8 V", "6 V", "4 V"]


def _guessed(review: Review) -> list[str]:
    return [note.message for note in review.reasons if note.code == ReviewReason.LABELS_BY_ORDER]


def test_an_extra_curve_above_a_curve_read_shifts_no_label_below_it() -> None:
    # Five curves highest first, the 6 V curve read; an extra piece (the shortest) stands
    # between the 10 V and 8 V curves.
    read = ["", "", "", "6V", ""]
    bound = bind_curve_labels(read, [0.0, 0.0, 0.0, SURE, 0.0], GIVEN, [0, 1, 2, 3, 4])
    assert bound.labels[3:] == ["6 V", "4 V"]


def test_the_curve_seen_over_fewest_columns_in_a_stretch_of_one_too_many_goes_unlabelled() -> None:
    read = ["", "", "", "6V", ""]
    spans = [300, 40, 280, 300, 290]
    bound = bind_curve_labels(read, [0.0, 0.0, 0.0, SURE, 0.0], GIVEN, [0, 1, 2, 3, 4], spans)
    assert bound.labels == ["10 V", "curve 2", "8 V", "6 V", "4 V"]
    assert bound.sources[1] == LabelSource.UNREAD


def test_a_curve_missing_above_a_curve_read_shifts_no_label_below_it() -> None:
    # The 8 V curve was not found; the 6 V one was read.
    read = ["", "6V", ""]
    bound = bind_curve_labels(read, [0.0, SURE, 0.0], GIVEN, [0, 1, 2])
    assert bound.labels == ["10 V", "6 V", "4 V"]


def test_stretches_holding_as_many_curves_as_labels_need_no_guess() -> None:
    review = Review()
    labels = ["", "", "6 V", ""]
    fill_by_order(labels, {2: 2}, GIVEN, [0, 1, 2, 3], None, review)
    assert labels == ["10 V", "8 V", "6 V", "4 V"]
    assert not _guessed(review)


def test_a_stretch_with_a_curve_too_many_is_flagged_as_guessed() -> None:
    review = Review()
    labels = ["", "", "", "6 V", ""]
    fill_by_order(labels, {3: 2}, GIVEN, [0, 1, 2, 3, 4], [300, 40, 280, 300, 290], review)
    assert review.needs_review
    assert any("'10 V' to '8 V'" in message and "extra" in message for message in _guessed(review))


def test_a_stretch_with_a_curve_too_few_is_flagged_as_guessed() -> None:
    review = Review()
    labels = ["", "6 V", ""]
    fill_by_order(labels, {1: 2}, GIVEN, [0, 1, 2], None, review)
    assert labels == ["10 V", "6 V", "4 V"]
    assert any(
        "'10 V' to '8 V'" in message and "missing" in message for message in _guessed(review)
    )


def test_labels_read_against_the_given_order_leave_the_rest_highest_first() -> None:
    # The graph reads 4 V on the highest curve: no stretch between anchors is known.
    labels = ["4 V", "", ""]
    fill_by_order(labels, {0: 3}, GIVEN, [0, 1, 2], None, Review())
    assert labels == ["4 V", "10 V", "8 V"]


def test_labels_of_a_stretch_with_no_curve_stay_unbound_rather_than_cross_an_anchor() -> None:
    # A, C and E read on curves 0, 1 and 5: no curve stands between A and C, so B is unbound
    # (never given to a curve below C's), and the review names it.
    review = Review()
    given = ["A", "B", "C", "D", "E"]
    labels = ["A", "C", "", "", "", "E"]
    fill_by_order(labels, {0: 0, 1: 2, 5: 4}, given, [0, 1, 2, 3, 4, 5], None, review)
    assert "B" not in labels
    assert labels[:2] == ["A", "C"]
    assert labels.count("D") == 1
    assert any(
        note.code == ReviewReason.CURVE_COUNT_DIFFERS and "'B'" in note.message
        for note in review.reasons
    )


def test_a_stretch_of_one_label_is_named_in_the_singular() -> None:
    review = Review()
    labels = ["10 V", "", "", "6 V", ""]
    fill_by_order(labels, {0: 0, 3: 2}, GIVEN, [0, 1, 2, 3, 4], [300, 40, 280, 300, 290], review)
    assert any(
        message.startswith("the label '8 V' given for 2 curves") for message in _guessed(review)
    )


def test_as_many_curves_as_labels_name_the_stretch_whose_count_differs() -> None:
    # 6 V read on the third curve: two curves above it for one label (10 V), one below it for
    # two (4 V and 2 V); the labels go highest first, and the review names both stretches.
    review = Review()
    given = ["10 V", "6 V", "4 V", "2 V"]
    labels = ["", "", "6 V", ""]
    fill_by_order(labels, {2: 1}, given, [0, 1, 2, 3], None, review)
    assert labels == ["10 V", "4 V", "6 V", "2 V"]
    assert any("'10 V'" in message for message in _guessed(review))
    assert any("'4 V' to '2 V'" in message for message in _guessed(review))

"""A curve count that differs from the labels or the count given is flagged; condition
values are read from labels."""

from graphq.digitizer.labels.naming import count_review, parse_value
from graphq.review import ReviewReason


def _codes(labels: list[str], found: int, expected: int | None = None) -> set[ReviewReason]:
    return {note.code for note in count_review(labels, found, expected).reasons}


def test_as_many_labels_as_curves_need_no_review() -> None:
    assert _codes(["VGS = 10 V", "VGS = 5 V"], 2) == set()


def test_no_labels_and_no_count_need_no_review() -> None:
    assert _codes([], 4) == set()


def test_a_curve_missing_against_the_labels_is_flagged() -> None:
    assert ReviewReason.CURVE_COUNT_DIFFERS in _codes(["a", "b", "c"], 2)


def test_a_curve_count_other_than_the_one_given_is_flagged() -> None:
    assert _codes([], 3, expected=4) == {ReviewReason.CURVE_COUNT_DIFFERS}


def test_a_condition_value_is_read_after_the_equals_sign() -> None:
    assert parse_value("V_GS1 = 5 V") == 5.0
    assert parse_value("ID = 100 mA") == 0.1

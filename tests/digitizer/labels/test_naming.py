"""A curve count that differs from the labels or the count given is flagged; condition
values are read from labels."""

import numpy as np

from graphq.digitizer.labels.naming import (
    capacitance,
    capacitances_crossed,
    count_review,
    parse_value,
)
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


def test_a_capacitance_is_known_by_its_subscript_however_spelt() -> None:
    assert [capacitance(t) for t in ("Ciss", "CISS", "C_iss", "Cob")] == ["iss", "iss", "iss", "ob"]
    assert capacitance("Curve") is None
    assert capacitance("Yop") is None


def test_a_reverse_transfer_capacitance_over_the_input_or_output_one_is_crossed() -> None:
    columns = np.arange(100)
    ciss, coss = (columns, np.full(100, 20.0)), (columns, np.linspace(10.0, 60.0, 100))
    crss = (columns, np.full(100, 70.0))  # rows grow downwards: lowest of the three
    labels = ["Ciss", "Coss", "Crss"]
    assert not capacitances_crossed(labels, [ciss, coss, crss], 3.0)  # Ciss, Coss cross
    swapped = (columns, np.where(columns < 50, 15.0, 70.0))  # over Ciss until it drops
    assert capacitances_crossed(labels, [ciss, coss, swapped], 3.0)
    assert not capacitances_crossed(["Cib", "Cob"], [crss, ciss], 3.0)  # no order between

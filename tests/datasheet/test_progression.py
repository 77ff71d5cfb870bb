import numpy as np

from graphq.datasheet.progression import mend_progression

# Labels on five ticks 0..200 pt, values rising to the right.
POSITIONS = np.linspace(0.0, 200.0, 5)
EDGES = (0.0, 200.0)


def _mend(texts: list[str], values: list[float], scale: str | None = None):  # type: ignore[no-untyped-def]
    return mend_progression(texts, POSITIONS, np.array(values, float), EDGES, scale)  # type: ignore[arg-type]


def test_a_dropped_decimal_point_and_a_misread_digit_are_mended_from_the_neighbours() -> None:
    # 0.8 0.9 1.0 1.1 1.2 read "0." "0.9" "1.0" "11" "1.2".
    mending = _mend(["0.", "0.9", "1.0", "11", "1.2"], [0.0, 0.9, 1.0, 11.0, 1.2])
    assert mending is not None
    assert mending.values.tolist() == [0.8, 0.9, 1.0, 1.1, 1.2]
    assert mending.keep.all()
    assert any("decimal point" in change for change in mending.changes)


def test_lost_minus_signs_are_restored_only_where_the_values_must_rise() -> None:
    mending = _mend(["100", "50", "0", "50", "100"], [100, 50, 0, 50, 100])
    assert mending is not None
    assert mending.values.tolist() == [-100, -50, 0, 50, 100]
    assert sum("minus sign" in change for change in mending.changes) == 2


def test_powers_of_ten_that_lost_their_exponents_minus_read_as_falling_are_turned() -> None:
    texts = ["10^3", "10^2", "10^1", "10^0", "10^1"]
    mending = _mend(texts, [1e3, 1e2, 10, 1, 10])
    assert mending is not None
    assert np.allclose(mending.values, [1e-3, 1e-2, 0.1, 1, 10])


def test_a_misread_exponent_is_mended_when_log_ticks_confirm_the_decades() -> None:
    # 10^-1 read 10^4 at the left edge; 1 and 10 a decade apart on log-spaced ticks.
    positions = np.array([0.0, 100.0, 200.0])
    texts, values = ["10^4", "10^0", "10^1"], np.array([1e4, 1.0, 10.0])
    mending = mend_progression(texts, positions, values, EDGES, "log")
    assert mending is not None and np.allclose(mending.values, [0.1, 1, 10])
    # Without the ticks' word, two labels are too few to mend a third.
    assert mend_progression(texts, positions, values, EDGES, None) is None


def test_a_stray_number_off_the_lattice_is_left_out_and_said_so() -> None:
    positions = np.array([0.0, 50.0, 73.0, 100.0, 150.0, 200.0])
    texts = ["0", "5", "2", "10", "15", "20"]
    mending = mend_progression(texts, positions, np.array([0, 5, 2, 10, 15, 20.0]), EDGES, None)
    assert mending is not None
    assert mending.keep.tolist() == [True, True, False, True, True, True]
    assert any("left out" in change for change in mending.changes)


def test_unevenly_drawn_ticks_are_not_taken_for_misreads() -> None:
    # 0..400 by 100, the third label drawn 12 pt off its even place: a hand-drawn axis.
    positions = np.array([0.0, 50.0, 112.0, 150.0, 200.0])
    values = np.array([0, 100, 200, 300, 400.0])
    assert (
        mend_progression(["0", "100", "200", "300", "400"], positions, values, EDGES, None) is None
    )


def test_labels_that_agree_on_no_progression_are_not_mended() -> None:
    assert _mend(["3", "70", "1", "9", "40"], [3, 70, 1, 9, 40]) is None


def test_labels_read_right_need_no_change() -> None:
    mending = _mend(["0", "5", "10", "15", "20"], [0, 5, 10, 15, 20])
    assert mending is not None and not mending.changes

"""A family's values read in a column of labels are mended where the column's order shows a
lost decimal point or minus sign, and only there."""

from __future__ import annotations

from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.family_values import mend_family_values


def _column(*texts: str) -> list[TextLine]:
    return [
        TextLine((), text, 100.0, 12.0 * k, 140.0, 12.0 * k + 9.0, 9.0, True)
        for k, text in enumerate(texts)
    ]


def _mended(*texts: str) -> list[str]:
    return [line.text for line in mend_family_values(_column(*texts)).lines]


def test_a_decimal_point_fused_into_its_digits_is_put_back_where_the_order_needs_it() -> None:
    assert _mended("IB = 2A", "15A", "1A", "0.5A") == ["IB = 2A", "1.5A", "1A", "0.5A"]
    assert _mended("10V", "65V", "6V") == ["10V", "6.5V", "6V"]


def test_a_lost_minus_is_put_back_where_the_order_needs_it() -> None:
    assert _mended("VGS = 1.0V", "0.5V", "0V", "0.5V") == ["VGS = 1.0V", "0.5V", "0V", "-0.5V"]


def test_a_column_already_in_order_is_left_as_read() -> None:
    assert _mended("VGS = 10V", "8V", "6V") == ["VGS = 10V", "8V", "6V"]


def test_two_equally_small_mends_leave_the_column_as_read() -> None:
    # "25°C" under "25°C" may be -25 °C or 2.5 °C: which one is not known.
    assert _mended("TJ = 100°C", "25°C", "25°C") == ["TJ = 100°C", "25°C", "25°C"]


def test_a_column_with_too_few_values_read_as_printed_is_left_as_read() -> None:
    # Three of four mended would rest on one value alone.
    assert _mended("7.0V", "65V", "60V", "55V") == ["7.0V", "65V", "60V", "55V"]


def test_a_block_of_conditions_in_several_units_is_left_as_read() -> None:
    block = ("VDS = 50V", "VGS = 10V", "ID = 15A", "Pulse width = 250us")
    assert _mended(*block) == list(block)


def test_lines_apart_are_no_column() -> None:
    lines = [
        TextLine((), text, x0, 40.0 * k, x0 + 40.0, 40.0 * k + 9.0, 9.0, True)
        for k, (text, x0) in enumerate((("2A", 10.0), ("15A", 200.0), ("1A", 10.0)))
    ]

    assert [line.text for line in mend_family_values(lines).lines] == ["2A", "15A", "1A"]


def test_each_mend_is_told_as_read_and_as_taken() -> None:
    mended = mend_family_values(_column("IB = 2A", "15A", "1A", "0.5A"))
    assert mended.mends == [("15A", "1.5A")]

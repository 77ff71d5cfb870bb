"""The gate threshold and RDS(on) read from a datasheet's electrical-characteristics table, on
PDFs drawn here (a text layer) and on rows as OCR splits them."""

from __future__ import annotations

import msgspec
import pytest

from graphq.datasheet.electrical import (
    electrical_table,
    on_resistance_in,
    read_electrical_table,
    threshold_in,
)
from graphq.datasheet.words import Word
from tests.datasheet.pdfs import table_pdf

ENHANCEMENT_TABLE = [
    ("Symbol Parameter", "Conditions", "Min Typ Max", "Units"),
    ("VGS(th) Gate Threshold Voltage", "VDS=5V ID=250µA", "3 4.1 4.5", "V"),
    ("RDS(ON) Static Drain-Source On-Resistance", "VGS=10V, ID=0.65A", "- 7.5 9", "Ω"),
    ("ΔVGS(th) Threshold change with temperature", "ID=250µA", "- -4.5 -", "mV/°C"),
]


def test_threshold_and_on_resistance_rows_are_read_with_their_conditions_and_page() -> None:
    table = read_electrical_table(table_pdf(ENHANCEMENT_TABLE, pages=2, table_page=2))
    assert table.threshold is not None
    assert (table.threshold.low, table.threshold.high, table.threshold.typical) == (3, 4.5, 4.1)
    assert table.threshold.page == 2 and table.threshold.source == "text"
    (rating,) = table.on_resistance
    assert (rating.typical, rating.maximum) == (7.5, 9.0)
    assert (rating.vgs_v, rating.id_a) == (10.0, 0.65)
    assert "page 2" in table.describe()


def test_a_depletion_parts_negative_off_voltage_keeps_its_signs_and_empty_column() -> None:
    row = "VGS(OFF) Gate-to-source off voltage -1.5 - -3.5 V VDS = 25V, ID = 10µA"
    read = threshold_in(row)
    assert read is not None
    assert (read.low, read.high, read.typical, read.vds_v) == (-3.5, -1.5, None, 25.0)
    assert read.current_a == pytest.approx(10e-6)


def test_conditions_after_the_unit_and_a_milliampere_current_are_read() -> None:
    typical, maximum, conditions = on_resistance_in(
        "R Static drain-to-source on-state - 17 25 Ω V = 0V, I = 120mA"
    ) or (None, None, {})
    assert (typical, maximum) == (17.0, 25.0)
    assert conditions == {"V": 0.0, "A": 0.12}


def test_milliohms_are_read_in_ohms() -> None:
    found = on_resistance_in("RDS(on) VGS = 10 V, ID = 20 A 3.1 4.0 mΩ")
    assert found is not None and found[:2] == pytest.approx((0.0031, 0.004))


def test_a_change_with_temperature_and_prose_are_no_reading() -> None:
    assert threshold_in("ΔVGS(th) Threshold change with temperature -4.5 mV/°C") is None
    assert on_resistance_in("Low RDS(on) for minimum conduction losses") is None
    assert on_resistance_in("ΔRDS(ON) Change in RDS(ON) with temperature - - 1.1 %/°C") is None


def word(text: str, x0: float, top: float) -> Word:
    return Word(text, x0, top, x0 + 6.0 * len(text), top + 8.0, 8.0, source="ocr", confidence=0.9)


def _row(texts: list[str], top: float) -> list[Word]:
    words, x = [], 40.0
    for text in texts:
        words.append(word(text, x, top))
        x += 6.0 * len(text) + 8.0
    return words


def test_an_ocr_row_split_below_its_key_borrows_the_next_rows_values() -> None:
    words = _row(["Rps(on)", "Static", "Drain-Source"], 100.0)
    words += _row(["Veg", "=10V,", "ID", "=11.5A", "--", "0.12", "0.15", "Q"], 112.0)
    words += _row(["Gate", "Threshold", "Voltage", "ID", "=", "250", "pA", "3.0", "5.0", "V"], 140)
    table = electrical_table([(2, words)])
    (rating,) = table.on_resistance
    assert (rating.typical, rating.maximum, rating.vgs_v, rating.id_a) == (0.12, 0.15, 10, 11.5)
    assert rating.source == "ocr"
    assert table.threshold is not None
    assert (table.threshold.low, table.threshold.high) == (3.0, 5.0)


def test_an_ocr_micro_sign_read_as_p_or_h_is_a_microampere_threshold_current() -> None:
    for misread in ("pA", "HA"):
        row = ["Gate", "Threshold", "Voltage", "VDS", "=", "VGS,", "ID", "=", "250", misread]
        table = electrical_table([(2, _row([*row, "3.0", "5.0", "V"], 140.0))])
        assert table.threshold is not None
        assert table.threshold.current_a == 250e-6
        # VDS = VGS is no number: the threshold is rated with the drain on the gate.
        assert table.threshold.vds_v is None


def test_a_threshold_read_from_the_text_layer_keeps_its_current_and_vds() -> None:
    rows = [("VGS(th) Threshold VDS = 5V, ID = 250µA", "3", "4.1", "4.5", "V")]
    threshold = read_electrical_table(table_pdf(rows)).threshold
    assert threshold is not None
    assert (threshold.low, threshold.high, threshold.current_a, threshold.vds_v) == (
        3.0, 4.5, 250e-6, 5.0
    )  # fmt: skip


def test_a_table_without_these_rows_reads_nothing() -> None:
    rows = [("Symbol", "Parameter", "Max", "Units"), ("BVDSS", "Breakdown", "600", "V")]
    table = read_electrical_table(table_pdf(rows))
    assert table == msgspec.convert({}, type(table))
    assert table.describe() == "nothing read"

"""The junction-to-case thermal resistance read from a datasheet's tables, on PDFs drawn
here: a text layer, and a page whose text is only outlines (read by OCR)."""

from __future__ import annotations

import msgspec

from graphq.datasheet.thermal import junction_to_case, read_junction_to_case
from graphq.datasheet.words import Word
from tests.datasheet.pdfs import outlined_graph_pdf, table_pdf

THERMAL_TABLE = [
    ("Parameter", "Symbol", "Typ", "Max", "Units"),
    ("Thermal Resistance, Junction-to-Case", "RθJC", "--", "0.66", "°C/W"),
    ("Thermal Resistance, Case-to-Sink", "RθCS", "0.24", "--", "°C/W"),
    ("Thermal Resistance, Junction-to-Ambient", "RθJA", "--", "40", "°C/W"),
]


def test_junction_to_case_row_of_a_ratings_table_is_read_with_its_page_and_row() -> None:
    reading = read_junction_to_case(table_pdf(THERMAL_TABLE, pages=2, table_page=2))
    assert reading is not None
    assert reading.k_per_w == 0.66
    assert reading.page == 2
    assert reading.source == "text"
    assert "Junction-to-Case" in reading.text and "0.66" in reading.text


def test_the_maximum_is_read_where_a_row_gives_typical_and_maximum() -> None:
    rows = [("Maximum Junction-to-Case", "RθJC", "2", "3", "°C/W")]
    reading = read_junction_to_case(table_pdf(rows))
    assert reading is not None and reading.k_per_w == 3.0


def test_a_datasheet_giving_only_junction_to_ambient_has_no_reading() -> None:
    rows = [THERMAL_TABLE[0], THERMAL_TABLE[3]]
    assert read_junction_to_case(table_pdf(rows)) is None


def test_a_sentence_about_the_junction_to_case_resistance_is_no_reading() -> None:
    rows = [("Power dissipation uses the junction-to-case thermal resistance at 25 °C.",)]
    assert read_junction_to_case(table_pdf(rows)) is None


def word(text: str, x0: float, size: float = 8.0, top: float = 100.0) -> Word:
    return Word(text, x0, top, x0 + 6.0 * len(text), top + size, size)


def test_symbol_rth_j_c_in_kelvin_per_watt_is_read() -> None:
    row = [word("Rth(j-c)", 50), word("thermal", 110), word("resistance", 170)]
    row += [word("1.1", 300), word("K/W", 340)]
    reading = junction_to_case(row, page=3)
    assert reading is not None and (reading.k_per_w, reading.page) == (1.1, 3)


def test_a_footnote_mark_beside_the_key_is_not_taken_for_a_value() -> None:
    row = [word("Junction-to-Case", 50), word("9", 150, size=4.0, top=99.0)]
    row += [word("0.5", 300), word("°C/W", 340)]
    reading = junction_to_case(row, page=1)
    assert reading is not None and reading.k_per_w == 0.5


def test_a_value_on_a_graph_note_is_read() -> None:
    reading = junction_to_case([word("RθJC=3°C/W", 80)], page=6)
    assert reading is not None and reading.k_per_w == 3.0


def test_a_page_without_a_text_layer_is_read_by_ocr() -> None:
    def draw(ax: object) -> None:
        ax.axis("off")  # type: ignore[attr-defined]
        ax.text(0.0, 0.6, "Thermal Resistance, Junction-to-Case", fontsize=12)  # type: ignore[attr-defined]
        ax.text(0.75, 0.6, "1.25", fontsize=12)  # type: ignore[attr-defined]
        ax.text(0.9, 0.6, "°C/W", fontsize=12)  # type: ignore[attr-defined]

    reading = read_junction_to_case(outlined_graph_pdf(draw))
    assert reading is not None
    assert (reading.k_per_w, reading.source, reading.page) == (1.25, "ocr", 1)


def test_an_ocr_row_that_lost_the_per_watt_of_its_unit_is_read() -> None:
    row = [word("Thermal", 50), word("Resistance,", 100), word("Junction-to-Case", 170)]
    row += [word("0.66", 300), word("°C", 340)]
    ocr_row = [msgspec.structs.replace(w, source="ocr", confidence=0.9) for w in row]
    reading = junction_to_case(ocr_row, page=1)
    assert reading is not None and (reading.k_per_w, reading.source) == (0.66, "ocr")
    assert junction_to_case(row, page=1) is None

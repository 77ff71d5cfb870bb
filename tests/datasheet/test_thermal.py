"""The junction-to-case thermal resistance read from a datasheet's tables, on PDFs drawn
here: a text layer, and a page whose text is only outlines (read by OCR)."""

from __future__ import annotations

import msgspec

from graphq.datasheet.content import read_pages
from graphq.datasheet.electrical import read_electrical_table
from graphq.datasheet.thermal import (
    junction_to_case,
    read_junction_to_case,
    table_pages,
    table_regions,
    table_rule_runs,
)
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


def _ruled_table(ax: object) -> None:
    """An outlined table of four ruled rows, one whose first cell wraps: its key
    ("Threshold Voltage") a line below its values; and a line of prose well above it."""
    ax.axis("off")  # type: ignore[attr-defined]
    ax.set_xlim(0.0, 1.0)  # type: ignore[attr-defined]
    ax.set_ylim(0.0, 1.0)  # type: ignore[attr-defined]
    for y in (0.62, 0.5, 0.34, 0.22, 0.1):
        ax.plot([0.0, 1.0], [y, y], color="black", lw=0.6)  # type: ignore[attr-defined]
    cells = [
        (0.0, 0.56, "Symbol"), (0.6, 0.56, "Max"),
        (0.0, 0.445, "Gate"), (0.6, 0.445, "3.0"), (0.75, 0.445, "5.0"), (0.9, 0.445, "V"),
        (0.05, 0.385, "Threshold Voltage"),
        (0.0, 0.28, "Junction-to-Case"), (0.6, 0.28, "1.25"), (0.75, 0.28, "°C/W"),
        (0.0, 0.95, "Junction-to-Case"), (0.6, 0.95, "9.5"), (0.75, 0.95, "°C/W"),
    ]  # fmt: skip
    for x, y, text in cells:
        ax.text(x, y, text, fontsize=12)  # type: ignore[attr-defined]


def test_ocr_reads_only_the_band_the_table_rules_span() -> None:
    pdf = outlined_graph_pdf(_ruled_table)
    _, pages = read_pages(pdf)
    ((x0, top, x1, bottom),) = table_regions(pages[0], table_rule_runs(pages[0]))
    assert x1 - x0 > 0.3 * pages[0].width and bottom - top < 0.6 * pages[0].height
    # The prose above the table (9.5 °C/W) lies outside the band and is not read.
    reading = read_junction_to_case(pdf)
    assert reading is not None and (reading.k_per_w, reading.source) == (1.25, "ocr")


def test_a_ruled_row_whose_key_wraps_below_its_values_is_read_as_one_row() -> None:
    pdf = outlined_graph_pdf(_ruled_table)
    threshold = read_electrical_table(pdf, pages=table_pages(pdf)).threshold
    assert threshold is not None and (threshold.low, threshold.high) == (3.0, 5.0)

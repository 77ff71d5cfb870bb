"""Rth(j-c) and the electrical table's ratings read from a datasheet PDF into the fit's
input, each with where it came from."""

from __future__ import annotations

from graphq.datasheet.electrical import ElectricalTable, OnResistance, Threshold
from graphq.spice import fit_input_from_graphs
from graphq.spice.datasheet_tables import read_datasheet_tables, table_ratings
from graphq.spice.inputs import FitInput
from tests.datasheet.pdfs import table_pdf

from .test_graphs import graph, output_graph

ROWS = [
    ("Thermal Resistance, Junction-to-Case RθJC", "--", "0.66", "°C/W"),
    ("VGS(th) Gate Threshold Voltage", "VDS=VGS, ID=250µA", "3.0 - 5.0", "V"),
    ("RDS(on) Static Drain-Source On-Resistance", "VGS=10V, ID=11.5A", "- 0.12 0.15", "Ω"),
]


def test_both_tables_are_read_into_the_fit_input_with_their_page() -> None:
    inputs = FitInput()
    read_datasheet_tables(table_pdf(ROWS, pages=2, table_page=2), inputs)
    assert inputs.rthjc_k_per_w == 0.66
    assert inputs.rthjc_source.startswith("read from the datasheet (page 2:")
    table = inputs.table
    assert table is not None
    assert (table.threshold_low_v, table.threshold_high_v) == (3.0, 5.0)
    assert (table.rdson_typical_ohm, table.rdson_max_ohm) == (0.12, 0.15)
    assert (table.rdson_vgs_v, table.rdson_id_a) == (10.0, 11.5)
    assert table.threshold_source.startswith('page 2: "VGS(th) Gate Threshold Voltage')
    assert table.rdson_source.startswith('page 2: "RDS(on) Static Drain-Source')
    assert not inputs.warnings


def test_a_given_thermal_resistance_stands_and_a_missing_table_is_a_warning() -> None:
    inputs = FitInput(rthjc_k_per_w=2.5, rthjc_source="given")
    read_datasheet_tables(table_pdf([("Typical performance curves",)]), inputs)
    assert (inputs.rthjc_k_per_w, inputs.rthjc_source, inputs.table) == (2.5, "given", None)
    assert inputs.warnings == [
        "the datasheet's electrical characteristics give no threshold or RDS(on) that could "
        "be read; the model was not checked against them"
    ]


def test_a_p_channel_parts_ratings_are_magnitudes_in_the_n_channel_sense() -> None:
    table = ElectricalTable(
        Threshold(-4.0, -2.0, None, 2, "VGS(th) -2 -4 V", "text"),
        [
            OnResistance(0.1, 0.12, -10.0, -5.0, 2, "RDS(on) at -10 V", "text"),
            OnResistance(0.15, 0.2, -4.5, -3.0, 2, "RDS(on) at -4.5 V", "text"),
        ],
    )
    ratings = table_ratings(table, pchan=True)
    assert ratings is not None
    assert (ratings.threshold_low_v, ratings.threshold_high_v) == (2.0, 4.0)
    assert (ratings.rdson_vgs_v, ratings.rdson_id_a, ratings.rdson_max_ohm) == (10.0, 5.0, 0.12)
    assert [(c.vgs_v, c.id_a) for c in ratings.rdson_conditions] == [(10.0, 5.0), (4.5, 3.0)]


def test_a_graph_against_tj_takes_its_unstated_vgs_from_the_tables_row_at_its_current() -> None:
    rows = [("RDS(ON) Static drain-to-source on-state", "VGS = 0V, ID = 120mA", "- 17 25", "Ω")]
    against_tj = graph(
        "rdson_temperature", [("RDS(ON) @ ID = 120mA", [[-50.0, 0.55], [150.0, 2.4]])], y_unit=""
    )
    inputs = fit_input_from_graphs([output_graph("VGS = 0 V", "VGS = -1 V"), against_tj])
    read_datasheet_tables(table_pdf(rows), inputs)
    assert inputs.rdson_temperature[0].vgs_v == 0.0
    assert not inputs.review.needs_review
    (warning,) = [w for w in inputs.warnings if "states no VGS" in w]
    assert "VGS = 0 V read from the electrical table's RDS(on) row at the same ID = 0.12 A" in (
        warning
    )
    assert '(page 1: "RDS(ON) Static drain-to-source on-state' in warning

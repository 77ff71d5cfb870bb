"""What the fit takes from a datasheet's tables: Rth(j-c) (self-heating) and the electrical
characteristics' threshold and RDS(on) (referee and check, :mod:`graphq.spice.table_referee`).

The pages are read once (text layer, or OCR where it is unusable) for both tables. Each
value carries where it was read; what cannot be read is a warning, and the fit goes on
without it. A condition a graph leaves unstated and the table states is taken from it.
"""

from __future__ import annotations

from graphq.datasheet.electrical import ElectricalTable, OnResistance, read_electrical_table
from graphq.datasheet.thermal import read_junction_to_case, table_pages
from graphq.errors import GraphqError
from graphq.spice.inputs import FitInput, RdsonCondition, TableRatings
from graphq.spice.table_conditions import take_table_conditions


def _chosen(ratings: list[OnResistance]) -> OnResistance | None:
    """The RDS(on) rating at the highest gate drive (the part's headline condition)."""
    usable = [r for r in ratings if r.vgs_v is not None and r.id_a is not None]
    return max(usable, key=lambda r: abs(r.vgs_v or 0.0), default=None)


def table_ratings(table: ElectricalTable, pchan: bool) -> TableRatings | None:
    """The table's ratings in the N-channel sense; None where it gives none."""
    ratings = TableRatings()
    threshold = table.threshold
    if threshold is not None:
        low, high = threshold.low, threshold.high
        ratings.threshold_low_v, ratings.threshold_high_v = (-high, -low) if pchan else (low, high)
        ratings.threshold_source = _where(threshold.page, threshold.source, threshold.text)
        if threshold.current_a is not None:
            ratings.threshold_current_a = abs(threshold.current_a)
        if threshold.vds_v is not None:
            ratings.threshold_vds_v = abs(threshold.vds_v)
    rating = _chosen(table.on_resistance)
    if rating is not None:
        ratings.rdson_typical_ohm, ratings.rdson_max_ohm = rating.typical, rating.maximum
        ratings.rdson_vgs_v = abs(rating.vgs_v or 0.0) if pchan else rating.vgs_v
        ratings.rdson_id_a = abs(rating.id_a or 0.0)
        ratings.rdson_source = _where(rating.page, rating.source, rating.text)
        ratings.rdson_conditions = [
            RdsonCondition(
                abs(r.vgs_v) if pchan else r.vgs_v,
                abs(r.id_a),
                _where(r.page, r.source, r.text),
            )
            for r in table.on_resistance
            if r.vgs_v is not None and r.id_a is not None
        ]
    return ratings if threshold is not None or rating is not None else None


def _where(page: int, source: str, text: str) -> str:
    return f'{"OCR of " if source == "ocr" else ""}page {page}: "{" ".join(text.split())}"'


def read_datasheet_tables(pdf: bytes, inputs: FitInput) -> None:
    """Set ``inputs``' Rth(j-c) (unless one was given) and table ratings from ``pdf``."""
    try:
        pages = table_pages(pdf)
    except GraphqError as exc:
        inputs.warnings.append(f"the datasheet's tables could not be read: {exc.message}")
        return
    if inputs.rthjc_k_per_w is None:
        thermal = read_junction_to_case(pdf, pages=pages)
        if thermal is None:
            inputs.warnings.append(
                "the datasheet gives no junction-to-case thermal resistance that could be "
                "read; self-heating was not fitted"
            )
        else:
            inputs.rthjc_k_per_w = thermal.k_per_w
            inputs.rthjc_source = f"read from the datasheet ({thermal.describe()})"
    take_table(read_electrical_table(pdf, pages=pages), inputs)


def take_table(table: ElectricalTable, inputs: FitInput) -> None:
    """Set ``inputs``' table ratings from ``table``, and the conditions its graphs leave
    unstated that the table states (:mod:`graphq.spice.table_conditions`)."""
    inputs.table = table_ratings(table, inputs.pchan)
    if inputs.table is None:
        inputs.warnings.append(
            "the datasheet's electrical characteristics give no threshold or RDS(on) that "
            "could be read; the model was not checked against them"
        )
    take_table_conditions(inputs)

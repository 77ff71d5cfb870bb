"""An Rds(on)-against-Tj curve's unstated VGS read from the electrical table's RDS(on) row at
the same current; the assumption stays, with its reason, wherever the table does not settle
it."""

from __future__ import annotations

from graphq.review import ReviewReason
from graphq.spice import FitInput, fit_input_from_graphs
from graphq.spice.inputs import RdsonCondition, TableRatings
from graphq.spice.table_conditions import take_table_conditions

from .test_graphs import graph, output_graph

ROW = 'page 2: "RDS(ON) Static drain-to-source on-state 17 25 Ω VGS = 0V, ID = 120mA"'


def _inputs(label: str) -> FitInput:
    """A depletion part's graphs: its Rds(on) against Tj drawn with ``label`` and no VGS."""
    against_tj = graph(
        "rdson_temperature", [(label, [[-50.0, 0.55], [25.0, 1.0], [150.0, 2.4]])], y_unit=""
    )
    return fit_input_from_graphs([output_graph("VGS = 0 V", "VGS = -1 V"), against_tj])


def _assumed(inputs: FitInput) -> list[str]:
    return [n.message for n in inputs.review.reasons if n.code == ReviewReason.CONDITION_ASSUMED]


def _table(*rows: tuple[float, float]) -> TableRatings:
    return TableRatings(
        rdson_typical_ohm=17.0,
        rdson_max_ohm=25.0,
        rdson_vgs_v=rows[0][0],
        rdson_id_a=rows[0][1],
        rdson_source=ROW,
        rdson_conditions=[RdsonCondition(vgs, current, ROW) for vgs, current in rows],
    )


def test_the_tables_vgs_at_the_same_current_replaces_the_assumed_one_and_says_so() -> None:
    inputs = _inputs("RDS(ON) @ ID = 120mA")
    assert inputs.rdson_temperature[0].vgs_v == 10.0 and len(_assumed(inputs)) == 1
    inputs.table = _table((0.0, 0.12))
    take_table_conditions(inputs)
    (curve,) = inputs.rdson_temperature
    assert (curve.vgs_v, curve.id_a, curve.vgs_stated) == (0.0, 0.12, True)
    assert not inputs.review.needs_review
    (warning,) = inputs.warnings
    assert warning.startswith("Rds(on)-against-Tj curve 'RDS(ON) @ ID = 120mA'")
    assert "VGS = 0 V read from the electrical table's RDS(on) row at the same ID = 0.12 A" in (
        warning
    )
    assert ROW in warning


def test_a_table_rating_another_current_leaves_the_assumption_for_review() -> None:
    inputs = _inputs("RDS(ON) @ ID = 120mA")
    inputs.table = _table((0.0, 0.5))
    take_table_conditions(inputs)
    assert inputs.rdson_temperature[0].vgs_v == 10.0
    (message,) = _assumed(inputs)
    assert "states no VGS; assumed 10 V" in message
    assert not inputs.warnings


def test_two_gate_voltages_rated_at_the_curves_current_leave_the_assumption() -> None:
    inputs = _inputs("RDS(ON) @ ID = 120mA")
    inputs.table = _table((4.5, 0.12), (10.0, 0.12))
    take_table_conditions(inputs)
    assert inputs.rdson_temperature[0].vgs_v == 10.0 and len(_assumed(inputs)) == 1


def test_a_curve_that_states_no_current_is_not_matched_to_any_row() -> None:
    inputs = _inputs("")
    inputs.table = _table((0.0, 0.12))
    take_table_conditions(inputs)
    assert inputs.rdson_temperature[0].vgs_v == 10.0
    assert len(_assumed(inputs)) == 2 and not inputs.warnings


def test_a_stated_vgs_is_kept_whatever_the_table_rates() -> None:
    inputs = _inputs("RDS(ON) @ VGS = 5V, ID = 120mA")
    inputs.table = _table((0.0, 0.12))
    take_table_conditions(inputs)
    assert inputs.rdson_temperature[0].vgs_v == 5.0
    assert not inputs.review.needs_review and not inputs.warnings

"""The datasheet's electrical table referees graphs that contradict each other, and checks
the fitted model."""

from __future__ import annotations

import numpy as np

from graphq.review import ReviewReason
from graphq.spice.curves import CurveData
from graphq.spice.inputs import AxisScale, TableRatings
from graphq.spice.table_referee import contradicted_graphs, implied_threshold, referee, table_check
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

AMPS = AxisScale(log=False, low=0.0, high=2.0)
KP = 0.5
TABLE = TableRatings(threshold_low_v=2.0, threshold_high_v=4.0, threshold_source="page 2: VGS(th)")


def square_law(vgs: np.ndarray | float, vto: float) -> np.ndarray:
    return 0.5 * KP * np.maximum(np.asarray(vgs) - vto, 0.0) ** 2


def output_graph(vto: float) -> list[CurveData]:
    vds = np.linspace(0.0, 20.0, 41)
    return [
        CurveData("output", f"VGS = {g:g} V", g, vds, square_law(g, vto) * np.tanh(vds), AMPS,
                  graph="output graph, page 3")
        for g in (4.0, 5.0, 6.0)
    ]  # fmt: skip


def transfer_graph(vto: float) -> list[CurveData]:
    vgs = np.linspace(0.0, 7.0, 57)
    curve = CurveData("transfer", "VDS = 20 V", 20.0, vgs, square_law(vgs, vto), AMPS,
                      graph="transfer graph, page 3")  # fmt: skip
    return [curve]


def test_each_graph_implies_the_threshold_it_was_drawn_with() -> None:
    assert abs(implied_threshold(output_graph(3.0)) - 3.0) < 0.05
    assert abs(implied_threshold(transfer_graph(1.0)) - 1.0) < 0.05


def test_the_graph_the_table_contradicts_counts_less_and_is_named() -> None:
    curves = output_graph(3.0) + transfer_graph(1.0)
    weighted, review = referee(curves, TABLE)
    assert [c.weight for c in weighted] == [1.0, 1.0, 1.0, 0.2]
    (note,) = review.reasons
    assert note.code == ReviewReason.GRAPHS_DISAGREE
    assert note.message.startswith("the transfer graph, page 3 implies a threshold of 1 V")
    assert "2 … 4 V (page 2: VGS(th))" in note.message


def test_without_a_table_or_a_contradiction_every_graph_keeps_its_weight() -> None:
    contradicting = output_graph(3.0) + transfer_graph(1.0)
    assert contradicted_graphs(contradicting, None) == {}
    agreeing = output_graph(3.0) + transfer_graph(3.0)
    weighted, review = referee(agreeing, TABLE)
    assert all(c.weight == 1.0 for c in weighted) and not review.needs_review


def test_graphs_both_near_the_tables_range_are_not_judged() -> None:
    # 4.3 V and 3 V: both within a clear margin of 2 … 4 V; the table cannot tell.
    curves = output_graph(3.0) + transfer_graph(4.3)
    assert contradicted_graphs(curves, TABLE) == {}


def test_a_model_outside_the_tables_threshold_and_rdson_needs_review() -> None:
    params = {"vto": 3.0, "kp": KP, "rd": 0.1, "rs": 0.02, "lambda": 0.0}
    vgs, current = np.array([10.0]), np.array([1.0])
    rdson = float(VDMOS_EQUATIONS.on_resistance(params, vgs, current)[0])
    rated = TableRatings(
        threshold_low_v=2.0,
        threshold_high_v=4.0,
        rdson_typical_ohm=rdson,
        rdson_max_ohm=1.2 * rdson,
        rdson_vgs_v=10.0,
        rdson_id_a=1.0,
        threshold_source="page 2",
    )
    assert not table_check(params, VDMOS_EQUATIONS, rated).needs_review
    off = table_check({**params, "vto": 5.0}, VDMOS_EQUATIONS, rated).reasons
    assert [n.code for n in off] == [ReviewReason.PARAMETER_AGAINST_DEVICE]
    assert "vto = 5 V lies outside the datasheet table's threshold 2 … 4 V" in off[0].message
    high = table_check(params, VDMOS_EQUATIONS, TableRatings(
        rdson_typical_ohm=rdson / 3, rdson_max_ohm=rdson / 2, rdson_vgs_v=10.0, rdson_id_a=1.0
    )).reasons  # fmt: skip
    assert len(high) == 1 and "the model's Rds(on) at VGS = 10 V, ID = 1 A" in high[0].message


def test_an_rdson_graph_far_from_the_tables_rating_counts_less_than_the_output_graph() -> None:
    vds = np.linspace(0.0, 20.0, 81)
    # About 2 Ω at 0.1 A (Vds = atanh(0.2) ≈ 0.2 V), as the table rates it.
    top = CurveData("output", "VGS = 10 V", 10.0, vds, 0.5 * np.tanh(vds), AMPS, graph="output")
    current = np.array([0.05, 0.1, 0.2])
    rdson = CurveData("rdson", "VGS = 10 V", 10.0, current, np.full(3, 10.0),
                      AxisScale(log=False, low=0.0, high=20.0), graph="rdson graph")  # fmt: skip
    rated = TableRatings(
        rdson_typical_ohm=2.0, rdson_max_ohm=2.4, rdson_vgs_v=10.0, rdson_id_a=0.1,
        rdson_source="page 2: RDS(on)",
    )  # fmt: skip
    weighted, review = referee([top, rdson], rated)
    assert [c.weight for c in weighted] == [1.0, 0.2]
    (note,) = review.reasons
    assert note.message.startswith(
        "the rdson graph implies a Rds(on) at VGS = 10 V, ID = 0.1 A of 10 Ω"
    )

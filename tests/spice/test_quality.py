"""The quality gate after a fit: curve limits, parameters on a bound or against the device."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from graphq.jobs.spice_fit import fit_product
from graphq.review import Review, ReviewReason
from graphq.spice.curves import CurveData
from graphq.spice.inputs import AxisScale
from graphq.spice.ngspice import ngspice_available
from graphq.spice.quality import (
    LIMITS,
    combined_review,
    curve_review,
    dialect_summary,
    looks_depletion,
    parameter_review,
)
from graphq.spice.results import CurveReport, Verification

from .devices import VDMOS_DEVICES, datasheet_graphs

needs_ngspice = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")
LINEAR = AxisScale(log=False, low=0.0, high=10.0)


def output_curve(vgs: float) -> CurveData:
    x = np.linspace(0.0, 10.0, 5)
    return CurveData("output", f"VGS = {vgs:g} V", vgs, x, x, LINEAR)


def transfer_curve(vgs: np.ndarray, current: np.ndarray) -> CurveData:
    return CurveData("transfer", "VDS = 10 V", 10.0, vgs, current, LINEAR)


def codes(review: Review) -> list[ReviewReason]:
    return [note.code for note in review.reasons]


def test_a_negative_threshold_contradicts_an_enhancement_part() -> None:
    review = parameter_review(
        {"vto": -5.9},
        threshold="vto",
        at_bound=[],
        curves=[output_curve(4.5), output_curve(10.0)],
        device_type="Si-MOSFET",
    )
    assert codes(review) == [ReviewReason.PARAMETER_AGAINST_DEVICE]
    assert "vto = -5.9 V is negative" in review.reasons[0].message


def test_a_positive_threshold_contradicts_a_part_that_conducts_at_zero_gate_voltage() -> None:
    vgs = np.linspace(-3.0, 3.0, 7)
    depletion = [transfer_curve(vgs, np.maximum(vgs + 2.5, 0.0))]
    assert looks_depletion(depletion, "Si-MOSFET")
    review = parameter_review(
        {"vto": 0.5}, threshold="vto", at_bound=[], curves=depletion, device_type="Si-MOSFET"
    )
    assert codes(review) == [ReviewReason.PARAMETER_AGAINST_DEVICE]


def test_thresholds_that_fit_the_device_raise_nothing() -> None:
    curves = [output_curve(4.5), output_curve(10.0)]
    assert not parameter_review(
        {"vto": 3.0}, threshold="vto", at_bound=[], curves=curves, device_type="Si-MOSFET"
    ).needs_review
    assert not parameter_review(
        {"vto": -2.5}, threshold="vto", at_bound=[], curves=curves, device_type="Depletion FET"
    ).needs_review


def test_parameters_on_a_bound_are_each_a_reason() -> None:
    review = parameter_review(
        {"vto": 3.0, "kp": 1e4, "mtriode": 5.0},
        threshold="vto",
        at_bound=["kp", "mtriode"],
        curves=[output_curve(10.0)],
        device_type="Si-MOSFET",
    )
    assert codes(review) == [ReviewReason.PARAMETER_AT_BOUND] * 2
    assert review.reasons[0].message.startswith("kp = 1e+04 ended on a bound")


def test_a_probed_bound_says_what_the_probe_found_and_an_unprobed_one_the_default() -> None:
    review = parameter_review(
        {"vto": 3.0, "kp": 1e4, "mtriode": 0.2},
        threshold="vto",
        at_bound=["kp", "mtriode"],
        curves=[output_curve(10.0)],
        device_type="Si-MOSFET",
        bound_notes={"mtriode": "the curves leave it open"},
    )
    kp, mtriode = (note.message for note in review.reasons)
    assert kp.endswith("the curves ask for more than the model gives")
    assert mtriode == (
        "mtriode = 0.2 ended on a bound of its physical range; the curves leave it open"
    )


def report(kind: str, rms: float, relative: float = 0.0) -> CurveReport:
    limit = LIMITS.capacitance_median if kind == "capacitance" else LIMITS.channel_rms
    measure = relative if kind == "capacitance" else rms
    return CurveReport(kind, "C", rms, rms, 10, relative, limit, measure <= limit)


def test_curves_beyond_their_limits_are_reasons_and_capacitances_are_judged_relatively() -> None:
    reports = [
        report("output", 0.049),
        report("transfer", 0.051),
        report("capacitance", 0.3, relative=0.09),
        report("capacitance", 0.01, relative=0.11),
    ]
    review = curve_review(reports, "in ngspice")
    assert [n.message for n in review.reasons] == [
        "transfer curve C is off by 5.1% of full scale RMS in ngspice (limit 5%)",
        "capacitance curve C is off by 11.0% median relative error in ngspice (limit 10%)",
    ]


def test_with_a_verification_the_curve_limits_are_judged_in_ngspice() -> None:
    fit_review = Review()
    fit_review.add(ReviewReason.CURVE_REJECTED, "curve 4 was left out")
    fit_review.add(ReviewReason.FIT_BEYOND_LIMITS, "as fitted")
    simulated = [report("transfer", 0.06)]
    verification = Verification(
        "ngspice", simulated, 0.06, review=curve_review(simulated, "in ngspice")
    )
    combined = combined_review(fit_review, verification)
    assert [n.message for n in combined.reasons] == [
        "curve 4 was left out",
        "transfer curve C is off by 6.0% of full scale RMS in ngspice (limit 5%)",
    ]
    assert combined_review(fit_review, None) is fit_review


def test_a_curve_another_dialect_meets_is_advice_to_use_that_dialect() -> None:
    card = [report("output", 0.02), report("capacitance", 0.3, relative=0.5)]
    subcircuit = [report("output", 0.02), report("capacitance", 0.01, relative=0.06)]
    review = curve_review(card, "in ngspice", {"pspice": subcircuit})
    assert [n.code for n in review.reasons] == [ReviewReason.USE_OTHER_DIALECT]
    assert review.reasons[0].message.startswith(
        "use the pspice subcircuit (model.lib?dialect=pspice, graphq fit --dialect pspice) "
        "for capacitance curves: capacitance curve C is off by 6.0% median relative error "
        "with it in ngspice, by 50.0% median relative error with the VDMOS card (model.lib)"
    )


def test_a_miss_no_dialect_meets_stays_beyond_limits_and_curves_pair_by_position() -> None:
    # Two graphs of one kind may hold curves of the same name; each pairs with its own.
    card = [report("output", 0.2), report("output", 0.09)]
    subcircuit = [report("output", 0.01), report("output", 0.09)]
    review = curve_review(card, "in ngspice", {"pspice": subcircuit})
    assert [n.code for n in review.reasons] == [
        ReviewReason.USE_OTHER_DIALECT,
        ReviewReason.FIT_BEYOND_LIMITS,
    ]


def test_combined_review_takes_the_dialects_simulated_in_ngspice() -> None:
    card = [report("capacitance", 0.3, relative=0.5)]
    verification = Verification("ngspice", card, 0.3, review=curve_review(card, "in ngspice"))
    meets = [report("capacitance", 0.01, relative=0.04)]
    dialect = Verification("ngspice", meets, 0.01, dialect="pspice")
    combined = combined_review(Review(), verification, {"pspice": dialect, "other": None})
    assert [n.code for n in combined.reasons] == [ReviewReason.USE_OTHER_DIALECT]


def test_the_dialect_summary_says_which_dialect_meets_which_target() -> None:
    summary = dialect_summary(
        {
            "vdmos": [report("output", 0.039), report("capacitance", 0.1, relative=0.5)],
            "pspice": [report("output", 0.039), report("capacitance", 0.1, relative=0.06)],
        }
    )
    assert summary == (
        "vdmos: output 3.9% ok, capacitance 50.0% beyond 10%; "
        "pspice: output 3.9% ok, capacitance 6.0% ok"
    )


def payload(graphs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"graphs": graphs, "device_type": "Si-MOSFET", "model_type": "vdmos", "name": "T"}


@needs_ngspice
def test_exact_curves_of_a_known_device_pass_the_gate() -> None:
    output = fit_product(payload(datasheet_graphs(VDMOS_DEVICES[2].datasheet())), print)
    assert output.fit["review"]["reasons"] == []


@needs_ngspice
def test_mislabelled_output_curves_end_in_review_with_the_curves_that_miss() -> None:
    graphs = datasheet_graphs(VDMOS_DEVICES[2].datasheet())
    curves = graphs[0]["curves"]
    for curve, label in zip(curves, reversed([c["label"] for c in curves]), strict=True):
        curve["label"] = label
    output = fit_product(payload(graphs), lambda fraction, step: None)
    reasons = output.fit["review"]["reasons"]
    beyond = [r["message"] for r in reasons if r["code"] == "fit_beyond_limits"]
    assert any("output curve VGS = 4 V" in m and "in ngspice" in m for m in beyond), reasons


@needs_ngspice
def test_an_unlabelled_curve_in_the_transfer_graph_is_left_out_and_reported() -> None:
    """The curve that once came out as vto = -5.9 V for an enhancement part: note text
    read as a fourth curve without a label."""
    graphs = datasheet_graphs(VDMOS_DEVICES[2].datasheet())
    transfer = graphs[1]
    stray = [[x, 0.5] for x in np.linspace(0.0, 10.0, 20)]
    transfer["curves"].append({"label": "curve 4", "value": 4.0, "points": stray})
    output = fit_product(payload(graphs), lambda fraction, step: None)
    assert output.fit["parameters"]["vto"] == pytest.approx(2.5, abs=0.05)
    (reason,) = output.fit["review"]["reasons"]
    assert reason["code"] == "curve_rejected"
    assert "'curve 4'" in reason["message"]

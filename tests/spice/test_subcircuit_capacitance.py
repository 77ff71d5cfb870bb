"""The subcircuit's stepped capacitances: a superjunction part, simulated through a written
subcircuit in ngspice, is fitted back; the card cannot make its step, the subcircuit can, and
the review says to use the subcircuit for capacitances."""

from __future__ import annotations

import pytest

from graphq.review import ReviewReason
from graphq.spice import FitInput, SpiceFit, fit_model, verify_with_ngspice
from graphq.spice.curves import curve_table
from graphq.spice.ngspice import ngspice_available
from graphq.spice.quality import LIMITS, combined_review
from graphq.spice.results import CurveReport
from graphq.spice.subcircuit_capacitance import SteppedCapacitanceSettings, stepped_capacitances

from .devices import SUPERJUNCTION_DEVICE, VDMOS_DEVICES

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")


Fitted = tuple[FitInput, SpiceFit]


@pytest.fixture(scope="module")
def superjunction() -> Fitted:
    truth = SUPERJUNCTION_DEVICE.datasheet()
    return truth, fit_model(truth, model_type="vdmos", name="SJ")


def _capacitance_errors(reports: list[CurveReport]) -> dict[str, float]:
    return {r.name: r.median_relative_error for r in reports if r.graph_type == "capacitance"}


def test_a_stepped_part_gets_logistic_capacitances_in_its_subcircuit(superjunction: Fitted) -> None:
    _, fit = superjunction
    stepped = fit.dialect_parameters["pspice"]
    assert stepped["vgd1"] == pytest.approx(4.0, abs=0.5) or stepped["vgd2"] == pytest.approx(
        4.0, abs=0.5
    )
    assert "EQGD" in fit.dialects["pspice"] and "EQDS" in fit.dialects["pspice"]
    # The card keeps its own shapes, and misses the step.
    assert "cgd0" not in fit.model_text
    assert max(_capacitance_errors(fit.report).values()) > LIMITS.capacitance_median
    assert max(_capacitance_errors(fit.dialect_report["pspice"]).values()) <= 0.05


def test_the_written_subcircuit_meets_the_capacitance_limit_in_ngspice(
    superjunction: Fitted,
) -> None:
    truth, fit = superjunction
    card = verify_with_ngspice(fit, truth)
    subcircuit = verify_with_ngspice(fit, truth, "pspice")
    assert card is not None and subcircuit is not None
    assert max(_capacitance_errors(card.report).values()) > LIMITS.capacitance_median
    assert max(_capacitance_errors(subcircuit.report).values()) <= 0.05
    # The channel is the card's: the subcircuit draws the same output and transfer curves.
    for report in subcircuit.report:
        if report.graph_type != "capacitance":
            assert report.within_limit, report
    review = combined_review(fit.review, card, {"pspice": subcircuit})
    codes = [note.code for note in review.reasons]
    assert ReviewReason.USE_OTHER_DIALECT in codes
    assert ReviewReason.FIT_BEYOND_LIMITS not in codes
    advice = [n.message for n in review.reasons if n.code == ReviewReason.USE_OTHER_DIALECT]
    assert all(m.startswith("use the pspice subcircuit (model.lib?dialect=pspice") for m in advice)


def test_capacitances_the_card_follows_stay_the_cards() -> None:
    device = next(d for d in VDMOS_DEVICES if d.name == "trench")
    assert stepped_capacitances(curve_table(device.datasheet()), device.params) is None


def test_the_card_stays_unless_it_misses_and_the_sums_are_clearly_better(
    superjunction: Fitted,
) -> None:
    truth, fit = superjunction
    curves = curve_table(truth)
    assert stepped_capacitances(curves, fit.parameters) is not None
    lenient = SteppedCapacitanceSettings(card_beyond=1.0)
    assert stepped_capacitances(curves, fit.parameters, lenient) is None
    # Asked to bring the error to nothing at all, the sums are not clearly better.
    demanding = SteppedCapacitanceSettings(improvement=0.0)
    assert stepped_capacitances(curves, fit.parameters, demanding) is None

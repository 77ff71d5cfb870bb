"""The quality gate after a fit: limits per curve, and parameters the device contradicts.

A fitted model completes as ``needs_review`` (it is still written and stored) when a curve is
off by more than its limit, when a parameter ended on a bound of its physical range, or when
a parameter contradicts the device its curves show (a threshold below zero for a part whose
curves all need a positive gate voltage). The curve limits are judged on the written model
simulated by ngspice where it is installed (:func:`combined_review`), else on the fitted
equations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphq.review import Review, ReviewReason
from graphq.spice.curves import CurveData
from graphq.spice.inputs import is_depletion_device_type
from graphq.spice.results import CurveReport, Verification


@dataclass(frozen=True)
class QualityLimits:
    """What a fitted curve may be off by before the model needs a person's look."""

    # Output, transfer, Rds(on) and diode curves: RMS error as a fraction of full scale (of
    # the decades shown on a log axis). A datasheet reader sees a 5 % miss at a glance.
    channel_rms: float = 0.05
    # Capacitances: median relative error; the curves are read on log axes of 2–4 decades
    # and Cgd's tanh/atan shape follows a real Crss only to within several per cent.
    capacitance_median: float = 0.10
    # A depletion part's curves conduct at Vgs ≤ 0; an enhancement part's transfer curve is
    # below this fraction of its peak current at Vgs = 0.
    conducting_fraction: float = 0.01


LIMITS = QualityLimits()


def curve_limit(kind: str, limits: QualityLimits = LIMITS) -> float:
    return limits.capacitance_median if kind == "capacitance" else limits.channel_rms


def curve_measure(report: CurveReport) -> float:
    """The number a curve's limit is compared with."""
    if report.graph_type == "capacitance":
        return report.median_relative_error
    return report.rms_error


def _curve_message(report: CurveReport, where: str) -> str:
    if report.graph_type == "capacitance":
        off = f"{report.median_relative_error:.1%} median relative error"
    else:
        off = f"{report.rms_error:.1%} of full scale RMS"
    return (
        f"{report.graph_type} curve {report.name} is off by {off} {where} "
        f"(limit {report.limit:.0%})"
    )


def curve_review(reports: Iterable[CurveReport], where: str) -> Review:
    """``fit_beyond_limits`` for each curve beyond its limit; ``where`` says which model
    was compared (``"in the fitted equations"``, ``"in ngspice"``)."""
    review = Review()
    for report in reports:
        if not report.within_limit:
            review.add(ReviewReason.FIT_BEYOND_LIMITS, _curve_message(report, where))
    return review


def combined_review(fit_review: Review, verification: Verification | None) -> Review:
    """The fit's reasons, with its curve limits judged in ngspice when it ran: the written
    file is what a user simulates."""
    if verification is None:
        return fit_review
    combined = Review()
    for note in fit_review.reasons:
        if note.code != ReviewReason.FIT_BEYOND_LIMITS:
            combined.add(note.code, note.message)
    combined.extend(verification.review)
    return combined


def looks_depletion(curves: Iterable[CurveData], device_type: str) -> bool:
    """Whether the part conducts at Vgs ≤ 0 (N-channel sense): so named, an output curve
    drawn at such a gate voltage, or a transfer curve conducting there."""
    if is_depletion_device_type(device_type):
        return True
    for curve in curves:
        if curve.kind == "output" and curve.condition <= 0.0:
            return True
        if curve.kind == "transfer" and curve.y.size:
            conducting = curve.y >= LIMITS.conducting_fraction * float(curve.y.max())
            if bool((conducting & (curve.x <= 0.0)).any()):
                return True
    return False


def parameter_review(
    params: Mapping[str, float],
    *,
    threshold: str,
    at_bound: Iterable[str],
    curves: Iterable[CurveData],
    device_type: str,
) -> Review:
    """Reasons against the fitted ``params`` (N-channel sense): parameters on a bound of
    their range, and a threshold (``threshold`` names it) of the wrong sign for the part."""
    review = Review()
    for name in at_bound:
        review.add(
            ReviewReason.PARAMETER_AT_BOUND,
            f"{name} = {params[name]:.4g} ended on a bound of its physical range; "
            "the curves ask for more than the model gives",
        )
    depletion = looks_depletion(curves, device_type)
    value = params[threshold]
    if depletion and value > 0.0:
        review.add(
            ReviewReason.PARAMETER_AGAINST_DEVICE,
            f"{threshold} = {value:.3g} V is positive, but the part conducts at VGS ≤ 0 "
            "(depletion mode)",
        )
    elif not depletion and value < 0.0:
        review.add(
            ReviewReason.PARAMETER_AGAINST_DEVICE,
            f"{threshold} = {value:.3g} V is negative, but no curve of this enhancement part "
            "conducts at VGS ≤ 0",
        )
    return review

"""The quality gate after a fit: limits per curve, and parameters the device contradicts.

A fitted model completes as ``needs_review`` (it is still written and stored) when a curve is
off by more than its limit, when a parameter ended on a bound of its physical range, or when
a parameter contradicts the device its curves show (a threshold below zero for a part whose
curves all need a positive gate voltage). The curve limits are judged on the written model
simulated by ngspice where it is installed (:func:`combined_review`), else on the fitted
equations. A curve the model file misses but another dialect of the model meets (the
PSpice-style subcircuit's stepped capacitances) is named as advice to use that dialect,
``use_other_dialect``, not as a plain ``fit_beyond_limits``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graphq.review import Review, ReviewReason
from graphq.spice.bound_probe import ASK_FOR_MORE
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

# What each dialect is and where a user gets it, for advice naming one.
DIALECT_NAMES = {
    "vdmos": "VDMOS card (model.lib)",
    "pspice": "pspice subcircuit (model.lib?dialect=pspice, graphq fit --dialect pspice)",
}


def curve_limit(kind: str, limits: QualityLimits = LIMITS) -> float:
    return limits.capacitance_median if kind == "capacitance" else limits.channel_rms


def curve_measure(report: CurveReport) -> float:
    """The number a curve's limit is compared with."""
    if report.graph_type == "capacitance":
        return report.median_relative_error
    return report.rms_error


def _off_by(report: CurveReport) -> str:
    if report.graph_type == "capacitance":
        return f"{report.median_relative_error:.1%} median relative error"
    return f"{report.rms_error:.1%} of full scale RMS"


def _curve(report: CurveReport) -> str:
    """``output curve VGS = 5 V of the output graph, page 3``: the curve and its graph."""
    what = f"{report.graph_type} curve {report.name}"
    return f"{what} of the {report.graph}" if report.graph and report.graph not in what else what


def _curve_message(report: CurveReport, where: str) -> str:
    return f"{_curve(report)} is off by {_off_by(report)} {where} (limit {report.limit:.0%})"


def _keyed(reports: Iterable[CurveReport]) -> list[tuple[tuple[str, str, int], CurveReport]]:
    """Each report keyed by its graph type, name and how many before it share both: two
    graphs of one kind can hold curves of the same name (output and saturation graphs)."""
    seen: dict[tuple[str, str], int] = {}
    keyed = []
    for report in reports:
        name = (report.graph_type, report.name)
        seen[name] = seen.get(name, -1) + 1
        keyed.append(((*name, seen[name]), report))
    return keyed


def curve_review(
    reports: Iterable[CurveReport],
    where: str,
    alternatives: Mapping[str, Sequence[CurveReport]] | None = None,
    chosen: str = "vdmos",
) -> Review:
    """``fit_beyond_limits`` for each curve beyond its limit; ``where`` says which model
    was compared (``"in the fitted equations"``, ``"in ngspice"``). A curve that one of the
    ``alternatives`` (other dialects' reports of the same curves, in the same order, by
    dialect) meets is ``use_other_dialect`` instead, naming the dialect that meets it (and
    how to get it), the ``chosen`` one that misses it, and both errors."""
    others = {dialect: dict(_keyed(members)) for dialect, members in (alternatives or {}).items()}
    review = Review()
    for key, report in _keyed(reports):
        if report.within_limit:
            continue
        meeting = [
            (dialect, by_key[key])
            for dialect, by_key in others.items()
            if key in by_key and by_key[key].within_limit
        ]
        if not meeting:
            review.add(ReviewReason.FIT_BEYOND_LIMITS, _curve_message(report, where))
            continue
        dialect, other = meeting[0]
        review.add(
            ReviewReason.USE_OTHER_DIALECT,
            f"use the {DIALECT_NAMES.get(dialect, dialect)} for {report.graph_type} curves: "
            f"{_curve(report)} is off by {_off_by(other)} with it {where}, by "
            f"{_off_by(report)} with the {DIALECT_NAMES.get(chosen, chosen)} "
            f"(limit {report.limit:.0%})",
        )
    return review


def combined_review(
    fit_review: Review,
    verification: Verification | None,
    dialects: Mapping[str, Verification | None] | None = None,
) -> Review:
    """The fit's reasons, with its curve limits judged in ngspice when it ran: the written
    file is what a user simulates. ``dialects`` (the other dialects' texts simulated in
    ngspice, by dialect) turn a curve one of them meets into advice to use it."""
    if verification is None:
        return fit_review
    curve_codes = (ReviewReason.FIT_BEYOND_LIMITS, ReviewReason.USE_OTHER_DIALECT)
    combined = Review()
    for note in [*fit_review.reasons, *verification.review.reasons]:
        if note.code not in curve_codes:
            combined.add(note.code, note.message)
    alternatives = {
        name: other.report for name, other in (dialects or {}).items() if other is not None
    }
    combined.extend(
        curve_review(verification.report, "in ngspice", alternatives, verification.dialect)
    )
    return combined


def worst_by_kind(reports: Iterable[CurveReport]) -> dict[str, CurveReport]:
    """Each graph kind's worst curve, by the measure its limit applies to."""
    worst: dict[str, CurveReport] = {}
    for report in reports:
        known = worst.get(report.graph_type)
        if known is None or curve_measure(report) > curve_measure(known):
            worst[report.graph_type] = report
    return worst


def dialect_summary(reports: Mapping[str, Sequence[CurveReport]]) -> str:
    """Which dialect meets which target: ``"vdmos: output 3.9 % ok, capacitance 50.0 %
    beyond 10 %; pspice: output 3.9 % ok, capacitance 5.9 % ok"`` (each kind's worst curve;
    capacitances by their median relative error)."""
    parts = []
    for dialect, members in reports.items():
        kinds = []
        for kind, report in worst_by_kind(members).items():
            verdict = "ok" if report.within_limit else f"beyond {report.limit:.0%}"
            kinds.append(f"{kind} {curve_measure(report):.1%} {verdict}")
        parts.append(f"{dialect}: {', '.join(kinds)}")
    return "; ".join(parts)


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


def bound_review(
    params: Mapping[str, float],
    at_bound: Iterable[str],
    whose: str = "",
    notes: Mapping[str, str] | None = None,
) -> Review:
    """``parameter_at_bound`` for each of ``at_bound``; ``whose`` names the parameters'
    owner where it is not the model file (``"the pspice subcircuit's"``). ``notes`` say
    what probing the bound found (:mod:`graphq.spice.bound_probe`); unprobed, a bound hit
    reads as the curves asking for more."""
    review = Review()
    owner = f"{whose} " if whose else ""
    for name in at_bound:
        found = (notes or {}).get(name, ASK_FOR_MORE)
        review.add(
            ReviewReason.PARAMETER_AT_BOUND,
            f"{owner}{name} = {params[name]:.4g} ended on a bound of its physical range; {found}",
        )
    return review


def parameter_review(
    params: Mapping[str, float],
    *,
    threshold: str,
    at_bound: Iterable[str],
    curves: Iterable[CurveData],
    device_type: str,
    bound_notes: Mapping[str, str] | None = None,
) -> Review:
    """Reasons against the fitted ``params`` (N-channel sense): parameters on a bound of
    their range (with ``bound_notes``, see :func:`bound_review`), and a threshold
    (``threshold`` names it) of the wrong sign for the part."""
    review = bound_review(params, at_bound, notes=bound_notes)
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

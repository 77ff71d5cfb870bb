"""A curve's confidence: how often a curve read with that much evidence is right.

The tracker's evidence for a curve (the share of its columns where its ink was seen rather
than bridged, weighted towards columns where it ran alone, times how much of the plot's
width it spans next to the longest curve) is mapped to the share of such curves that were
right on the generator's tuning seeds: recovered, within 1 % of span over 90 % of their
extent. A result's doubts cap its curves' confidence, and a curve below the review
threshold marks the result for review, whatever method read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import numpy as np

from graphq.digitizer.tracks import TracedCurve
from graphq.digitizer.types import DigitizeResult
from graphq.review import ReviewReason


@dataclass(frozen=True)
class ConfidenceSettings:
    """The calibration and what follows from it."""

    # Evidence → share right, fitted on seeds 0–299 (1005 curves): evidence ≥ 0.6 was right
    # 98.4 % of the time (876 curves), 0.5–0.6 96 %, 0.4–0.5 88 %, below 0.4 half; the
    # knots sit a little under those shares so the held-out set keeps its margin.
    evidence_knots: tuple[float, ...] = (0.0, 0.35, 0.5, 0.6, 0.8, 1.0)
    confidence_knots: tuple[float, ...] = (0.2, 0.5, 0.8, 0.9, 0.96, 0.99)
    # A curve under this confidence is not to be used unchecked (SPEC §4c).
    review_below: float = 0.9
    # Doubts about the whole result cap every curve: stopped early by the CPU budget, a
    # curve may be a fragment or a duplicate; from a frame of two axis lines, every point
    # may be off by the frame's error.
    capped: tuple[tuple[ReviewReason, float], ...] = (
        (ReviewReason.BUDGET_HIT, 0.5),
        (ReviewReason.FRAME_UNCERTAIN, 0.8),
    )


CONFIDENCE = ConfidenceSettings()


def curve_confidence(
    curve: TracedCurve, longest_span: int, settings: ConfidenceSettings = CONFIDENCE
) -> float:
    """The calibrated confidence of a traced curve (see the module's docstring)."""
    seen = curve.column.size / curve.span
    lone = float((curve.shared == 1).mean())
    extent = curve.span / max(1, longest_span)
    evidence = float(np.clip(seen * (0.6 + 0.4 * lone) * (0.5 + 0.5 * extent), 0, 1))
    calibrated = np.interp(evidence, settings.evidence_knots, settings.confidence_knots)
    return round(float(calibrated), 3)


def with_doubts(
    result: DigitizeResult, settings: ConfidenceSettings = CONFIDENCE
) -> DigitizeResult:
    """The result with its curves' confidence capped by its doubts, and marked for review
    when a curve's confidence is below the threshold."""
    codes = {note.code for note in result.review.reasons}
    cap = min([limit for code, limit in settings.capped if code in codes], default=1.0)
    curves = [
        msgspec.structs.replace(curve, confidence=min(curve.confidence, cap))
        for curve in result.curves
    ]
    doubtful = [curve.label for curve in curves if curve.confidence < settings.review_below]
    if doubtful:
        result.review.add(
            ReviewReason.LOW_CONFIDENCE,
            f"confidence under {settings.review_below:g} for {', '.join(doubtful)}",
        )
    return msgspec.structs.replace(result, curves=curves)

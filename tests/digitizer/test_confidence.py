"""Confidence follows the tracking evidence, a result's doubts cap it, and a curve under the
threshold marks the result for review."""

import numpy as np

from graphq.digitizer.confidence import CONFIDENCE, curve_confidence, with_doubts
from graphq.digitizer.tracks import TracedCurve
from graphq.digitizer.types import Curve, DigitizeResult
from graphq.review import Review, ReviewReason
from tests.digitizer.curves import traced_curve


def _curve(columns: np.ndarray) -> TracedCurve:
    return traced_curve(columns, np.full(columns.size, 50.0))


def test_a_curve_seen_alone_across_the_plot_is_confident() -> None:
    whole = _curve(np.arange(400))
    assert curve_confidence(whole, 400) >= CONFIDENCE.review_below


def test_a_curve_seen_in_one_column_of_three_over_a_tenth_of_the_plot_is_not() -> None:
    sparse = _curve(np.arange(0, 40, 3))
    assert curve_confidence(sparse, 400) < curve_confidence(_curve(np.arange(40)), 400)
    assert curve_confidence(sparse, 400) < CONFIDENCE.review_below


def _result(confidence: float, *reasons: ReviewReason) -> DigitizeResult:
    review = Review()
    for code in reasons:
        review.add(code, str(code))
    curve = Curve("VGS = 10 V", 10.0, "#000000", [[0.0, 1.0], [1.0, 2.0]], confidence)
    return DigitizeResult([0.0, 0.0, 10.0, 10.0], [curve], review=review)


def test_a_confident_result_needs_no_review() -> None:
    assert not with_doubts(_result(0.97)).review.needs_review


def test_a_curve_under_the_threshold_marks_the_result_low_confidence() -> None:
    doubted = with_doubts(_result(0.85))
    assert [note.code for note in doubted.review.reasons] == [ReviewReason.LOW_CONFIDENCE]


def test_a_budget_hit_caps_every_curve_at_one_half() -> None:
    doubted = with_doubts(_result(0.97, ReviewReason.BUDGET_HIT))
    assert doubted.curves[0].confidence == 0.5
    assert ReviewReason.LOW_CONFIDENCE in {note.code for note in doubted.review.reasons}

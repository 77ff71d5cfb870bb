"""Review: where graphq could not read something with confidence, it says so.

Every result a library produces (a digitized graph, a datasheet graph, a fitted model) carries
a :class:`Review`. ``needs_review`` is true as soon as there is one reason; each reason is a
stable code from :class:`ReviewReason` plus a sentence for the user. The queue completes such
a job as usual and marks it, so monitors count it and clients filter on it; nothing guesses in
silence.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


class ReviewReason(StrEnum):
    """Why a result needs a person's look (SPEC §4c)."""

    FRAME_UNCERTAIN = "frame_uncertain"
    AXIS_UNREAD = "axis_unread"
    LABELS_BY_ORDER = "labels_by_order"
    LABEL_UNREAD = "label_unread"
    # A label read from the graph says what none of the labels the user gave says.
    LABELS_DISAGREE = "labels_disagree"
    CURVE_COUNT_DIFFERS = "curve_count_differs"
    CONDITION_ASSUMED = "condition_assumed"
    GRAPH_TYPE_UNCERTAIN = "graph_type_uncertain"
    BUDGET_HIT = "budget_hit"
    LOW_CONFIDENCE = "low_confidence"
    FIT_BEYOND_LIMITS = "fit_beyond_limits"
    # The model file misses a curve's limit that another dialect of the model meets.
    USE_OTHER_DIALECT = "use_other_dialect"
    PARAMETER_AGAINST_DEVICE = "parameter_against_device"
    PARAMETER_AT_BOUND = "parameter_at_bound"
    CURVE_REJECTED = "curve_rejected"
    GRAPHS_DISAGREE = "graphs_disagree"


class ReviewNote(msgspec.Struct, frozen=True):
    """One reason, with what exactly was doubtful."""

    code: ReviewReason
    message: str


class Review(msgspec.Struct, rename="camel"):
    """The reasons a result needs review; empty when it was read with confidence."""

    reasons: list[ReviewNote] = msgspec.field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.reasons)

    def add(self, code: ReviewReason, message: str) -> None:
        if all(note.message != message for note in self.reasons):
            self.reasons.append(ReviewNote(code, message))

    def extend(self, other: Review) -> None:
        for note in other.reasons:
            self.add(note.code, note.message)

    def to_json(self) -> dict[str, object]:
        """The shape the API, SSE events and the CLI print: ``needsReview`` and ``reasons``."""
        return {
            "needsReview": self.needs_review,
            "reasons": [{"code": str(n.code), "message": n.message} for n in self.reasons],
        }

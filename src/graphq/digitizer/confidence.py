"""A curve's confidence: how often a curve read with that much evidence is right, that is
recovered (within 1 % of span over 90 % of its extent) and carrying its own label.

Two kinds of evidence make it. The tracker's (the share of a curve's columns where its ink
was seen rather than bridged, weighted towards columns where it ran alone, times how much of
the plot's width it spans next to the longest curve) is mapped to the share of such curves
that were traced right on the generator's tuning seeds. The labels' evidence then caps it:
a curve is known to be the one a label names only when that label was read beside it, in a
label's form, and the other curves of the graph were named so too with labels that agree in
kind. On real vendor graphs a label misread by OCR, a curve named by order, a curve left
unnamed or a spurious curve among the named ones are what make a well-traced curve wrong,
and these are what the caps look at. A result's doubts (budget hit, a frame of two axis
lines, a curve count that differs or a label read but bound to no curve, labels that
disagree, an axis not read) cap every curve, and so does a plot drawn in too few pixels for
either kind of evidence to tell a curve a stroke off or a label with a digit dropped; a
curve below the review threshold marks the result for review, whatever method read it.

A caller that binds the labels itself (``GraphMeta.read_labels`` false) gets the tracking
confidence alone (and the plot size's cap): the labels are not the digitizer's to vouch for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec
import numpy as np

from graphq.digitizer.labels.naming import capacitance, capacitances_crossed
from graphq.digitizer.tracking.tracks import TracedCurve
from graphq.digitizer.types import DigitizeResult
from graphq.review import Review, ReviewReason

if TYPE_CHECKING:
    from graphq.digitizer.labels.binding import CurveLabels, LabelSource

# The forms a curve label takes on a datasheet, whole: a quantity set to a value ("VGS = 10 V",
# "Tj = 125°C", "D = 0.5"), a value with its unit ("6.5V", "-55 °C"), a name ("Ciss", a
# capacitance in capitals "CISS"), a few words ("Single pulse"), a package ("TO-220"). OCR's
# misreadings mostly fall outside them ("C55", "20Cee", "V = 2CV"), and so does a number
# with a leading zero ("Ves = 00V") and a quantity's symbol holding a digit: symbols are
# letters (V_GS, T_A, I_D), and a digit among them is a letter misread ("Vi5 = 20V" for
# V_DS, "T2 = 125°C" for T_A), which says the rest of the line may be misread too.
_NUMBER = r"[-−+]?(?:0|[1-9]\d*)(?:[.,]\d+)?"
_UNIT = r"\s*[pnuµμmkM]?(?P<unit>V|A|°C|W|Hz|s|Ω)"
_LABEL_FORMS = (
    re.compile(r"[A-Za-zθ][A-Za-z()]{0,7}\s*=\s*" + _NUMBER + f"(?:{_UNIT})?"),
    re.compile(_NUMBER + _UNIT),
    re.compile(r"[A-Z][a-z]{1,4}"),
    re.compile(r"C(?:ISS|OSS|RSS|IES|OES|RES)"),
    re.compile(r"[A-Z][a-z]{2,9}(?: [A-Za-z][a-z]{1,9}){1,2}"),
    re.compile(r"[A-Z]{1,3}-\d{2,3}[A-Z]{0,2}"),
)


@dataclass(frozen=True)
class ConfidenceSettings:
    """The calibration and what follows from it. The label caps are set from the real-raster
    benchmark's calibration half (every other graph of the development datasheets, each at
    72–300 dpi, JPEG and blurred; ``benchmarks.real_raster_accuracy --calibration``)."""

    # Evidence → share right, fitted on seeds 0–299 (1005 curves): evidence ≥ 0.6 was right
    # 98.4 % of the time (876 curves), 0.5–0.6 96 %, 0.4–0.5 88 %, below 0.4 half; the
    # knots sit a little under those shares so the held-out set keeps its margin.
    evidence_knots: tuple[float, ...] = (0.0, 0.35, 0.5, 0.6, 0.8, 1.0)
    confidence_knots: tuple[float, ...] = (0.2, 0.5, 0.8, 0.9, 0.96, 0.99)
    # A curve under this confidence is not to be used unchecked (SPEC §4c).
    review_below: float = 0.9
    # The label caps, with the share of such curves right on the calibration half before
    # (no labels given; 416 curves of 144 images). Labels bound highest first or not read
    # at all say nothing of which curve is which: 8 % of such curves were right (266), none
    # of the 2 bound by order.
    unread_cap: float = 0.3
    by_order_cap: float = 0.3
    # A lone curve may well have no label printed to read (right when traced right: 89 % of
    # 35), but may also have one that was missed.
    lone_unread_cap: float = 0.8
    # A label read but in no label's form is mostly an OCR misreading: 12 % right (40).
    misread_cap: float = 0.4
    # Where another curve of the graph is unnamed, named by order or misread, the named
    # curves are often spurious ones or bound past a missed one: 32 % right (44), against
    # 100 % (29) where every curve's label was read in a label's form.
    partly_named_cap: float = 0.7
    # Labels of one graph name one kind of thing (all voltages, all temperatures, all
    # names): a label stating another unit was read from other text (a note's "1.6W").
    mixed_kinds_cap: float = 0.8
    # Two curves carrying the same label: at least one is bound wrong.
    repeated_cap: float = 0.7
    # A curve named C_rss over one named C_iss or C_oss, by more than this many rows (a line's
    # width and its anti-aliasing), which no device draws: its tracks or labels swapped
    # (AOT1N60's capacitances at 300 dpi, swapped at their steep drop, were all three
    # bound at ≥ 0.95).
    crossed_capacitances_cap: float = 0.7
    crossing_rows: float = 3.0
    # A plot drawn in fewer columns than this (a graph rendered at 72–100 dpi) is read at the
    # edge of what its pixels hold: 1 % of its span is about two pixels, a line's width, so a
    # trace a stroke off its curve or cut short where two curves run a pixel apart passes
    # every tracking test, and its labels' glyphs are 5–8 px high, where OCR drops a digit
    # and leaves a label still in form ("5°C" for "25°C"). Of the calibration half's curves
    # on such plots that passed every other test, 5 of 6 were right (8 of 9 on the check
    # half): every curve is capped a little under the review threshold.
    small_plot_columns: int = 250
    small_plot_cap: float = 0.85
    # Doubts about the whole result cap every curve: stopped early by the CPU budget, a
    # curve may be a fragment or a duplicate; from a frame of two axis lines, every point
    # may be off by the frame's error; with a curve missed or extra against the labels (or
    # a label of the curves' kind read but bound to none, with every curve's label read: the
    # 2 such results of the calibration half, both at ≥ 0.9, each missed a curve), or a
    # label read that none given says, the binding may be shifted; an axis not read with
    # confidence moves every point.
    capped: tuple[tuple[ReviewReason, float], ...] = (
        (ReviewReason.BUDGET_HIT, 0.5),
        (ReviewReason.FRAME_UNCERTAIN, 0.8),
        (ReviewReason.CURVE_COUNT_DIFFERS, 0.8),
        (ReviewReason.LABELS_DISAGREE, 0.8),
        (ReviewReason.AXIS_UNREAD, 0.8),
    )


CONFIDENCE = ConfidenceSettings()


def curve_confidence(
    curve: TracedCurve, longest_span: int, settings: ConfidenceSettings = CONFIDENCE
) -> float:
    """The tracking confidence of a traced curve (see the module's docstring)."""
    seen = curve.column.size / curve.span
    lone = float((curve.shared == 1).mean())
    extent = curve.span / max(1, longest_span)
    evidence = float(np.clip(seen * (0.6 + 0.4 * lone) * (0.5 + 0.5 * extent), 0, 1))
    calibrated = np.interp(evidence, settings.evidence_knots, settings.confidence_knots)
    return round(float(calibrated), 3)


def is_label_form(text: str) -> bool:
    """Whether ``text`` is whole in one of the forms a curve label takes."""
    return any(form.fullmatch(text.strip()) for form in _LABEL_FORMS)


def curve_confidences(
    curves: list[TracedCurve],
    named: CurveLabels,
    *,
    given: bool,
    vouch_for_labels: bool = True,
    plot_columns: int | None = None,
    settings: ConfidenceSettings = CONFIDENCE,
) -> tuple[list[float], Review]:
    """Per curve (``named`` in the same order) its confidence: the tracking's, capped by its
    label's evidence unless the caller binds the labels itself (``vouch_for_labels``
    false) and by the plot's size in pixels (``plot_columns``, when known); ``given`` when
    the user gave the labels. Also what made a cap."""
    longest = max((c.span for c in curves), default=1)
    tracked = [curve_confidence(curve, longest, settings) for curve in curves]
    review = Review()
    if plot_columns is not None and plot_columns < settings.small_plot_columns:
        tracked = [min(t, settings.small_plot_cap) for t in tracked]
        review.add(
            ReviewReason.LOW_CONFIDENCE,
            f"the plot is {plot_columns} px wide: a curve a stroke off or a digit dropped from "
            "its label passes every check at that size",
        )
    if not vouch_for_labels:
        return tracked, review
    caps, doubts = label_caps(named.labels, named.sources, given=given, settings=settings)
    review.extend(doubts)
    tracks = [(curve.column, curve.middle) for curve in curves]
    if capacitances_crossed(named.labels, tracks, settings.crossing_rows):
        caps = [
            min(cap, settings.crossed_capacitances_cap) if capacitance(label) else cap
            for cap, label in zip(caps, named.labels, strict=True)
        ]
        review.add(
            ReviewReason.LOW_CONFIDENCE,
            "the reverse transfer capacitance's curve stands over the input or output "
            "capacitance's: the curves swapped where they met, or their labels did",
        )
    # Where a curve is unnamed or named by order its label caps it already, and a text left
    # over says nothing new (most are notes: "Notes", "Single Pulse").
    from graphq.digitizer.labels.binding import LabelSource

    read = all(source == LabelSource.READ for source in named.sources)
    missed = unbound_labels(named.labels, named.texts) if read and not given else []
    if missed:
        review.add(
            ReviewReason.CURVE_COUNT_DIFFERS,
            f"label {', '.join(map(repr, missed))} read but bound to no curve: "
            "its curve may be missed",
        )
    return [min(t, cap) for t, cap in zip(tracked, caps, strict=True)], review


def label_caps(
    labels: list[str],
    sources: list[LabelSource],
    *,
    given: bool,
    settings: ConfidenceSettings = CONFIDENCE,
) -> tuple[list[float], Review]:
    """Per curve the most its label's evidence lets its confidence be, and what of the
    labels made a cap (see :class:`ConfidenceSettings`). ``given``: the labels are the
    user's spelling, bound by reading, and their form says nothing."""
    # Imported here: label binding uses the datasheet reader, whose package imports the
    # digitizer.
    from graphq.digitizer.labels.binding import LabelSource, same_label

    review = Review()
    count = len(labels)
    # The one label given for the one curve found is no guess.
    sole_given = given and count == 1
    caps = [1.0] * count
    for index, (label, source) in enumerate(zip(labels, sources, strict=True)):
        if source == LabelSource.UNREAD:
            caps[index] = settings.lone_unread_cap if count == 1 else settings.unread_cap
            if count == 1:  # (the binder names unread curves among several)
                review.add(ReviewReason.LABEL_UNREAD, "the graph's one curve has no label read")
        elif source == LabelSource.ORDER and not sole_given:
            caps[index] = settings.by_order_cap
        elif source == LabelSource.DOUBTED:
            caps[index] = settings.partly_named_cap
        elif source == LabelSource.READ and not given and not is_label_form(label):
            caps[index] = settings.misread_cap
            review.add(
                ReviewReason.LOW_CONFIDENCE,
                f"the label read for a curve, {label!r}, is in no curve label's form",
            )
    # A doubt about one curve's label caps the others' too.
    doubted = [cap < 1.0 for cap in caps]
    others = [sum(doubted) - own for own in doubted]
    caps = [
        min(cap, settings.partly_named_cap) if other else cap
        for cap, other in zip(caps, others, strict=True)
    ]
    named = not any(doubted)
    kinds = {_kind(label) for label in labels}
    if named and not given and len(kinds) > 1:
        caps = [min(cap, settings.mixed_kinds_cap) for cap in caps]
        review.add(
            ReviewReason.LOW_CONFIDENCE,
            f"the labels read name different kinds of thing ({', '.join(map(repr, labels))})",
        )
    for index, label in enumerate(labels):
        if any(same_label(label, other) for k, other in enumerate(labels) if k != index):
            caps[index] = min(caps[index], settings.repeated_cap)
            review.add(ReviewReason.LOW_CONFIDENCE, f"two curves carry the label {label!r}")
    return caps, review


def unbound_labels(labels: list[str], texts: list[str]) -> list[str]:
    """The texts read in and around the plot that are labels of the kind every curve's label
    is (all capacitances, all voltages) but the label of none: the label of a curve the
    tracker missed ("CRSS" read beside "CISS" and "COSS", two curves found)."""
    from graphq.digitizer.labels.binding import same_label

    kinds = {_kind(label) for label in labels}
    if len(kinds) != 1:
        return []
    return [
        text
        for text in dict.fromkeys(texts)
        if is_label_form(text)
        and _kind(text) in kinds
        and not any(same_label(text, label) for label in labels)
    ]


def _kind(label: str) -> str:
    """What a label names: the unit it states ("V", "°C"), "F" for a capacitance ("Ciss"),
    "" for another name or a package (whose "243A" in "TO-243AA" is no current)."""
    if capacitance(label) is not None:
        return "F"
    match = re.search(r"(?<![A-Za-z0-9])" + _NUMBER + _UNIT + r"(?![A-Za-z])", label)
    return match.group("unit") if match else ""


def with_doubts(
    result: DigitizeResult, settings: ConfidenceSettings = CONFIDENCE
) -> DigitizeResult:
    """The result with its curves' confidence capped by its doubts, and marked for review
    when a curve's confidence is below the threshold."""
    cap = _result_cap(result.review, settings)
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


def result_confidence(result: DigitizeResult, settings: ConfidenceSettings = CONFIDENCE) -> float:
    """The confidence of a whole result: right only when every curve is, so its least sure
    curve's, capped by the result's doubts (those a caller added after digitizing too, an
    axis read by OCR); 0 without curves."""
    if not result.curves:
        return 0.0
    least = min(curve.confidence for curve in result.curves)
    return min(least, _result_cap(result.review, settings))


def _result_cap(review: Review, settings: ConfidenceSettings) -> float:
    codes = {note.code for note in review.reasons}
    return min([limit for code, limit in settings.capped if code in codes], default=1.0)

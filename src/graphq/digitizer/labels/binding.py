"""Which label each traced curve carries: the one read from the graph where it was read,
the user's where they agree, and highest-first order only as a fallback that the review
names.

Labels the user gives are listed highest curve first (SPEC §4). A label read beside its
curve is the graph itself saying which curve it names, so it wins over that order: the
user's label that says the same (``"10V"`` and ``"VGS = 10 V"``), or failing that the one
user's label it is a misreading of (``"Cus"`` for ``"Ciss"``), is bound to the curve the
reading found, in the user's spelling. A read label that says what none of the given ones
says is a disagreement a person must settle; its curve takes a given label by order. Given
labels left over go to the curves left over, highest first between the curves read
(:mod:`graphq.digitizer.labels.given_order`), and the review says so;
without given labels, labels read but tied to curves only by an order (a legend whose
samples all look alike, listed top to bottom) are taken, and the review says so too; a
curve whose label could not be read is named by its rank and said to be unread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum
from functools import partial
from itertools import pairwise

from graphq.datasheet.conditions import parse_label
from graphq.digitizer.labels.given_order import fill_by_order
from graphq.review import Review, ReviewReason


@dataclass(frozen=True)
class BindingSettings:
    # A read label binds only when its binding is at least this sure (0..1,
    # :data:`graphq.datasheet.labels.CERTAINTY`): every binding the reader makes is.
    min_certainty: float = 0.8
    # A read name no given label says the same as is one of them misread when their letters
    # match this closely (difflib's ratio: "Cus" and "Ciss" 0.57) and no other's do.
    min_spelling_ratio: float = 0.5


DEFAULT_BINDING = BindingSettings()


class LabelSource(StrEnum):
    """Where a curve's label came from: what its confidence may rest on."""

    READ = "read"  # read beside its curve, tied to it by the graph
    ORDER = "order"  # bound highest first
    UNREAD = "unread"  # none: named by its rank
    # Read, but the values read, highest curve first, are out of order: one of them is
    # misread ("15A" for "1.5A") or bound to another curve, and which is not known.
    DOUBTED = "doubted"


@dataclass(frozen=True)
class CurveLabels:
    """Per curve (in the caller's curve order): its label, its value, where the label came
    from, and the review."""

    labels: list[str]
    values: list[float | None]
    review: Review = field(default_factory=Review)
    sources: list[LabelSource] = field(default_factory=list)
    # Every text read in and around the plot, bound or not: a label among them bound to no
    # curve tells of a curve missed (:mod:`graphq.digitizer.confidence`).
    texts: list[str] = field(default_factory=list)


def bind_curve_labels(
    read: list[str],
    certainty: list[float],
    given: list[str],
    order: list[int],
    spans: list[int] | None = None,
    settings: BindingSettings = DEFAULT_BINDING,
) -> CurveLabels:
    """Labels for curves whose reading is ``read`` (with its ``certainty``; "" unread), given
    ``given`` highest first, with ``order`` the curve indices highest first and ``spans``
    the columns each curve was seen over (:func:`fill_by_order`)."""
    count = len(read)
    review = Review()
    sure = [
        text if text and sure >= settings.min_certainty else ""
        for text, sure in zip(read, certainty, strict=True)
    ]
    labels = list(sure)
    from_order: list[int] = []
    if given:
        anchors: dict[int, int] = {}  # curve → the given label reading bound it to
        misread = partial(_spelt_alike, settings=settings)
        for alike in (same_label, misread):  # the sure matches first, misreads next
            for index, text in enumerate(sure):
                if not text or index in anchors:
                    continue
                match = _match(text, given, set(anchors.values()), alike)
                if match is not None:
                    anchors[index] = match
                    labels[index] = given[match]
        for index, text in enumerate(sure):
            if text and index not in anchors:
                # Which given label the graph names here is unknown: the curve takes one by
                # order with the rest, and a person settles it.
                labels[index] = ""
                review.add(
                    ReviewReason.LABELS_DISAGREE,
                    f"the label read beside a curve, {text!r}, is none of the labels given",
                )
        from_order = fill_by_order(labels, anchors, given, order, spans, review)
    else:
        # Labels read but tied to their curves by an order only (a legend whose samples
        # look alike): better than none, and said so.
        for index, text in enumerate(read):
            if text and not labels[index]:
                labels[index] = text
                from_order.append(index)
    if from_order and count > 1:
        review.add(
            ReviewReason.LABELS_BY_ORDER,
            f"{len(from_order)} of {count} labels were bound to curves highest first, "
            "not tied to them by the graph",
        )
    unread = [index for index in range(count) if not labels[index]]
    if unread and count > 1:
        review.add(
            ReviewReason.LABEL_UNREAD,
            f"{len(unread)} of {count} curves have no label read from the graph",
        )
    values = [parse_label(label)[0] if label else None for label in labels]
    sources = [
        LabelSource.ORDER
        if index in from_order
        else LabelSource.READ
        if labels[index]
        else LabelSource.UNREAD
        for index in range(count)
    ]
    if not given and not _in_order([values[index] for index in order if index not in from_order]):
        review.add(
            ReviewReason.LOW_CONFIDENCE,
            "the values read, highest curve first, are out of order: one is misread or bound "
            "to another curve",
        )
        sources = [
            LabelSource.DOUBTED
            if source == LabelSource.READ and values[index] is not None
            else source
            for index, source in enumerate(sources)
        ]
    for rank, index in enumerate(order):
        if not labels[index]:
            labels[index] = f"curve {rank + 1}"
    return CurveLabels(labels, values, review, sources)


def _in_order(values: list[float | None]) -> bool:
    """Whether the values read (None where none was), highest curve first, rise or fall
    throughout: a family's curves stand in the order of their condition. Fewer than three
    values say nothing."""
    read = [value for value in values if value is not None]
    if len(read) < 3:
        return True
    steps = [later - earlier for earlier, later in pairwise(read)]
    return all(step >= 0 for step in steps) or all(step <= 0 for step in steps)


def _match(
    text: str,
    given: list[str],
    used: set[int],
    alike: Callable[[str, str], bool],
) -> int | None:
    """The one unused given label ``alike`` to ``text``; None when none or several are."""
    matches = [k for k, label in enumerate(given) if k not in used and alike(text, label)]
    return matches[0] if len(matches) == 1 else None


def _spelt_alike(read: str, given: str, settings: BindingSettings) -> bool:
    """Whether a read label is the given one misread: the same value under a misread name
    ("Vgg = 10V" for "VGS = 10 V"), or, naming no value, nearly the same letters ("Cus" for
    "Ciss"). Values never differ: "125°C" is no misread "25°C"."""
    value_read, value_given = parse_label(read)[0], parse_label(given)[0]
    if value_read is not None or value_given is not None:
        return value_read is not None and value_given is not None and value_read == value_given
    ratio = SequenceMatcher(None, _folded(read), _folded(given)).ratio()
    return ratio >= settings.min_spelling_ratio


def same_label(first: str, second: str) -> bool:
    """Whether two labels say the same: alike but for case, spaces and signs' spelling
    (``"CISS"``, ``"C_iss"``), or giving the same value (``"10V"``, ``"VGS = 10 V"``)."""
    if _folded(first) == _folded(second):
        return True
    value_a, named_a = parse_label(first)
    value_b, named_b = parse_label(second)
    if value_a is None or value_b is None or abs(value_a - value_b) > 1e-9 * max(1.0, abs(value_a)):
        return False
    if "=" not in first or "=" not in second:
        return True  # a value printed alone names no quantity ("-55 °C" beside "TA = -55°C")
    return bool({n.casefold() for n in named_a} & {n.casefold() for n in named_b})


def _folded(text: str) -> str:
    folded = text.casefold().translate(str.maketrans("−–μº", "--µ°"))
    return re.sub(r"[\s_{}]+", "", folded)

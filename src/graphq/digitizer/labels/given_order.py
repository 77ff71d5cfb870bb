"""Given labels left unbound by reading, bound to the curves left over by their order: only
between the curves reading tied to a given label (anchors), so that one curve found too many
or too few shifts no label past an anchor.

Labels are given highest curve first (SPEC §4) and anchored curves keep their place in that
list: the labels given between two anchors name the curves found between them. Where a
stretch between anchors holds more curves than labels, the curves seen over the fewest
columns (a piece or a partial trace) go unlabelled; where it holds fewer, the labels are
taken from its top. Either is a guess, and the review says which stretch it was made in.
A stretch with labels but no curve leaves them unbound (a curve not found), said in the
review. Without anchors kept (as many curves as labels, or labels read out of the given
order), the labels go to the curves left, highest first.
"""

from __future__ import annotations

from itertools import pairwise

from graphq.review import Review, ReviewReason


def fill_by_order(
    labels: list[str],
    anchors: dict[int, int],
    given: list[str],
    order: list[int],
    spans: list[int] | None,
    review: Review,
) -> list[int]:
    """Fill ``labels`` (per curve; "" unbound) with the given labels not in ``anchors``
    (curve index → given index), highest first; the curves so filled. ``spans`` counts each
    curve's columns (None: unknown, and extra curves are taken from the bottom)."""
    rank = {index: position for position, index in enumerate(order)}
    pins = sorted((rank[index], label) for index, label in anchors.items())
    used = set(anchors.values())
    if any(later[1] < earlier[1] for earlier, later in pairwise(pins)):
        # The graph reads the labels in another order than given: the labels left go highest
        # first.
        pins = []
    elif len(order) == len(given):
        # As many curves as labels: none is extra or missing, and a stretch short of labels
        # is one the graph orders otherwise than the list (crossing curves). The labels left
        # go highest first, past the anchors, and the review names where.
        for curves, names in _stretches(labels, pins, order, len(given), used):
            if len(curves) != len(names) and names:
                review.add(
                    ReviewReason.LABELS_BY_ORDER,
                    f"{_named(given, names)} for {len(curves)} curve"
                    f"{'' if len(curves) == 1 else 's'} found there: curves cross, or one is "
                    "extra and another missing; the labels go highest first",
                )
        pins = []
    stretches = _stretches(labels, pins, order, len(given), used)
    if pins and not any(curves and names for curves, names in stretches):
        # No stretch holds both curves and labels: the graph reads the labels in another order
        # than given (4 V on the highest curve), so no stretch is known.
        pins = []
        stretches = _stretches(labels, pins, order, len(given), used)
    filled: list[int] = []
    for curves, names in stretches:
        if curves and names and len(curves) != len(names):
            review.add(
                ReviewReason.LABELS_BY_ORDER,
                f"{_named(given, names)} for {len(curves)} "
                f"curve{'s' if len(curves) > 1 else ''} found there: which curve is "
                f"{'extra' if len(curves) > len(names) else 'missing'} is a guess",
            )
        if names and not curves:
            review.add(
                ReviewReason.CURVE_COUNT_DIFFERS,
                f"no curve found for {', '.join(repr(given[k]) for k in names)} where the "
                "order of the labels read puts it: left unbound",
            )
        if len(curves) > len(names):
            kept = _longest(curves, len(names), spans)
            curves = [index for index in curves if index in kept]
        for index, name in zip(curves, names, strict=False):
            labels[index] = given[name]
            used.add(name)
            filled.append(index)
    if pins:
        # Anchors kept: a label its stretch could not take would cross an anchor elsewhere.
        return filled
    # No anchors: the labels left go to the curves left, highest first.
    left = [k for k in range(len(given)) if k not in used]
    for index, name in zip([i for i in order if not labels[i]], left, strict=False):
        labels[index] = given[name]
        filled.append(index)
    return filled


def _longest(curves: list[int], count: int, spans: list[int] | None) -> set[int]:
    """The ``count`` curves seen over the most columns (the highest where unknown or tied)."""
    if spans is None:
        return set(curves[:count])
    ranked = sorted(range(len(curves)), key=lambda k: (-spans[curves[k]], k))
    return {curves[k] for k in ranked[:count]}


def _stretches(
    labels: list[str], pins: list[tuple[int, int]], order: list[int], count: int, used: set[int]
) -> list[tuple[list[int], list[int]]]:
    """Between each two pins (rank, given index): the curves left unlabelled, highest first,
    and the given labels not yet used."""
    bounds = [(-1, -1), *pins, (len(order), count)]
    return [
        (
            [order[p] for p in range(top + 1, bottom) if not labels[order[p]]],
            [k for k in range(first + 1, last) if k not in used],
        )
        for (top, first), (bottom, last) in pairwise(bounds)
    ]


def _named(given: list[str], names: list[int]) -> str:
    """The given labels of a stretch, as the review names them."""
    if len(names) == 1:
        return f"the label {given[names[0]]!r} given"
    return f"{len(names)} labels given from {given[names[0]]!r} to {given[names[-1]]!r}"

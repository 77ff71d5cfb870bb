"""A "Top: … Bottom: …" list the binder could not bind, bound whole or at its ends.

The datasheet binder binds a list only to as many curves as it names, in an order every
curve takes part in (a list's order is all that ties an entry to its curve). In a raster one
curve more (a grid line traced, crossing the others) or one fewer (a curve missed, or two
traced as one) is common, and then the middle entries name unknown curves; but the
list's first entry is still the top curve's and its last the bottom one's, as long as the
top and the bottom curve are plain to see: the same curve highest (lowest) all along the
right part of the plot, where a family's curves stand apart. These ends are bound by the
list's order alone, and the caller's review says so.

The binder counts the curves after those running together were taken as one curve traced
twice (:func:`graphq.digitizer.labels.reading.twins`), and the top curves of an output
family run together until they part at high voltage; a grid line traced across the family
crosses every curve, and no order holds with it. So the list is tried whole against every
curve traced, and against them less the one curve whose leaving puts the rest in one order:
where it names exactly those, it is bound whole, by order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.datasheet.labels import CERTAINTY
from graphq.datasheet.lists import find_lists
from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.binding import DEFAULT_BINDING, same_label
from graphq.digitizer.labels.legend_samples import heights_across, times_above

# How an end bound so is named among the binder's kinds; it is sure below every binding the
# binder makes, so it is taken as a label bound by order.
LIST_END = "list end"
# ... and the binder's kind for a list bound whole.
LISTED = "list"
# How an entry of a list bound whole here is named; bound by order, as the ends are.
LIST_ORDER = "list order"


@dataclass(frozen=True)
class ListEndSettings:
    # The top (bottom) curve is highest (lowest) at every one of this many columns spread
    # over the right part of the span all curves share ...
    checks: int = 12
    # ... the part right of this fraction of it (where the curves of a family fan out).
    from_fraction: float = 0.5
    # ... and stands clear of the next curve by this much (the lines' units, points) at
    # each: curves drawn as one tell no order.
    apart: float = 0.5
    # A list bound whole: two curves keep their order where they stand this far apart
    # (points) at this many of the columns checked across their shared span, one above the
    # other at this fraction of those at least. Where a family's curves bunch (an output
    # family's top curves, run together until they part at high voltage) their traces
    # swap by a point or two: the order is what holds along most of the span.
    order_checks: int = 24
    order_apart: float = 1.0
    order_min_apart: int = 4
    order_holds: float = 0.8


DEFAULT_LIST_ENDS = ListEndSettings()


def bind_list_ends(
    lines: list[TextLine],
    curves: list[np.ndarray],
    labels: list[str],
    kinds: list[str],
    settings: ListEndSettings = DEFAULT_LIST_ENDS,
) -> None:
    """Bind, in place, the first and last entries of each list the ``lines`` hold to the top
    and the bottom curve (points x, y, y down, in the lines' units), where no curve is bound
    by a list yet and those two are plain and have no label. An entry another curve is
    already labelled with stays unbound: one text names one curve."""
    found = find_lists(lines)
    if not found or len(curves) < 2 or LISTED in kinds:
        return
    ends = _top_and_bottom(curves, settings)
    if ends is None:
        return
    for listed in found:
        for curve, entry in zip(ends, (listed.entries[0], listed.entries[-1]), strict=True):
            if not labels[curve] and not any(same_label(entry, label) for label in labels):
                labels[curve], kinds[curve] = entry, LIST_END


def bind_whole_list(
    lines: list[TextLine],
    curves: list[np.ndarray],
    labels: list[str],
    kinds: list[str],
    settings: ListEndSettings = DEFAULT_LIST_ENDS,
) -> None:
    """Bind, in place, each entry of the one list the ``lines`` hold to the curves (points
    x, y, y down, in the lines' units) top to bottom, where it names as many as keep one
    order (all, or all but one that crosses them) and the binder bound no list. A label
    the graph ties to its curve (a leader, a sample, text inline, at its end or beside it)
    stays, and must say what its curve's entry says: where one names another entry, the
    order is not the graph's, and no entry is bound."""
    found = find_lists(lines)
    if LISTED in kinds or len(found) != 1:
        return
    entries = found[0].entries
    if len(curves) == len(entries):
        tried = [list(range(len(curves)))]
    elif len(curves) == len(entries) + 1:
        tried = [[k for k in range(len(curves)) if k != left] for left in range(len(curves))]
    else:
        return
    ordered = [
        [kept[k] for k in order]
        for kept in tried
        if (order := _kept_order([curves[k] for k in kept], settings)) is not None
    ]
    if len(ordered) != 1:
        return
    # Labels the binder would not take on their own (none, or bound by an order) give way.
    pairs = [
        (index, entry, CERTAINTY.get(kinds[index], 0.0) < DEFAULT_BINDING.min_certainty)
        for index, entry in zip(ordered[0], entries, strict=True)
    ]
    if any(not free and not same_label(labels[index], entry) for index, entry, free in pairs):
        return
    for index, entry, free in pairs:
        if free:
            labels[index], kinds[index] = entry, LIST_ORDER


def _kept_order(curves: list[np.ndarray], settings: ListEndSettings) -> list[int] | None:
    """Curve indices highest first, where every two curves stand apart often enough and
    keep one order along most of where they do; None otherwise (two cross, or are drawn
    as one)."""
    heights = heights_across(curves, 0.0, 1.0, settings.order_checks)

    def first_above(diff: np.ndarray) -> bool | None:
        apart = np.abs(diff) >= settings.order_apart
        if apart.sum() < settings.order_min_apart:
            return None
        higher = float(np.mean(diff[apart] < 0))  # the first above (y down)
        if max(higher, 1.0 - higher) < settings.order_holds:
            return None
        return higher >= 0.5

    above = None if heights is None else times_above(heights, first_above)
    # Each curve is above as many as stand below it: distinct counts make one order.
    if above is None or len(set(above.tolist())) != len(curves):
        return None
    return [int(k) for k in np.argsort(-above, kind="stable")]


def _top_and_bottom(curves: list[np.ndarray], settings: ListEndSettings) -> tuple[int, int] | None:
    """The curve highest and the curve lowest at every check column, each clear of the
    next; None when either changes along the way or stands too near another."""
    heights = heights_across(curves, settings.from_fraction, 1.0, settings.checks)
    if heights is None:
        return None
    ranked = np.sort(heights, axis=0)
    top, bottom = np.argmin(heights, axis=0), np.argmax(heights, axis=0)
    plain = (ranked[1] - ranked[0] >= settings.apart) & (ranked[-1] - ranked[-2] >= settings.apart)
    if not plain.all() or len(set(top.tolist())) != 1 or len(set(bottom.tolist())) != 1:
        return None
    return int(top[0]), int(bottom[0])

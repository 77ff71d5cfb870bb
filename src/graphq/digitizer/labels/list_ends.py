"""A "Top: … Bottom: …" list the binder could not bind, bound at its ends.

The datasheet binder binds a list only to as many curves as it names, in an order every
curve takes part in (a list's order is all that ties an entry to its curve). In a raster one
curve more (a grid line traced, crossing the others) or one fewer (a curve missed, or two
traced as one) is common, and then the middle entries name unknown curves; but the
list's first entry is still the top curve's and its last the bottom one's, as long as the
top and the bottom curve are plain to see: the same curve highest (lowest) all along the
right part of the plot, where a family's curves stand apart. These ends are bound by the
list's order alone, and the caller's review says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.datasheet.lists import find_lists
from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.binding import same_label
from graphq.digitizer.labels.legend_samples import heights_across

# How an end bound so is named among the binder's kinds; it is sure below every binding the
# binder makes, so it is taken as a label bound by order.
LIST_END = "list end"
# ... and the binder's kind for a list bound whole.
LISTED = "list"


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

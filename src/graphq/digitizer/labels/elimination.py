"""A label between two curves, bound to the one of them no other text names.

The binder binds text by nearness only where one curve is clearly the nearest: a label set
between two curves about as near names either. Where every curve as near but one already
carries a label of its own, the text names the one left, as a reader takes it: one label
names one curve. That is bound by elimination, not by the graph, so it is taken as a label
bound by order, which the review names. Only text in a curve label's own form is bound so
(one word with a digit: "-25°C", "0.05", "TO-92"): a note's or a list's line, a condition
("R_θJC = 3°C/W") or specks read as words stand near curves too.
"""

from __future__ import annotations

import re

import numpy as np

from graphq.datasheet.nearness import NearnessSettings, distances, own_stretches
from graphq.datasheet.textlines import TextLine

# How a label bound so is named among the binder's kinds; it is sure below every binding
# the binder makes, so it is taken as a label bound by order.
ELIMINATED = "eliminated"
# A curve label's own form: one word, a digit in it, no comma (a list's), at most this long.
_LABEL_FORM = re.compile(r"(?=[^\s,]*\d)[^\s,]{1,10}")


def bind_left_near(
    lines: list[TextLine],
    curves: list[np.ndarray],
    labels: list[str],
    kinds: list[str],
    settings: NearnessSettings | None = None,
) -> None:
    """Bind, in place, each line no curve carries to the one curve without a label among
    those within the binder's inline reach of it (points x, y, y down, in the lines' units),
    where two or more are."""
    near = settings or NearnessSettings()
    if len(curves) < 2:
        return
    own = own_stretches(curves, near)
    for line in lines:
        if line.text in labels or not _LABEL_FORM.fullmatch(line.text):
            continue
        gaps = distances(line, own)
        within = np.flatnonzero(gaps <= near.inline_reach_em * line.size)
        free = [int(k) for k in within if not labels[k]]
        if len(within) >= 2 and len(free) == 1:
            labels[free[0]], kinds[free[0]] = line.text, ELIMINATED

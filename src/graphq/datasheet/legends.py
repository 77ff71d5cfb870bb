"""Labels the page ties to a curve by drawing: a leader or arrow from the text to the curve,
a legend sample in the curve's own style, or a label naming the style ("(DASHED)") of
exactly one curve. None of these depends on how near the text stands.
"""

from __future__ import annotations

import numpy as np

from graphq.datasheet.arrows import Leader
from graphq.datasheet.curves import LegendSample, VectorCurve
from graphq.datasheet.textlines import TextLine

# A legend sample's centre stands at most this many text heights from its text's end:
# samples are ~2–3 heights long and set ~1 height from the text.
SAMPLE_REACH_EM = 4.0


def by_leader(
    line: TextLine, leaders: list[Leader], dense: list[np.ndarray], tip_pt: float
) -> int | None:
    """The curve a leader from the text ends on (its tip within ``tip_pt`` of the curve)."""
    for leader in leaders:
        tx, ty = leader.text_end
        dx = max(line.x0 - tx, 0, tx - line.x1)
        dy = max(line.top - ty, 0, ty - line.bottom)
        if np.hypot(dx, dy) > tip_pt + 2:
            continue
        tip = np.asarray(leader.tip)
        distances = [float(np.hypot(*(points - tip).T).min()) for points in dense]
        if distances and min(distances) <= tip_pt:
            return int(np.argmin(distances))
    return None


def by_sample(line: TextLine, samples: list[LegendSample], curves: list[VectorCurve]) -> int | None:
    """The one curve drawn in the style of the legend sample on the text's row, right
    beside it (a sample two text heights long, a height away, centres within
    :data:`SAMPLE_REACH_EM` heights of the text's nearer end)."""
    for sample in samples:
        sx, sy = sample.centre
        beside = min(abs(sx - line.x0), abs(sx - line.x1)) <= SAMPLE_REACH_EM * line.size
        if not (line.top - 2 <= sy <= line.bottom + 2 and beside):
            continue
        alike = [
            i
            for i, c in enumerate(curves)
            if c.color == sample.color
            and abs(c.width - sample.width) < 0.05
            and c.dashed == sample.dashed
        ]
        if len(alike) == 1:
            return alike[0]
    return None


def by_style_word(line: TextLine, curves: list[VectorCurve]) -> int | None:
    """ "VCE = 5 V (DASHED)": the one curve drawn in the style the label names."""
    words = line.text.casefold()
    for word, dashed in (("dashed", True), ("solid", False)):
        if word in words:
            alike = [i for i, c in enumerate(curves) if c.dashed == dashed]
            return alike[0] if len(alike) == 1 else None
    return None

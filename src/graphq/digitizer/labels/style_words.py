"""The last label naming a line style, bound to the last curve left.

Labels that name their curve's line style ("V_CE = 20 V (SOLID)", "V_CE = 5 V (DASHED)") name
every curve of the graph, one each. A dashed curve traced partly along a solid one (they
share their low end) does not look dashed, so its label finds no curve by its style; when
every other curve carries one of those labels, the one left names the one curve left. That
is bound by elimination, not by the graph: as a label bound by order, which the review
names.
"""

from __future__ import annotations

from graphq.datasheet.textlines import TextLine

# How a label bound so is named among the binder's kinds; it is sure below every binding
# the binder makes, so it is taken as a label bound by order.
STYLE_LEFT = "style left"
_STYLES = ("(solid)", "(dashed)", "(dotted)")


def bind_last_style(lines: list[TextLine], labels: list[str], kinds: list[str]) -> None:
    """Bind, in place, the one line naming a line style that no curve carries to the one
    curve without a label, where such lines are as many as the curves."""
    styled = [line.text for line in lines if any(s in line.text.casefold() for s in _STYLES)]
    left = [text for text in styled if text not in labels]
    unlabelled = [index for index, label in enumerate(labels) if not label]
    if len(styled) != len(labels) or len(left) != 1 or len(unlabelled) != 1:
        return
    labels[unlabelled[0]], kinds[unlabelled[0]] = left[0], STYLE_LEFT

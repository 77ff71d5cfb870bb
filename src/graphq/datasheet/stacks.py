"""Label stacks: a curve's name with its own conditions printed under it.

Thermal and power graphs name each curve by its package and print that package's test
conditions beneath the name, all aligned as one block::

    TO-220
    TC = 25 °C
    PD = 15 W

The block is one label: it binds as a whole (the curve nearest any of its lines), the curve
is named by the first line, and the lines under it are that curve's conditions, not the
graph's. A block is only that: a first line naming no condition, directly over one or more
lines that each assign one ("name = value"), sharing a left edge, a right edge or a centre.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphq.datasheet.conditions import parse_conditions
from graphq.datasheet.textlines import TextLine

# Lines of one block follow each other within this many of their heights (their boxes
# overlap a little where subscripts hang below the line) ...
_MAX_LEADING_EM = 0.8
_MIN_LEADING_EM = -0.4
# ... and are aligned (left, right or centre) within this many heights.
_ALIGN_EM = 0.6


@dataclass(frozen=True)
class LabelStack:
    """The block as one line (its text the name, its box the whole block), the conditions
    the lines under the name assign, and the lines it was read from."""

    line: TextLine
    conditions: dict[str, float]
    lines: list[TextLine]


def find_stacks(lines: list[TextLine]) -> list[LabelStack]:
    upright = sorted((ln for ln in lines if ln.upright), key=lambda ln: ln.top)
    stacks = []
    used: set[int] = set()
    for name in upright:
        if id(name) in used or not _names(name):
            continue
        block = [name]
        for line in upright:
            if id(line) in used or line is name or not _assigns(line):
                continue
            if _follows(block[-1], line) and _aligned(name, line):
                block.append(line)
        if len(block) < 2:
            continue
        used.update(id(ln) for ln in block)
        conditions: dict[str, float] = {}
        for line in block[1:]:
            conditions.update(parse_conditions(line.text, lone_temperature=False))
        stacks.append(LabelStack(_merged(block), conditions, block))
    return stacks


def _names(line: TextLine) -> bool:
    """A name ("TO-220", "Ciss"): letters, no condition, no bare number."""
    text = line.text.strip()
    return (
        "=" not in text
        and any(c.isalpha() for c in text)
        and not parse_conditions(text, lone_temperature=False)
    )


def _assigns(line: TextLine) -> bool:
    return "=" in line.text and bool(parse_conditions(line.text, lone_temperature=False))


def _follows(last: TextLine, line: TextLine) -> bool:
    size = max(last.size, line.size)
    return _MIN_LEADING_EM * size <= line.top - last.bottom <= _MAX_LEADING_EM * size


def _aligned(a: TextLine, b: TextLine) -> bool:
    reach = _ALIGN_EM * max(a.size, b.size)
    return (
        abs(a.x0 - b.x0) <= reach
        or abs(a.x1 - b.x1) <= reach
        or abs(a.centre[0] - b.centre[0]) <= reach
    )


def _merged(block: list[TextLine]) -> TextLine:
    name = block[0]
    return TextLine(
        words=tuple(w for ln in block for w in ln.words),
        text=name.text,
        x0=min(ln.x0 for ln in block),
        top=min(ln.top for ln in block),
        x1=max(ln.x1 for ln in block),
        bottom=max(ln.bottom for ln in block),
        size=name.size,
        upright=True,
    )

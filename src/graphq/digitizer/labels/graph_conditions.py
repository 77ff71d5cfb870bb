"""A graph's own condition told from its curves' labels by its unit.

A family's labels give one quantity different values ("T_J = 100°C", "25°C", "-25°C"); a
line printed among them that gives a value in another unit ("V_CE = 20 V", a DC-gain graph's
collector voltage) holds for the whole graph, however near a curve it stands. Left among the
labels, the binder ties it to the nearest curve and the family's own label loses that curve,
so such a line is taken out before binding. Lines of a label stack (a package's name over its
own "T_A = 25°C", "P = 15 W", :mod:`graphq.datasheet.stacks`) are a curve's own conditions:
they neither make a family nor are taken out.
"""

from __future__ import annotations

import re

from graphq.datasheet.conditions import parse_label
from graphq.datasheet.stacks import find_stacks
from graphq.datasheet.textlines import TextLine

# A value and its unit as a label prints it ("20 V", "-25°C", "100 µs", "1.5W"); a degree sign
# read without its C ("125°") is a temperature too.
_VALUE_UNIT = re.compile(r"[-−+]?\d+(?:[.,]\d+)?\s*[pnuµμmkM]?(V|A|W|s|Hz|°\s*C|°)(?![A-Za-z])")
_UNITS = {"°": "°C"}
# A family gives at least this many different values in one unit (one value in a unit is a
# condition's as well as a label's).
MIN_FAMILY = 2


def without_graph_conditions(lines: list[TextLine]) -> list[TextLine]:
    """``lines`` but those that assign one quantity ("V_CE = 20 V") a value in a unit no
    other line gives, while other lines give at least :data:`MIN_FAMILY` different values in
    one unit: a family's labels, which that line is not one of. Stacked lines count for
    neither."""
    stacked = {id(line) for stack in find_stacks(lines) for line in stack.lines}
    units = [None if id(line) in stacked else value_unit(line.text) for line in lines]
    values: dict[str, set[float | None]] = {}
    for line, unit in zip(lines, units, strict=True):
        if unit is not None:
            values.setdefault(unit, set()).add(parse_label(line.text)[0])
    families = {unit for unit, seen in values.items() if len(seen) >= MIN_FAMILY}
    return [
        line
        for line, unit in zip(lines, units, strict=True)
        if not (
            families
            and unit is not None
            and unit not in families
            and "=" in line.text
            and len(parse_label(line.text)[1]) == 1
        )
    ]


def value_unit(text: str) -> str | None:
    """The unit of the one value ``text`` gives; None when it gives none or several."""
    found = _VALUE_UNIT.findall(text)
    if len(found) != 1:
        return None
    unit = re.sub(r"\s+", "", found[0])
    return _UNITS.get(unit, unit)

"""A family's values read in a column of labels, mended where the column's order shows a
misread: the labels of one family stacked one under another stand in the order of their
values, so a value out of that order, read where a small glyph is easily lost, is the value
with that glyph put back.

Two glyphs are lost that way at low resolution or in a blur: a decimal point fused into the
digits beside it ("15A" between "2A" and "1A" is 1.5 A) and a minus sign ("0.5V" under "0V"
in a falling column is -0.5 V). A value is mended only when one way of putting glyphs back,
and no other as small, makes the whole column rise or fall, with at least
:attr:`FamilySettings.min_anchors` values read as printed to set its order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise, product

from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.columns import label_columns
from graphq.digitizer.labels.graph_conditions import value_unit
from graphq.digitizer.labels.naming import parse_value


@dataclass(frozen=True)
class FamilySettings:
    # At least this many values read as printed set the column's order ...
    min_anchors: int = 2
    # ... in a column of at least this many values (two set no order to mend by).
    min_values: int = 3
    # Longer columns are not searched: each value has up to three readings, tried together.
    max_values: int = 8


DEFAULT_FAMILY = FamilySettings()
# The number a label states: after its "=" when it has one.
_NUMBER = re.compile(r"(?<![\d.,])([-−]?)(\d+(?:[.,]\d+)?)")


@dataclass(frozen=True)
class MendedValues:
    """The lines with their values mended, and each mend as read and as taken ("15A",
    "1.5A"): a value taken from its column's order rather than read is said in the review
    of the curve it names."""

    lines: list[TextLine]
    mends: list[tuple[str, str]]


def mend_family_values(
    lines: list[TextLine], settings: FamilySettings = DEFAULT_FAMILY
) -> MendedValues:
    """``lines`` with the values of each column of labels mended where its order shows a lost
    decimal point or minus sign (see the module's doc)."""
    mended = {id(line): line for line in lines}
    mends: list[tuple[str, str]] = []
    for column in label_columns(lines):
        stated = [(line, parse_value(line.text)) for line in column]
        valued = [(line, value) for line, value in stated if value is not None]
        if not settings.min_values <= len(valued) <= settings.max_values:
            continue
        # A family gives one quantity its values: a block of conditions in several units
        # ("VGS = 10V", "ID = 15A") is no order to mend by.
        if len({value_unit(line.text) for line, _ in valued} - {None}) > 1:
            continue
        readings = [_readings(line.text, value) for line, value in valued]
        choice = _only_ordered(readings, settings.min_anchors)
        if choice is None:
            continue
        for (line, _), options, k in zip(valued, readings, choice, strict=True):
            if k:
                mended[id(line)] = replace(line, text=options[k][1])
                mends.append((line.text, options[k][1]))
    return MendedValues([mended[id(line)] for line in lines], mends)


def _readings(text: str, value: float) -> list[tuple[float, str]]:
    """The value as read, then as it reads with its lost glyph put back: a decimal point
    after its first digit (two digits, no point: "15" → 1.5), a minus (a positive value)."""
    head, sep, tail = text.partition("=") if "=" in text else ("", "", text)
    match = _NUMBER.search(tail)
    found = [(value, text)]
    if match is None:
        return found
    sign, digits = match.groups()
    start, stop = match.span()

    def put(number: str) -> str:
        return head + sep + tail[:start] + number + tail[stop:]

    if len(digits) == 2 and digits.isdigit():
        found.append((value / 10.0, put(f"{sign}{digits[0]}.{digits[1]}")))
    if not sign and value > 0:
        found.append((-value, put(f"-{digits}")))
    return found


def _only_ordered(readings: list[list[tuple[float, str]]], min_anchors: int) -> list[int] | None:
    """Which reading of each value makes the column rise or fall throughout with the fewest
    mended; None when the values read already do, when two ways tie, or when fewer than
    ``min_anchors`` values keep their reading."""
    best: list[list[int]] = []
    fewest = len(readings) + 1
    for choice in product(*(range(len(options)) for options in readings)):
        values = [options[k][0] for options, k in zip(readings, choice, strict=True)]
        steps = [later - earlier for earlier, later in pairwise(values)]
        if not (all(s > 0 for s in steps) or all(s < 0 for s in steps)):
            continue
        count = sum(1 for k in choice if k)
        if count < fewest:
            best, fewest = [list(choice)], count
        elif count == fewest:
            best.append(list(choice))
    if len(best) != 1 or fewest == 0 or len(readings) - fewest < min_anchors:
        return None
    return best[0]

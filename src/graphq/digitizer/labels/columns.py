"""Labels stacked in a column just past the curves' ends, bound in the order both stand.

Where curves end together and their labels are stacked right after the ends, each label
stands about level with its own end, but steep curves end within one label's height of each
other, and level alone cannot tell which end a label is at. The column and the ends still
say it: as many labels as ends, in the same order top to bottom. This binds them so, each as
sure as a label read at its curve's end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.datasheet.conditions import parse_label
from graphq.datasheet.textlines import TextLine


@dataclass(frozen=True)
class ColumnSettings:
    # The column's lines start within this many of their heights of one another ...
    align_em: float = 1.0
    # ... and stand one under the other, at most this many heights apart (overlapping by
    # this many at most: OCR boxes a line's accents and subscripts into the next).
    max_gap_em: float = 1.5
    max_overlap_em: float = 0.3
    # A curve ends before the column, at most this many heights left of it (and not past
    # its start), and within this many heights of its top and bottom.
    end_reach_em: float = 2.0
    level_reach_em: float = 1.0
    # ... or runs on into it by at most this many (a trace that took the first glyphs of its
    # label for its own ink): where it stands is read this many heights before the column,
    # clear of the glyphs.
    end_inside_em: float = 1.0
    before_em: float = 0.5
    # A name heads the values under it when the first stands at most this many of its
    # heights below it (a family's labels are spaced as its curves' ends are).
    head_gap_em: float = 3.0


DEFAULT_COLUMNS = ColumnSettings()
# Bindings the graph itself draws (a pointer, a legend's sample, a list's order): a column's
# order does not overrule them.
_TIED = ("leader", "sample", "list")


def bind_end_column(
    lines: list[TextLine],
    curves: list[np.ndarray],
    labels: list[str],
    kinds: list[str],
    settings: ColumnSettings = DEFAULT_COLUMNS,
) -> None:
    """Bind, in place, the lines of each column of labels to the curves (points x, y, y
    down, in the lines' units) ending just before it, top to bottom, where the column holds
    as many lines as curves end there and none of those curves is bound to other text or
    by a drawn tie (a curve bound to a line of the column by nearness alone takes its place
    in the order)."""
    for column in label_columns(lines, settings):
        size = max(line.size for line in column)
        left = min(line.x0 for line in column)
        top, bottom = column[0].top, column[-1].bottom
        ends = []
        for index, points in enumerate(curves):
            x = float(points[:, 0].max())
            before = min(x, left - settings.before_em * size)
            y = float(np.interp(before, points[:, 0], points[:, 1]))
            if (
                left - settings.end_reach_em * size <= x <= left + settings.end_inside_em * size
                and top - settings.level_reach_em * size
                <= y
                <= bottom + settings.level_reach_em * size
            ):
                ends.append((float(y), index))
        if len(ends) != len(column) or len(ends) < 2:
            continue
        ordered = [index for _, index in sorted(ends)]
        texts = {line.text for line in column}
        if any(kinds[k] in _TIED or (labels[k] and labels[k] not in texts) for k in ordered):
            continue
        for index, line in zip(ordered, column, strict=True):
            labels[index], kinds[index] = line.text, "end"


def drop_column_headers(
    lines: list[TextLine],
    labels: list[str],
    kinds: list[str],
    settings: ColumnSettings = DEFAULT_COLUMNS,
) -> None:
    """Unbind, in place, a column's head bound to a curve as its label: a name with no value
    ("V_GS") standing over a value ("0.5V") is the name the values under it carry, the rest
    of its own label ("= 1.0V") being cut off or unread, so it names no curve by itself."""
    for head in lines:
        if _has_digit(head.text):
            continue
        under = any(
            _has_digit(line.text)
            and abs(line.x0 - head.x0) <= settings.align_em * line.size
            and 0 <= line.top - head.bottom <= settings.head_gap_em * line.size
            for line in lines
        )
        if not under:
            continue
        for index, (label, kind) in enumerate(zip(labels, kinds, strict=True)):
            if label == head.text and kind in ("end", "beside", "inline"):
                labels[index], kinds[index] = "", ""


def drop_condition_blocks(
    lines: list[TextLine],
    labels: list[str],
    kinds: list[str],
    settings: ColumnSettings = DEFAULT_COLUMNS,
) -> None:
    """Unbind, in place, a label bound by nearness that is one line of a block of conditions:
    a line assigning a quantity ("VGS = -10V") stacked with one assigning another quantity
    that names no curve ("f = 1MHz") states the graph's conditions, however near a curve
    the block stands. A family's labels stacked in a column name one quantity."""
    bound = set(labels)
    for index, (label, kind) in enumerate(zip(labels, kinds, strict=True)):
        if kind not in ("inline", "beside", "end", "sole"):
            continue
        line = next((ln for ln in lines if ln.text == label), None)
        names = _assigned(label)
        if line is None or not names:
            continue
        for other in lines:
            gap = max(other.top - line.bottom, line.top - other.bottom)
            other_names = _assigned(other.text)
            if (
                other is not line
                and other.text not in bound
                and other_names
                and not other_names & names
                and abs(other.x0 - line.x0) <= settings.align_em * line.size
                and -settings.max_overlap_em * line.size <= gap <= settings.max_gap_em * line.size
            ):
                labels[index], kinds[index] = "", ""
                break


def _assigned(text: str) -> set[str]:
    """The quantities a text assigns with an "=" ("VGS = 10 V": VGS), folded."""
    if "=" not in text:
        return set()
    return {name.casefold() for name in parse_label(text)[1]}


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def label_columns(
    lines: list[TextLine], settings: ColumnSettings = DEFAULT_COLUMNS
) -> list[list[TextLine]]:
    """Runs of two lines or more, each starting level with the one above it and just below."""
    columns: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: ln.top):
        home = next(
            (
                column
                for column in columns
                if abs(line.x0 - column[-1].x0) <= settings.align_em * line.size
                and -settings.max_overlap_em * line.size
                <= line.top - column[-1].bottom
                <= settings.max_gap_em * line.size
            ),
            None,
        )
        if home is None:
            columns.append([line])
        else:
            home.append(line)
    return [column for column in columns if len(column) >= 2]

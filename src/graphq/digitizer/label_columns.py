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


DEFAULT_COLUMNS = ColumnSettings()


def bind_end_column(
    lines: list[TextLine],
    curves: list[np.ndarray],
    labels: list[str],
    kinds: list[str],
    settings: ColumnSettings = DEFAULT_COLUMNS,
) -> None:
    """Bind, in place, the lines of each column of labels to the curves (points x, y, y
    down, in the lines' units) ending just before it, top to bottom, where the column holds
    as many lines as curves end there and none of those curves is bound otherwise."""
    for column in _columns(lines, settings):
        size = max(line.size for line in column)
        left = min(line.x0 for line in column)
        top, bottom = column[0].top, column[-1].bottom
        ends = []
        for index, points in enumerate(curves):
            x, y = points[int(np.argmax(points[:, 0]))]
            if (
                left - settings.end_reach_em * size <= x <= left
                and top - settings.level_reach_em * size
                <= y
                <= bottom + settings.level_reach_em * size
            ):
                ends.append((float(y), index))
        if len(ends) != len(column) or len(ends) < 2:
            continue
        ordered = [index for _, index in sorted(ends)]
        texts = {line.text for line in column}
        if any(
            kinds[k] not in ("", "end") or (labels[k] and labels[k] not in texts) for k in ordered
        ):
            continue
        for index, line in zip(ordered, column, strict=True):
            labels[index], kinds[index] = line.text, "end"


def _columns(lines: list[TextLine], settings: ColumnSettings) -> list[list[TextLine]]:
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

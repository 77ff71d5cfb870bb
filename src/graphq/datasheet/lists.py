"""Label lists that name the curves in the order they are drawn, top to bottom.

Output graphs print a table "VGS Top: 15 V / 10 V / … / Bottom: 4.5 V"; thermal graphs print
"In descending order D=0.5, 0.3, …, single pulse". Either is the page stating which label
goes with which curve: the first entry names the highest curve. The list binds only when it
names exactly as many curves as the panel draws and the curves keep one top-to-bottom order
across the span they share; otherwise no curve takes a label from it (and the graph says its
labels are unread).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from graphq.datasheet.textlines import TextLine

_TOP = re.compile(r"^\s*top\s*:?\s*", re.IGNORECASE)
_BOTTOM = re.compile(r"^\s*bottom\s*:?\s*", re.IGNORECASE)
_DESCENDING = re.compile(r"descending\s+order", re.IGNORECASE)
# Heights checked for a consistent order, evenly across the curves' shared x span.
_CHECKS = 24
# Two curves closer than this (points) at a height are merged there: where curves merge
# (thermal curves at short pulses) their order is read where they are apart.
_TIED_PT = 0.5
# Lines of a list follow each other within this many of their heights (OCR boxes hug the
# glyphs, so a list's leading reads up to ~0.85 of a line's height).
_LEADING_EM = 1.0
# A list's values stand in their own column up to this many text heights right of the
# "Top" and "Bottom" words.
_BESIDE_EM = 8.0


@dataclass(frozen=True)
class LabelList:
    """Entries top curve first, named ("VGS = 10 V"); the quantity printed over the list or
    before its first value ("VGS"); the lines it was read from."""

    entries: list[str]
    quantity: str
    lines: list[TextLine]


def find_lists(lines: list[TextLine]) -> list[LabelList]:
    found = []
    for line in lines:
        if _TOP.match(line.text):
            found.append(_top_bottom(line, lines))
        elif _DESCENDING.search(line.text):
            listed = _descending(line, lines)
            if listed is not None:
                found.append(listed)
    return [f for f in found if f is not None and len(f.entries) >= 2]


def _column_below(first: TextLine, lines: list[TextLine]) -> list[TextLine]:
    """Lines stacked under ``first`` (left edges aligned, each within a line of the last)."""
    column = [first]
    rest = sorted((ln for ln in lines if ln.upright and ln.top > first.top), key=lambda ln: ln.top)
    for line in rest:
        last = column[-1]
        if (
            abs(line.x0 - first.x0) < 2.5 * first.size
            and 0 <= line.top - last.bottom < _LEADING_EM * last.size
        ):
            column.append(line)
    return column


def _top_bottom(top: TextLine, lines: list[TextLine]) -> LabelList | None:
    """The list a "Top" line opens: its values under its own first value, down to the one
    level with "Bottom". The values may stand in a column of their own right of the words
    ("Top :   15 V" … "Bottom :   5.5 V", read as separate lines)."""
    first = top if _TOP.sub("", top.text).strip() else _beside(top, lines)
    if first is None:
        return None
    column = _column_below(first, lines)
    bottoms = [ln for ln in lines if ln.upright and _BOTTOM.match(ln.text)]
    end = next(
        (
            k
            for k, ln in enumerate(column)
            if _BOTTOM.match(ln.text) or any(_same_row(ln, b) for b in bottoms)
        ),
        None,
    )
    if end is None:
        return None
    column = column[: end + 1]
    entries = [_BOTTOM.sub("", _TOP.sub("", ln.text)).strip() for ln in column]
    above = [
        ln
        for ln in lines
        if ln.upright
        and 0 <= first.top - ln.bottom < 0.8 * first.size
        and abs(ln.x0 - first.x0) < 2.5 * first.size
    ]
    quantity = above[0].text.strip() if above else ""
    words = [ln for ln in (top, *bottoms) if ln not in column and _same_row_any(ln, column)]
    return LabelList(_named(entries, quantity), quantity, column + above[:1] + words)


def _beside(line: TextLine, lines: list[TextLine]) -> TextLine | None:
    """The nearest line right of ``line`` on its row, within :data:`_BESIDE_EM` heights
    (a colon standing alone is no value)."""
    right = [
        ln
        for ln in lines
        if ln.upright
        and _same_row(ln, line)
        and 0 <= ln.x0 - line.x1 <= _BESIDE_EM * line.size
        and any(c.isalnum() for c in ln.text)
    ]
    return min(right, key=lambda ln: ln.x0, default=None)


def _same_row(a: TextLine, b: TextLine) -> bool:
    return min(a.bottom, b.bottom) - max(a.top, b.top) > 0.5 * min(
        a.bottom - a.top, b.bottom - b.top
    )


def _same_row_any(line: TextLine, column: list[TextLine]) -> bool:
    return any(_same_row(line, ln) for ln in column)


def _descending(line: TextLine, lines: list[TextLine]) -> LabelList | None:
    """ "In descending order" and, on it or the next line, a comma-separated list."""
    after = _DESCENDING.split(line.text, maxsplit=1)[1].strip(" :")
    used = [line]
    if not after:
        column = _column_below(line, lines)
        if len(column) < 2:
            return None
        after = column[1].text
        used.append(column[1])
    entries = [e.strip() for e in after.split(",") if e.strip()]
    name = re.match(r"^([A-Za-z][\w()]*)\s*=", entries[0]) if entries else None
    quantity = name.group(1) if name else ""
    return LabelList(_named(entries, quantity), quantity, used)


def _named(entries: list[str], quantity: str) -> list[str]:
    """Values under a quantity's name read as "name = value" ("VGS = 10 V")."""
    if not re.fullmatch(r"[A-Za-z][\w()]{0,8}", quantity):
        return entries
    return [f"{quantity} = {e}" if "=" not in e and _numeric(e) else e for e in entries]


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-−+]?\d+(?:[.,]\d+)?\s*\S{0,3}", text))


def order_top_down(curves: list[np.ndarray]) -> list[int] | None:
    """Curve indices highest first (page y grows down), or None when two curves cross or
    are never apart across the x span they share."""
    if not curves:
        return None
    lo = max(float(c[:, 0].min()) for c in curves)
    hi = min(float(c[:, 0].max()) for c in curves)
    if hi <= lo:
        return None
    xs = lo + np.linspace(0.02, 0.98, _CHECKS) * (hi - lo)
    heights = np.array([[_y_at(c, x) for c in curves] for x in xs])  # (checks, curves)
    above = np.zeros(len(curves), dtype=int)
    for a in range(len(curves)):
        for b in range(a + 1, len(curves)):
            diff = heights[:, a] - heights[:, b]
            apart = np.abs(diff) >= _TIED_PT
            if not apart.any():
                return None  # the two are drawn as one: no order to read
            signs = np.sign(diff[apart])
            if np.any(signs != signs[0]):
                return None  # they cross
            above[a if signs[0] < 0 else b] += 1
    return [int(k) for k in np.argsort(-above, kind="stable")]


def _y_at(points: np.ndarray, x: float) -> float:
    """The curve's height where it crosses ``x`` (the highest crossing if several)."""
    xs, ys = points[:, 0], points[:, 1]
    crossing = np.flatnonzero((xs[:-1] - x) * (xs[1:] - x) <= 0)
    if crossing.size == 0:
        return float(ys[int(np.argmin(np.abs(xs - x)))])
    values = []
    for k in crossing:
        span = xs[k + 1] - xs[k]
        t = 0.0 if span == 0 else (x - xs[k]) / span
        values.append(ys[k] + t * (ys[k + 1] - ys[k]))
    return float(min(values))

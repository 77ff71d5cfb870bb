"""Words gathered into lines of text: captions, axis titles, curve labels, notes.

Subscripts and superscripts are words of their own (a smaller size); on a line they are glued
to the word they belong to without a space, so "V" + "DS" reads "VDS" as the page shows it.
Rotated words (axis titles running up the page) form columns read from bottom to top.
A line never runs across a wall (a graph's frame edge): a tick label left of the frame and a
curve label just inside it are two texts however close they stand.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from graphq.datasheet.words import Word

# Words of one line overlap vertically by this fraction of the smaller one (a subscript
# hangs half below its base).
_LINE_OVERLAP = 0.3
# ... and stand at most this many font sizes apart (a wide word space).
_LINE_GAP_EM = 1.2
# Some fonts set the degree sign as a raised letter O: "25OC" is 25 °C.
_DEGREE_AS_O = re.compile(r"(\d)\s?[Oo]\s?C\b")
# An OCR word continues a line when it stands level with one of its last this many words.
_REACH_BACK = 3
# An OCR word this much smaller than its neighbour is a sub- or superscript when it stands
# past the neighbour's baseline (top) by no more than this fraction of its own height (glyph
# boxes: lowercase after a capital with a descender is no smaller than ~0.8).
_SCRIPT_SIZE = 0.75
_SCRIPT_GAP = 0.4
# OCR words of one line may overlap by this many font sizes (a box taking in a space).
_OCR_OVERLAP_EM = 1.0
# A gap below this many font sizes is no space (a subscript set right after its base).
_NO_SPACE_EM = 0.12
# An OCR word that reads as a whole value with its unit ("250V", "-20V", "Ua=450V") is a
# label of its own: labels at crowded curve ends stand closer than a word space.
_OCR_LABEL = re.compile(r"^(?:[A-Za-z]{1,3}\d?=)?[-+−]?\d+(?:[.,]\d+)?(?:V|mA|A|W|°C)$")
# A word with at least this fraction of its height level with a wall stands beside it (a
# corner tick label, centred on the frame's end, may be set a little beyond it).
_WALL_COVER = 0.3


@dataclass(frozen=True)
class TextLine:
    words: tuple[Word, ...]
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    upright: bool

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


# A vertical line on the page, (x, y0, y1) in points, that no line of text runs across.
Wall = tuple[float, float, float]


def text_lines(words: list[Word], walls: Sequence[Wall] = ()) -> list[TextLine]:
    """Upright words joined into lines, rotated words into columns; no line crosses a wall."""
    upright = sorted((w for w in words if w.upright), key=lambda w: w.x0)
    rotated = sorted((w for w in words if not w.upright), key=lambda w: -w.bottom)
    lines: list[list[Word]] = []
    for word in upright:
        home = next(
            (
                line
                for line in lines
                if any(_continues_line(last, word, line[-1].x1) for last in _level_with(line, word))
                and not _walled(line, word, walls)
            ),
            None,
        )
        if home is None:
            lines.append([word])
        else:
            home.append(word)
    columns: list[list[Word]] = []
    for word in rotated:
        home = next((col for col in columns if _continues_column(col[-1], word)), None)
        if home is None:
            columns.append([word])
        else:
            home.append(word)
    return [_line(ws, True) for ws in lines] + [_line(ws, False) for ws in columns]


def _level_with(line: list[Word], word: Word) -> list[Word]:
    """The line's words ``word`` may continue: its last, and for OCR words (whose boxes hug
    their glyphs) the last few, so that after a subscript the next word is level with the
    symbol ("V" "DS" "= 10 V")."""
    if word.source == "ocr" and line[-1].source == "ocr":
        return line[-_REACH_BACK:]
    return line[-1:]


def _continues_line(last: Word, word: Word, end: float) -> bool:
    """Whether ``word`` continues a line that ends at ``end`` and holds ``last``."""
    size = max(last.size, word.size)
    overlap = min(last.bottom, word.bottom) - max(last.top, word.top)
    gap = word.x0 - end
    ocr = "ocr" == last.source == word.source
    small, big = sorted((last, word), key=lambda w: w.size)
    if ocr and small.size < _SCRIPT_SIZE * big.size:
        # A sub- or superscript stands past its base's baseline (top) by up to a little gap:
        # OCR boxes hug the glyphs, so they may not overlap at all.
        reach = _SCRIPT_GAP * small.size
        below = big.bottom < small.bottom and small.top <= big.bottom + reach
        above = small.top < big.top and small.bottom >= big.top - reach
        level = below or above or overlap > _LINE_OVERLAP * small.size
    else:
        level = overlap > _LINE_OVERLAP * min(last.size, word.size)
    if ocr and _OCR_LABEL.match(last.text) and _OCR_LABEL.match(word.text):
        return False
    # OCR may box a word with the space after it, over the next word's start.
    overlap_em = _OCR_OVERLAP_EM if ocr else 0.3
    return level and -overlap_em * size < gap < _LINE_GAP_EM * size


def _walled(line: list[Word], word: Word, walls: Sequence[Wall]) -> bool:
    """Whether a wall stands in the gap between a line and the word that would continue it:
    level with the middle the word shares with the line's last, or beside a good part of
    the word or of any word of the line. The top tick label stands centred on the frame's
    corner, half beyond the edge (its exponent wholly beyond): a title above the frame
    reaching down to it must not take it in ("1.0 Maximum Rated Safe Operating Area")."""
    last = line[-1]
    middle = (max(last.top, word.top) + min(last.bottom, word.bottom)) / 2
    return any(
        last.x1 - 0.5 < x < word.x0 + 0.5
        and last.x0 < x
        and (y0 <= middle <= y1 or any(_beside(w, y0, y1) for w in (*line, word)))
        for x, y0, y1 in walls
    )


def _beside(word: Word, y0: float, y1: float) -> bool:
    """Whether a good part of the word's height stands level with a wall from y0 to y1."""
    level = min(word.bottom, y1) - max(word.top, y0)
    return level > _WALL_COVER * (word.bottom - word.top)


def _continues_column(last: Word, word: Word) -> bool:
    size = max(last.size, word.size)
    overlap = min(last.x1, word.x1) - max(last.x0, word.x0)
    gap = last.top - word.bottom
    return overlap > _LINE_OVERLAP * min(last.size, word.size) and -0.3 * size < gap < (
        _LINE_GAP_EM * size
    )


def _line(words: list[Word], upright: bool) -> TextLine:
    parts = [words[0].text]
    for last, word in itertools.pairwise(words):
        gap = (word.x0 - last.x1) if upright else (last.top - word.bottom)
        small = min(last.size, word.size) < 0.85 * max(last.size, word.size)
        parts.append(
            word.text
            if (small and gap < 0.3 * word.size) or gap < _NO_SPACE_EM * word.size
            else " " + word.text
        )
    return TextLine(
        words=tuple(words),
        text=_DEGREE_AS_O.sub(r"\1°C", "".join(parts)),
        x0=min(w.x0 for w in words),
        top=min(w.top for w in words),
        x1=max(w.x1 for w in words),
        bottom=max(w.bottom for w in words),
        size=max(w.size for w in words),
        upright=upright,
    )

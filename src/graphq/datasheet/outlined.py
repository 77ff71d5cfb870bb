"""Vector graphs whose numbers are drawn as outlines: text to the eye, paths to the reader.

Some sheets have their tick and curve labels converted to outlines while titles stay text
(300B's page 2): the page's text layer is usable, yet no number of it stands by the frame, so
the axes cannot be read from it. Such a frame's surroundings are read by OCR with only the
page's filled paths (its glyphs) rendered; the words join the text layer's.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphq.datasheet.panels import Panel
from graphq.datasheet.region_ocr import frame_regions
from graphq.datasheet.words import Word

Box = tuple[float, float, float, float]


def outlined_frames(words: Sequence[Word], panels: Sequence[Panel]) -> list[Box]:
    """The frames with ticks on both axes but no digit of the text layer in the regions
    where their tick labels stand: their numbers, if printed, are outlines."""
    frames = []
    for panel in panels:
        if not panel.x_ticks or not panel.y_ticks:
            continue
        (region,) = frame_regions([panel.box])
        if not any(_inside(word, region) and _has_digit(word.text) for word in words):
            frames.append(panel.box)
    return frames


def with_read_words(text_words: Sequence[Word], read: Sequence[Word]) -> list[Word]:
    """The text layer's words and the OCR'd ones; a text-layer word the OCR also read (a
    bracket of "Ia(mA)" left as text) is kept once, as part of the OCR'd word."""
    kept = [word for word in text_words if not any(_overlap(word, other) for other in read)]
    return kept + list(read)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _inside(word: Word, region: Box) -> bool:
    x, y = word.centre
    return region[0] <= x <= region[2] and region[1] <= y <= region[3]


def _overlap(a: Word, b: Word) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom

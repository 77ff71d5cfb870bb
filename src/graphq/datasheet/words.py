"""Words on a page, wherever they came from: the PDF's text layer or OCR of a rendering.

Every stage that reads text (tick labels, axis titles, captions, curve labels, notes) takes
these, so the same reading works on a vector page and on a scan. Coordinates are PDF points
from the page's top-left corner, y growing downwards.
"""

from __future__ import annotations

from typing import Literal

import msgspec

WordSource = Literal["text", "ocr"]


class Word(msgspec.Struct, frozen=True):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    # Glyph height in points: tells a subscript or superscript from its base text.
    size: float
    # False for text running up or down the page (rotated axis titles).
    upright: bool = True
    source: WordSource = "text"
    # 0..1; 1 for the text layer, the engine's own confidence for OCR.
    confidence: float = 1.0

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2

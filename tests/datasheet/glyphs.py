"""Text drawn into a boolean ink mask, as :func:`graphq.datasheet.text_mask.text_for_ocr`
hands it on: OCR's later stages are tested on words whose glyphs and boxes are known."""

from __future__ import annotations

import numpy as np
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

from graphq.datasheet.tesseract import Box
from graphq.datasheet.words import Word

FONT_PATH = font_manager.findfont("DejaVu Sans")
# Font size (PIL's em, in pixels) at which a digit of DejaVu Sans stands about 24 px tall:
# the glyph height OCR scales text to (``OcrSettings.glyph_px``).
DIGIT_FONT_PX = 33
GLYPH_PX = 24.0


def blank(width: int = 360, height: int = 120) -> Image.Image:
    return Image.new("L", (width, height), 255)


def draw(image: Image.Image, text: str, at: tuple[int, int], size: int = DIGIT_FONT_PX) -> Box:
    """Draws ``text`` with its top-left at ``at``; its ink box (x0, top, x1, bottom)."""
    font = ImageFont.truetype(FONT_PATH, size)
    pen = ImageDraw.Draw(image)
    pen.text(at, text, fill=0, font=font)
    x0, top, x1, bottom = pen.textbbox(at, text, font=font)
    return int(x0), int(top), int(x1), int(bottom)


def mask(image: Image.Image) -> np.ndarray:
    return np.asarray(image) < 128


def word(text: str, box: Box, confidence: float = 0.95) -> Word:
    """An OCR word over ``box`` (x0, top, x1, bottom, in pixels)."""
    x0, top, x1, bottom = box
    return Word(text, x0, top, x1, bottom, bottom - top, True, "ocr", confidence)

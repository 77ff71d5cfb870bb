"""How images are prepared for tesseract and how its answers are filtered: one frozen value
shared by the whole-page reader (:mod:`graphq.datasheet.ocr`), the region reader and the
tick-label reader, so each stage's tunables stay in one place with their reasons."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcrSettings:
    """How an image is prepared for tesseract and how its answer is filtered."""

    # Pages are rendered at this resolution: a 7 pt tick label's digits are then ~20 px tall.
    page_dpi: int = 300
    # Tesseract's model reads best when a capital or a digit is about this tall (px) ...
    glyph_px: float = 24.0
    # ... so small text is scaled up by at most this factor (a blurry thumbnail gains nothing
    # beyond), and large text is never scaled down.
    max_upscale: float = 4.0
    # Ink darker than this is text (0 white paper .. 1 black).
    ink_threshold: float = 0.4
    # A straight run of ink this many glyph heights long is a rule (frame, grid), no glyph;
    # rules count from this paler ink (a light-grey grid).
    rule_ink: float = 0.15
    rule_glyphs: float = 2.2
    # A stroke that touched a rule and is at most this fraction of a glyph thick is a tick.
    tick_thickness: float = 0.25
    # Words tesseract is less sure of than this (0..1) are noise: specks, hatching, curves.
    min_confidence: float = 0.4
    # Pieces read alone (exponents, doubtful numbers, missed glyphs) are scaled to each of
    # these heights (px) and the surest reading is kept: tesseract's reading of one or two
    # glyphs alone swings with their size.
    piece_px: tuple[float, ...] = (24.0, 30.0, 36.0, 44.0)
    # Numbers it is less sure of than this are read again on their own.
    sure_confidence: float = 0.85
    # An exponent's bottom stands above this fraction of its base's height, from the top.
    superscript_bottom: float = 0.62
    # Turned text (axis titles) is kept when it has this many letters or digits and
    # tesseract is this sure of it: upright labels read sideways give short, doubtful junk.
    min_turned_chars: int = 2
    min_turned_confidence: float = 0.75
    # Glyphs no word covers are read when one is at least this many glyph heights tall (a
    # lone minus sign or a speck is no word) and none is taller or wider than the other ...
    min_glyph: float = 0.5
    max_glyph: float = 2.0
    # ... joined into one word across gaps of up to this many glyph heights.
    word_gap: float = 0.6
    # Seconds one tesseract run may take before the page is given up.
    timeout_s: float = 120.0


DEFAULT_SETTINGS = OcrSettings()

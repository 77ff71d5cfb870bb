"""The words of a page's text layer, grouped from PDFium's characters.

Characters join a word while they follow each other closely at one size: a sub- or
superscript starts a word of its own, so "V" + "DS" and "10" + "-1" stay readable apart.
A glyph the font maps to no character is skipped; Greek set in the Symbol font on Latin
codes ("m" for µ) is read as the Greek it draws.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from graphq.datasheet.words import Word

# PDF user space (x, y) → page points from the top-left corner.
PagePoint = Callable[[float, float], tuple[float, float]]


@dataclass(frozen=True)
class TextLayerSettings:
    # The next character continues a word when the gap to it is below this many font sizes
    # (letter spacing is ~0.05–0.15 em; a space is ~0.25 em).
    word_gap_em: float = 0.22
    # ... and its size is within this ratio: a sub- or superscript (~0.6–0.75 of its base)
    # starts a word of its own, so exponents and subscripts stay readable apart.
    same_size_ratio: float = 0.85
    # A page whose characters mostly have no Unicode mapping (CID fonts without ToUnicode)
    # has no usable text layer.
    max_unmapped_fraction: float = 0.3


def read_words(
    page: pdfium.PdfPage, to_page: PagePoint, settings: TextLayerSettings | None = None
) -> tuple[list[Word], float]:
    """Words grouped from characters, and the fraction of characters with no Unicode map.
    ``to_page`` maps PDF user space to top-left page points."""
    settings = settings or TextLayerSettings()
    text_page = page.get_textpage()
    try:
        raw = text_page.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        box = pdfium_c.FS_RECTF()
        chars: list[tuple[str, float, float, float, float, float, bool]] = []
        unmapped = 0
        for i in range(count):
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                chars.append((" ", 0, 0, 0, 0, 0, True))
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            text = chr(code) if code else " "
            if text in _SYMBOL_LETTERS and _font_name(raw, i).startswith(_SYMBOL_FONT):
                text = _SYMBOL_LETTERS[text]
            if pdfium_c.FPDFText_HasUnicodeMapError(raw, i) == 1 or (0 < code < 32):
                unmapped += 1
            if 0 < code < 32 and code not in (9, 10, 13):
                # A control code is a glyph the font maps to nothing ("−" of "−25" in some
                # fonts): it stands for no character, and must not split or spoil its word.
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(box)):
                pdfium_c.FPDFText_GetCharBox(
                    raw, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom),
                    ctypes.byref(top),
                )  # fmt: skip
                box.left, box.right, box.bottom, box.top = (
                    left.value, right.value, bottom.value, top.value,
                )  # fmt: skip
            x0, y0 = to_page(box.left, box.top)
            x1, y1 = to_page(box.right, box.bottom)
            angle = pdfium_c.FPDFText_GetCharAngle(raw, i)
            upright = angle < 0 or min(abs(angle), abs(angle - 2 * math.pi)) < 0.2
            size = (y1 - y0) if upright else (x1 - x0)
            chars.append((text, x0, y0, x1, y1, abs(size), upright))
        mapped = [c for c in chars if c[0].strip()]
        fraction = unmapped / max(1, len(mapped))
        return _group_words(chars, settings), fraction
    finally:
        text_page.close()


# The Symbol font sets Greek on Latin codes ("m" draws µ, "q" θ, "W" Ω); writers that embed
# it without a Unicode map leave the Latin letter in the text layer ("10ms" for "10 µs").
_SYMBOL_FONT = "Symbol"  # also SymbolMT, Symbol-Bold, ...
_SYMBOL_LETTERS = dict(
    zip(
        "abcdefghiklmnopqrstuwxyzABDFGLPQSWY",
        "αβχδεφγηικλµνοπθρστυωξψζΑΒΔΦΓΛΠΘΣΩΨ",
        strict=True,
    )
)


def _font_name(raw: pdfium_c.FPDF_TEXTPAGE, index: int) -> str:
    buffer = ctypes.create_string_buffer(64)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, len(buffer), ctypes.byref(flags))
    name = buffer.value.decode("latin-1")
    return name.split("+", 1)[-1]  # a subset's "ABCDEF+" tag is no part of the name


def _group_words(
    chars: list[tuple[str, float, float, float, float, float, bool]], settings: TextLayerSettings
) -> list[Word]:
    words: list[Word] = []
    current: list[tuple[str, float, float, float, float, float, bool]] = []

    def flush() -> None:
        if current:
            text = "".join(c[0] for c in current)
            words.append(
                Word(
                    text=text,
                    x0=min(c[1] for c in current),
                    top=min(c[2] for c in current),
                    x1=max(c[3] for c in current),
                    bottom=max(c[4] for c in current),
                    size=max(c[5] for c in current),
                    upright=current[0][6],
                )
            )
            current.clear()

    for char in chars:
        if not char[0].strip():
            flush()
            continue
        if current and not _continues(current[-1], char, settings):
            flush()
        current.append(char)
    flush()
    return words


def _continues(
    last: tuple[str, float, float, float, float, float, bool],
    char: tuple[str, float, float, float, float, float, bool],
    settings: TextLayerSettings,
) -> bool:
    if last[6] != char[6] or last[5] <= 0 or char[5] <= 0:
        return False
    ratio = min(last[5], char[5]) / max(last[5], char[5])
    if ratio < settings.same_size_ratio:
        return False
    size = max(last[5], char[5])
    if char[6]:
        gap = char[1] - last[3]
        across = min(last[4], char[4]) - max(last[2], char[2])
    else:
        # Rotated text reads up or down the page: the gap runs along y.
        gap = max(char[2] - last[4], last[2] - char[4])
        across = min(last[3], char[3]) - max(last[1], char[1])
    return -0.5 * size < gap < settings.word_gap_em * size and across > 0.3 * size

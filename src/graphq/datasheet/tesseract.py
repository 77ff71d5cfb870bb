"""The OCR engine: tesseract, in this process where its library is installed
(:mod:`graphq.datasheet.tesseract_library`), else run as a subprocess; its TSV answer parsed
into words.

Tesseract (Apache-2.0) and its English model come in Debian's ``tesseract-ocr`` package, so
reading needs no download and no network. Each run gets one thread: the machine's cores
belong to the worker pool, not to one page.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import msgspec
import numpy as np
from PIL import Image
from scipy import ndimage

from graphq.datasheet import tesseract_library
from graphq.datasheet.words import Word
from graphq.errors import GraphqError

# (x0, top, x1, bottom) in pixels.
Box = tuple[int, int, int, int]

# Page segmentation modes: scattered labels, and one uniform block (a composite of pieces).
SPARSE_TEXT = "11"
UNIFORM_BLOCK = "6"
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
# A composite of pieces is cut before it grows taller than this (px): tesseract refuses
# images past 32767 px a side.
_MAX_COMPOSITE_PX = 16000
# Dashes tesseract reads for a minus sign become the ASCII minus the readers parse.
_DASHES = str.maketrans({"—": "-", "–": "-", "−": "-", "‐": "-"})


def read_mask(
    mask: np.ndarray,
    psm: str,
    *,
    chars: str = "",
    min_confidence: float = 0.0,
    timeout_s: float = 120.0,
    invert: bool = True,
) -> list[Word]:
    """Tesseract's words for a binary image (True = ink) or one of ink darkness (0 paper ..
    1 black: tesseract sets its own threshold, which keeps a small glyph's faint strokes),
    in its pixel coordinates.

    ``chars`` restricts the characters tesseract may read; ``min_confidence`` (0..1) drops
    the words it is less sure of. ``invert`` False spares tesseract its second reading of
    each unsure line as light text on dark, where the image can hold none.
    """
    ink = mask if mask.dtype == bool else np.clip(mask, 0.0, 1.0)
    image = Image.fromarray(np.round(255.0 * (1.0 - ink)).astype(np.uint8))
    # Uncompressed greyscale: encoding a page as PNG costs more than reading it.
    pgm = _pgm(image)
    tsv = tesseract_library.read_tsv(pgm, psm, chars, timeout_s, invert=invert)
    if tsv is not None:
        return parse_tsv(tsv, min_confidence)
    engine = shutil.which("tesseract")
    if engine is None:
        raise GraphqError(
            "OCR_UNAVAILABLE",
            "tesseract is not installed; install the tesseract-ocr package to read scanned pages",
        )
    command = [engine, "stdin", "stdout", "--psm", psm, "-l", "eng"]
    if chars:
        command += ["-c", f"tessedit_char_whitelist={chars}"]
    if not invert:
        command += ["-c", "tessedit_do_invert=0"]
    try:
        done = subprocess.run(
            [*command, "tsv"],
            input=pgm,
            capture_output=True,
            timeout=timeout_s,
            env=_ENV,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise GraphqError("OCR_FAILED", f"tesseract took longer than {timeout_s:.0f} s") from exc
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise GraphqError("OCR_FAILED", f"tesseract failed: {lines[-1] if lines else '?'}")
    return parse_tsv(done.stdout.decode(errors="replace"), min_confidence)


def _pgm(image: Image.Image) -> bytes:
    header = f"P5\n{image.width} {image.height}\n255\n".encode()
    return header + image.tobytes()


def parse_tsv(tsv: str, min_confidence: float = 0.0) -> list[Word]:
    """Words (level 5 rows) of tesseract's TSV output; confidence scaled to 0..1."""
    words = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5":
            continue
        text = fields[11].strip().translate(_DASHES)
        confidence = float(fields[10]) / 100.0
        if not text or confidence < min_confidence:
            continue
        left, top, width, height = (float(v) for v in fields[6:10])
        words.append(
            Word(
                text=text,
                x0=left,
                top=top,
                x1=left + width,
                bottom=top + height,
                size=height,
                source="ocr",
                confidence=confidence,
            )
        )
    return words


Reading = tuple[str, float]


def read_pieces(
    mask: np.ndarray,
    boxes: list[Box],
    sizes_px: tuple[float, ...],
    *,
    chars: str = "",
    timeout_s: float = 120.0,
) -> list[list[Reading]]:
    """Per box of ``mask``, its text and confidence (0..1) read at each of ``sizes_px``.

    Each piece is scaled to each size and set on a line of its own in one composite image,
    read in one run: an exponent or a lone ``0`` is too small or too short for a page's
    sparse reading, but alone on a line at glyph size it reads like any word. Tesseract's
    reading of a word this short swings with its size, so the caller picks among sizes.
    """
    if not boxes:
        return []
    pieces = []
    for x0, top, x1, bottom in boxes:
        crop = mask[top:bottom, x0:x1].astype(np.float32)
        for size in sizes_px:
            pieces.append(ndimage.zoom(crop, size / max(1, crop.shape[0]), order=1) > 0.5)
    pad = round(max(sizes_px))
    read = _read_composite(pieces, pad, chars, timeout_s)
    count = len(sizes_px)
    return [read[i : i + count] for i in range(0, len(read), count)]


def _read_composite(
    pieces: list[np.ndarray], pad: int, chars: str, timeout_s: float
) -> list[Reading]:
    """Each piece's reading: its words joined left to right, at the least sure one's
    confidence."""
    read = []
    for words in read_piece_words(pieces, pad=pad, chars=chars, timeout_s=timeout_s):
        inside = sorted(words, key=lambda w: w.x0)
        confidence = min((w.confidence for w in inside), default=0.0)
        read.append(("".join(w.text for w in inside), confidence))
    return read


def read_piece_words(
    pieces: list[np.ndarray],
    *,
    pad: int,
    row_px: int = 0,
    chars: str = "",
    timeout_s: float = 120.0,
    invert: bool = True,
) -> list[list[Word]]:
    """Each piece's words, in the piece's own pixel coordinates, from one image with the
    pieces (binary masks, True = ink, or ink darkness 0..1) set ``pad`` px apart, read in
    one run; ``invert`` as :func:`read_mask` takes it.

    A piece is read as a line (or lines) of a uniform block, where tesseract's sparse-text
    search would skip a short word; a piece may hold several words or lines. Pieces stand
    side by side in rows up to ``row_px`` wide (0: one piece a row): tesseract's cost grows
    with the image's area, most of which, one piece a row, is blank.
    """
    if not pieces:
        return []
    width = max(row_px, max(piece.shape[1] for piece in pieces))
    places: list[tuple[int, int]] = []
    x, y, row_height = 0, 0, 0
    for piece in pieces:
        height, wide = piece.shape
        if x and (not row_px or x + wide > width):
            x, y, row_height = 0, y + row_height + pad, 0
        if y and y + height > _MAX_COMPOSITE_PX:
            break
        places.append((x, y))
        x, row_height = x + wide + pad, max(row_height, height)
    grey = any(piece.dtype != bool for piece in pieces)
    composite = np.zeros((y + row_height + 2 * pad, width + 2 * pad), float if grey else bool)
    for piece, (x, y) in zip(pieces, places, strict=False):
        composite[pad + y : pad + y + piece.shape[0], pad + x : pad + x + piece.shape[1]] = piece
    found = read_mask(composite, UNIFORM_BLOCK, chars=chars, timeout_s=timeout_s, invert=invert)
    per_piece = [
        [
            msgspec.structs.replace(
                w,
                x0=w.x0 - pad - x,
                x1=w.x1 - pad - x,
                top=w.top - pad - y,
                bottom=w.bottom - pad - y,
            )
            for w in found
            if 0 <= w.centre[0] - pad - x <= piece.shape[1]
            and 0 <= w.centre[1] - pad - y <= piece.shape[0]
        ]
        for piece, (x, y) in zip(pieces, places, strict=False)
    ]
    rest = pieces[len(places) :]
    return per_piece + read_piece_words(
        rest, pad=pad, row_px=row_px, chars=chars, timeout_s=timeout_s, invert=invert
    )

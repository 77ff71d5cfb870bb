"""Tesseract's library in this process: the command's TSV, to the byte, without its start."""

from __future__ import annotations

import shutil
import subprocess
import threading

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from graphq.datasheet import tesseract_library
from graphq.datasheet.tesseract import SPARSE_TEXT, UNIFORM_BLOCK, _pgm
from graphq.errors import GraphqError


def _page(lines: list[str], size: int = 26) -> bytes:
    image = Image.new("L", (520, 60 + 50 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size)
    for k, line in enumerate(lines):
        draw.text((20 + 37 * k, 20 + 50 * k), line, fill=0, font=font)
    return _pgm(image)


def _command_tsv(pgm: bytes, psm: str, chars: str = "", *settings: str) -> str:
    engine = shutil.which("tesseract")
    assert engine is not None
    command = [engine, "stdin", "stdout", "--psm", psm, "-l", "eng"]
    if chars:
        command += ["-c", f"tessedit_char_whitelist={chars}"]
    for setting in settings:
        command += ["-c", setting]
    done = subprocess.run(
        [*command, "tsv"],
        input=pgm,
        capture_output=True,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    return done.stdout.decode(errors="replace")


def test_library_reads_what_the_command_reads_in_any_order_and_mode() -> None:
    pages = [
        (_page(["VGS = 10 V", "Tj = 125°C", "8.0V"]), UNIFORM_BLOCK, ""),
        (_page(["0.1  1  10  100"]), SPARSE_TEXT, ""),
        (_page(["-40", "1E+02", "2.5"]), UNIFORM_BLOCK, "0123456789.,-+Ee"),
        (_page(["Ciss", "Coss", "Crss"], size=18), UNIFORM_BLOCK, ""),
    ]
    expected = [_command_tsv(pgm, psm, chars) for pgm, psm, chars in pages]
    # Each reading leaves nothing behind for the next: twice over, the whitelisted reading
    # between two plain ones.
    for index in [0, 2, 1, 3, 2, 0, 3, 1]:
        pgm, psm, chars = pages[index]
        assert tesseract_library.read_tsv(pgm, psm, chars, 60.0) == expected[index]
    assert "VGS" in expected[0]


def test_the_reading_as_light_text_on_dark_is_left_out_as_the_command_leaves_it_out() -> None:
    image = Image.new("L", (520, 160), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=26)
    draw.text((20, 20), "Tj = 125°C", fill=0, font=font)
    draw.rectangle((10, 80, 300, 130), fill=0)
    draw.text((20, 88), "ID = 5 A", fill=255, font=font)
    pgm = _pgm(image)
    inverted = _command_tsv(pgm, UNIFORM_BLOCK)
    upright = _command_tsv(pgm, UNIFORM_BLOCK, "", "tessedit_do_invert=0")
    # The light text on its dark band is read only by the inverted reading.
    assert "ID=5A" in inverted and "ID=5A" not in upright
    assert tesseract_library.read_tsv(pgm, UNIFORM_BLOCK, "", 60.0, invert=False) == upright
    # The engine is left as it was for the next reading.
    assert tesseract_library.read_tsv(pgm, UNIFORM_BLOCK, "", 60.0) == inverted


def test_each_thread_reads_with_its_own_engine() -> None:
    pgm = _page(["ID = 5 A"])
    expected = _command_tsv(pgm, UNIFORM_BLOCK)
    read: list[str | None] = []
    threads = [
        threading.Thread(
            target=lambda: read.append(tesseract_library.read_tsv(pgm, UNIFORM_BLOCK, "", 60.0))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read == [expected, expected]


def test_an_image_that_does_not_decode_is_an_ocr_failure() -> None:
    with pytest.raises(GraphqError) as failure:
        tesseract_library.read_tsv(b"P5\n10 10\n255\n", UNIFORM_BLOCK, "", 60.0)
    assert failure.value.code == "OCR_FAILED"


def test_blank_page_reads_no_words() -> None:
    blank = _pgm(Image.fromarray(np.full((40, 80), 255, np.uint8)))
    tsv = tesseract_library.read_tsv(blank, UNIFORM_BLOCK, "", 60.0)
    assert tsv is not None
    assert tsv.startswith(tesseract_library.TSV_HEADER)
    assert not [row for row in tsv.splitlines() if row.startswith("5\t")]


def test_a_reading_past_its_cpu_time_stops_as_an_ocr_failure() -> None:
    image = Image.new("L", (1200, 3000), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=20)
    for top in range(0, 3000, 30):
        draw.text((10, top), "VGS = 10 V  ID = 5 A  Tj = 25 C " * 3, fill=0, font=font)
    with pytest.raises(GraphqError) as failure:
        tesseract_library.read_tsv(_pgm(image), UNIFORM_BLOCK, "", 0.05)
    # Read whole, the page gives its words; stopped, it gives none and says why.
    assert failure.value.code == "OCR_FAILED"
    assert "CPU" in failure.value.message

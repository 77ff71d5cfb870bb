"""The tesseract engine: its TSV answer as words, and pieces read alone."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from graphq.datasheet.tesseract import UNIFORM_BLOCK, parse_tsv, read_mask, read_pieces

HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)


def test_word_rows_of_tsv_become_words_with_minus_signs_made_ascii() -> None:
    tsv = "\n".join(
        [
            HEADER,
            "4\t1\t1\t1\t1\t0\t10\t20\t30\t12\t-1\t",
            "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t91.5\t\u221255",
            "5\t1\t1\t1\t1\t2\t50\t20\t8\t12\t12.0\t~",
            "5\t1\t1\t1\t1\t3\t70\t20\t8\t12\t95.0\t ",
        ]
    )
    words = parse_tsv(tsv, min_confidence=0.4)
    assert [(w.text, w.x0, w.top, w.x1, w.bottom, w.size) for w in words] == [
        ("-55", 10.0, 20.0, 40.0, 32.0, 12.0)
    ]
    assert words[0].confidence == 0.915
    assert words[0].source == "ocr"


def test_pieces_are_read_alone_at_each_size() -> None:
    image = Image.new("L", (400, 60), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    draw.text((10, 10), "0", fill=0, font=font)
    draw.text((200, 10), "-40", fill=0, font=font)
    mask = np.asarray(image) < 128
    rows, columns = np.nonzero(mask[:, :100])
    zero = (int(columns.min()), int(rows.min()), int(columns.max()) + 1, int(rows.max()) + 1)
    rows, columns = np.nonzero(mask[:, 150:])
    minus_forty = (
        150 + int(columns.min()),
        int(rows.min()),
        151 + int(columns.max()),
        int(rows.max()) + 1,
    )

    read = read_pieces(mask, [zero, minus_forty], (30.0, 40.0), chars="0123456789-")

    assert [len(readings) for readings in read] == [2, 2]
    assert [max(readings, key=lambda r: r[1])[0] for readings in read] == ["0", "-40"]


def test_grey_ink_is_read_as_a_mask_is() -> None:
    image = Image.new("L", (300, 60), 255)
    ImageDraw.Draw(image).text((10, 10), "Ciss", fill=0, font=ImageFont.load_default(size=30))
    ink = 1.0 - np.asarray(image, dtype=np.float64) / 255.0
    assert [w.text for w in read_mask(ink, UNIFORM_BLOCK)] == ["Ciss"]
    assert [w.text for w in read_mask(ink > 0.5, UNIFORM_BLOCK)] == ["Ciss"]

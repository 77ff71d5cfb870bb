"""Clusters of glyph-sized ink: a line of words is one upright cluster, a title running up
the page one turned cluster, and dotted grids, stacked lines and curves are not text. The
glyphs are drawn here as filled blocks 10 px tall."""

from __future__ import annotations

import numpy as np

from graphq.datasheet.ocr_settings import OcrSettings
from graphq.datasheet.text_clusters import TextClusterSettings, text_clusters

GLYPH = 10
OCR = OcrSettings()
SETTINGS = TextClusterSettings()


def _glyphs(text: np.ndarray, top: int, lefts: list[int]) -> None:
    for left in lefts:
        text[top : top + GLYPH, left : left + 6] = True


def test_a_line_of_words_is_one_upright_cluster() -> None:
    text = np.zeros((60, 200), bool)
    _glyphs(text, 20, [10, 18, 26, 40, 48])  # two words, 6 px apart
    (cluster,) = text_clusters(text, GLYPH, OCR, SETTINGS)
    assert not cluster.turned
    left, top, right, bottom = cluster.box
    assert left <= 10 and right >= 54 and top <= 20 and bottom >= 30


def test_a_title_running_up_the_page_is_one_turned_cluster() -> None:
    text = np.zeros((200, 60), bool)
    for top in range(20, 160, 8):  # glyphs turned a quarter: 6 px tall, 10 wide, 2 apart
        text[top : top + 6, 20 : 20 + GLYPH] = True
    (cluster,) = text_clusters(text, GLYPH, OCR, SETTINGS)
    assert cluster.turned


def test_lines_stacked_close_are_upright_lines_not_a_turned_title() -> None:
    text = np.zeros((200, 60), bool)
    for top in range(20, 160, 14):  # "Top … Bottom": one-glyph lines with a gap between
        _glyphs(text, top, [20])
    clusters = text_clusters(text, GLYPH, OCR, SETTINGS)
    assert clusters
    assert not any(cluster.turned for cluster in clusters)


def test_a_dotted_grid_line_is_no_text() -> None:
    text = np.zeros((40, 300), bool)
    text[20:22, 5:295:6] = True  # 2 px dots every 6 px
    assert text_clusters(text, GLYPH, OCR, SETTINGS) == []


def test_a_curve_beside_a_word_joins_no_cluster() -> None:
    text = np.zeros((80, 300), bool)
    _glyphs(text, 10, [10, 18, 26])
    rows = np.linspace(70, 20, 250).astype(int)
    text[rows, np.arange(40, 290)] = True  # a slanted curve starting a gap after the word
    (cluster,) = text_clusters(text, GLYPH, OCR, SETTINGS)
    assert not cluster.reach[60:, :].any()
    assert cluster.box[2] < 60


def test_a_decimal_point_belongs_to_the_number_it_stands_in() -> None:
    text = np.zeros((40, 100), bool)
    _glyphs(text, 10, [10, 26])
    text[18:20, 20:22] = True  # a point a letter space from both digits
    (cluster,) = text_clusters(text, GLYPH, OCR, SETTINGS)
    left, top, _, _ = cluster.box
    assert cluster.reach[18 - top, 20 - left]

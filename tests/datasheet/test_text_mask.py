"""The text mask's glyphs gathered into words."""

from __future__ import annotations

import numpy as np

from graphq.datasheet.text_mask import glyph_clusters


def test_glyphs_a_word_gap_apart_are_one_word_and_a_dot_over_them_joins_across() -> None:
    text = np.zeros((30, 60), bool)
    text[10:20, 2:6] = text[10:20, 8:12] = True  # two glyphs 2 px apart: one word
    text[10:20, 30:34] = True  # a glyph 18 px on: another
    text[7:8, 9:11] = True  # a dot 2 px over the second glyph
    clusters, boxes = glyph_clusters(text, gap_px=3)
    assert len(boxes) == 3  # the dot stands alone along its line ...
    clusters, boxes = glyph_clusters(text, gap_px=3, side_px=2)
    assert len(boxes) == 2  # ... and joins its word across it
    assert boxes[0] == (slice(7, 20), slice(2, 12))
    assert not clusters[~text].any()

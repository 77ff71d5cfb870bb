import numpy as np

from graphq.datasheet.content import Strokes
from graphq.datasheet.rules import find_rules


def _strokes(segments: list[tuple[float, float, float, float]]) -> Strokes:
    n = len(segments)
    return Strokes(
        segments=np.array(segments, dtype=float),
        subpath=np.arange(n),
        path=np.zeros(n, dtype=int),
        width=np.array([0.5]),
        color=np.zeros((1, 3), dtype=int),
        dashed=np.array([False]),
        stroked=np.array([True]),
        filled=np.array([False]),
        fill_color=np.zeros((1, 3), dtype=int),
    )


def test_a_dotted_grid_line_of_tiny_dashes_is_one_rule() -> None:
    dots = [(x, 50.0, x + 0.2, 50.0) for x in np.arange(10.0, 200.0, 2.0)]
    rules = find_rules(_strokes(dots))
    assert len(rules.horizontal) == 1
    y, x0, x1 = rules.horizontal[0]
    assert y == 50.0 and x0 == 10.0 and abs(x1 - 198.2) < 1e-9


def test_rules_on_separate_rows_stay_apart_and_slanted_curves_are_no_rules() -> None:
    segments = [(0, 10, 100, 10), (0, 20, 100, 20), (5, 0, 5, 80), (0, 0, 50, 40)]
    rules = find_rules(_strokes(segments))
    assert sorted(rules.horizontal[:, 0].tolist()) == [10.0, 20.0]
    assert rules.vertical[:, 0].tolist() == [5.0]


def test_a_long_grid_line_drawn_slightly_off_level_is_still_a_rule() -> None:
    # 0.2 pt of drift over 205 pt, as some vendors' PDFs draw their grids.
    rules = find_rules(_strokes([(88.3, 546.7, 293.4, 546.9), (0, 0, 50, 40)]))
    assert len(rules.horizontal) == 1 and abs(rules.horizontal[0, 0] - 546.8) < 0.01

import numpy as np

from graphq.datasheet.arrows import find_marks, leaders_from
from graphq.datasheet.content import Strokes

BOX = (0.0, 0.0, 200.0, 150.0)


def _shapes(polygons: list[list[tuple[float, float]]]) -> Strokes:
    """Each polygon a closed, filled, unstroked subpath of its own path."""
    segments, subpath, path = [], [], []
    for k, polygon in enumerate(polygons):
        for a, b in zip(polygon, polygon[1:] + polygon[:1], strict=True):
            segments.append((*a, *b))
            subpath.append(k)
            path.append(k)
    n = len(polygons)
    return Strokes(
        segments=np.array(segments, dtype=float),
        subpath=np.array(subpath),
        path=np.array(path),
        width=np.full(n, 0.5),
        color=np.zeros((n, 3), dtype=int),
        dashed=np.zeros(n, dtype=bool),
        stroked=np.zeros(n, dtype=bool),
        filled=np.ones(n, dtype=bool),
        fill_color=np.zeros((n, 3), dtype=int),
    )


def test_an_arrow_drawn_as_filled_shapes_points_from_its_text_to_its_head_apex() -> None:
    # A thin filled shaft from (120, 80) to (100, 65) and a filled head whose apex is (96, 62).
    shaft = [(120.0, 80.4), (120.0, 79.6), (100.0, 64.6), (100.0, 65.4)]
    head = [(101.5, 67.5), (96.0, 62.0), (103.0, 64.0)]
    marks = find_marks(_shapes([shaft, head]), BOX)
    assert marks.is_mark.tolist() == [False, True]
    assert len(marks.shafts) == 1

    def word_distance(points: np.ndarray) -> np.ndarray:
        text = np.array([122.0, 80.0])  # a label starts just right of the shaft's tail
        return np.hypot(*(points - text).T)

    (leader,) = leaders_from(marks.shafts, marks.heads, word_distance, reach_pt=4.0)
    assert leader.headed
    assert np.allclose(leader.tip, (96.0, 62.0))
    assert np.allclose(leader.text_end, (120.0, 80.0), atol=0.5)


def test_a_shaft_far_from_any_word_is_no_leader() -> None:
    shaft = [(120.0, 80.4), (120.0, 79.6), (100.0, 64.6), (100.0, 65.4)]
    marks = find_marks(_shapes([shaft]), BOX)
    far = leaders_from(marks.shafts, [], lambda p: np.full(len(p), 50.0), reach_pt=4.0)
    assert far == []

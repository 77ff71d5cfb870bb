import numpy as np

from graphq.datasheet.nearness import NearnessSettings, own_stretches


def test_a_straight_segment_run_along_by_another_curve_is_shared_whole() -> None:
    # Two outlines down one VDS limit at x = 100: the longer drop starts higher, but the
    # limit is one line, so neither curve owns any of it.
    high = np.array([[0.0, 0.0], [100.0, 20.0], [100.0, 100.0]])
    low = np.array([[0.0, 10.0], [100.0, 40.0], [100.0, 100.0]])
    own_high, own_low = own_stretches([high, low], NearnessSettings())
    for own, corner in ((own_high, 20.0), (own_low, 40.0)):
        on_limit = own[own[:, 0] > 99.5]
        assert np.all(on_limit[:, 1] <= corner + 1.0)  # nothing of the drop below the corner
        assert len(own) > 90  # each keeps its own slanted line


def test_a_curve_with_nothing_of_its_own_is_measured_whole() -> None:
    line = np.array([[0.0, 0.0], [50.0, 50.0]])
    own_a, own_b = own_stretches([line, line.copy()], NearnessSettings())
    assert len(own_a) == len(own_b) >= 50


def test_curves_that_only_touch_keep_their_own_stretches() -> None:
    fan = [np.array([[0.0, 0.0], [100.0, end]]) for end in (20.0, 60.0)]
    own = own_stretches(fan, NearnessSettings())
    assert all(len(points) > 90 for points in own)

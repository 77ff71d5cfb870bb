"""A curve's end hooked away from the curve it joins is cut back onto it; ends that leave
the plot, or stray where no curve runs on, keep their hooks."""

import numpy as np

from graphq.digitizer.tracking.hooks import unhook
from graphq.digitizer.tracking.merged import extend_into_bundles
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import traced_curve

# Lines 1 px wide on a 200-column plot: a hook is up to 6 columns, straying over 4.5 px.
_SCALE = PlotScale(1.0, None, 200, 160)


def _bundle_host() -> tuple[np.ndarray, np.ndarray]:
    """A steep curve, from the bottom near the left edge to the top right."""
    columns = np.arange(5, 195)
    return columns, 150.0 - 0.7 * (columns - 5)


def _joining(hook_rows: list[float]) -> list[TracedCurve]:
    """The host, and a flatter curve leaving it at column 80, its first samples hooked."""
    columns, rows = _bundle_host()
    host = traced_curve(columns, rows)
    own = np.arange(80, 195)
    own_rows = 150.0 - 0.7 * 75 - 0.3 * (own - 80)
    hook_columns = np.arange(80 - len(hook_rows), 80)
    joined = traced_curve(
        np.concatenate([hook_columns, own]), np.concatenate([hook_rows, own_rows])
    )
    return [host, joined]


def test_a_hooked_start_is_cut_back_onto_the_curve_it_leaves_and_carried_along_it() -> None:
    curves = _joining([80.0, 82.0])
    unhooked = unhook(curves, _SCALE)
    assert int(unhooked[1].column[0]) == 80
    carried = extend_into_bundles(unhooked, _SCALE)
    assert int(carried[1].column[0]) == 5
    assert int(extend_into_bundles(curves, _SCALE)[1].column[0]) == 78


def test_a_start_straying_where_no_curve_runs_on_keeps_its_hook() -> None:
    columns = np.arange(5, 195)
    far = traced_curve(columns, np.full(columns.size, 140.0))
    own = np.arange(100, 195)
    lone = traced_curve(
        np.concatenate([[97, 98, 99], own]), np.concatenate([[30.0, 31.0, 32.0], 60.0 + 0 * own])
    )
    assert unhook([far, lone], _SCALE)[1] is lone


def test_an_end_at_the_frame_keeps_its_hook() -> None:
    columns, rows = _bundle_host()
    host = traced_curve(columns, rows)
    own = np.arange(0, 100)
    steep_end = traced_curve(
        np.concatenate([own, [100, 101]]), np.concatenate([150.0 - 0.7 * own, [158.0, 159.0]])
    )
    assert unhook([host, steep_end], _SCALE)[1] is steep_end

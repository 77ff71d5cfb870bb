"""What is left of the frame after grid removal is not taken for a curve; a dotted curve is;
transfer curves crossing at one point are traced whole through it; a caller binding labels
itself has the label reading left out."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from graphq.digitizer import Axes, Axis, GraphMeta, digitize
from graphq.digitizer.methods.standard import _along_frame, _explaining, _off_frame
from graphq.digitizer.tracking.tracks import TracedCurve, seen_columns
from graphq.review import ReviewReason
from tests.digitizer.curves import traced_curve
from tests.digitizer.plots import render_plot, render_uneven_plot

_HEIGHT = 100


def _curve(rows: np.ndarray) -> TracedCurve:
    return traced_curve(np.arange(rows.size), rows)


@pytest.mark.parametrize("edge_row", [1.0, _HEIGHT - 2.0], ids=["top", "bottom"])
def test_a_curve_lying_on_the_top_or_bottom_frame_line_is_frame_residue(
    edge_row: float,
) -> None:
    rows = np.full(200, edge_row)
    rows[:20] = 50.0  # a curve ran into the frame residue for its first tenth
    assert _along_frame(_curve(rows), _HEIGHT)


@pytest.mark.parametrize("edge_row", [1.0, _HEIGHT - 2.0], ids=["top", "bottom"])
def test_a_curve_that_only_starts_on_the_frame_line_is_no_frame_residue(
    edge_row: float,
) -> None:
    columns = np.arange(200, dtype=np.float64)
    # Runs on the frame line over its first 60 columns, then leaves it for the plot inside.
    rows = edge_row + np.sign(50.0 - edge_row) * np.clip(columns - 60.0, 0.0, 48.0)
    assert not _along_frame(_curve(rows), _HEIGHT)


def test_the_stretch_of_a_curve_along_the_bottom_frame_line_is_cut_off() -> None:
    columns = np.arange(200, dtype=np.float64)
    # On the frame line over its first 60 columns (a transfer curve below its threshold),
    # then rising into the plot.
    rows = np.minimum(_HEIGHT - 1.0, _HEIGHT - 1.0 - 0.5 * (columns - 60))
    kept = _off_frame(_curve(rows), _HEIGHT, reach_px=2.0)
    assert kept.column[0] == 65
    np.testing.assert_allclose(kept.middle, rows[65:])


def test_a_curve_running_clear_of_the_frame_line_is_kept_whole() -> None:
    rows = np.full(200, _HEIGHT - 5.0)
    assert _off_frame(_curve(rows), _HEIGHT, reach_px=2.0).column.size == 200


def test_a_curve_sinking_onto_the_bottom_frame_line_is_followed_to_where_it_meets_it() -> None:
    # Falling at a shallow angle to zero at the right edge (a derating line, Crss at high
    # voltage): its last stretch lies within a line's width of the frame line, and is the
    # curve all the same.
    figure = plt.figure(figsize=(8.0, 6.0), dpi=100)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.74))
    x = np.linspace(0, 10, 400)
    axes.plot(x, 0.3 + 3 * np.exp(-x) - 0.03 * x, color="black", lw=1.5)
    axes.plot(x, 3 + 0.2 * x, color="black", lw=1.5)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 6)
    axes.grid(True, color="0.75")
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    meta = GraphMeta(axes=Axes(x=Axis(min=0, max=10), y=Axis(min=0, max=6)), read_labels=False)
    lowest = min(digitize(pixels, meta).curves, key=lambda c: min(y for _, y in c.points))
    assert max(x for x, _ in lowest.points) >= 9.8


def test_the_gaps_between_a_thick_dotted_curves_dots_count_as_seen() -> None:
    # 3 px dots every 8 columns: ink in only 3 of 8 columns, yet seen all along.
    columns = np.array([c for c in range(400) if c % 8 < 3])
    rows = 50.0 + 0.1 * columns
    dotted = traced_curve(columns, rows)
    assert seen_columns(dotted, dot_gap_px=6) == 400 - 5


def test_a_gap_longer_than_a_dots_is_not_seen() -> None:
    columns = np.concatenate((np.arange(0, 100), np.arange(200, 300)))
    rows = np.full(columns.size, 50.0)
    bridged = traced_curve(columns, rows)
    assert seen_columns(bridged, dot_gap_px=6) == 200


def test_erased_grid_and_dashes_explain_a_sloping_curves_gaps_but_not_a_flat_traces() -> None:
    """A horizontal grid line's remnant is cut at every vertical line just as a curve is on a
    dark grid, and a dotted one's in a rhythm as a dashed curve's: only a trace that goes
    somewhere has its gaps explained by the erasure or by a dash pattern."""
    columns = np.arange(0, 100)
    erased = np.zeros(100, dtype=bool)
    erased[40:50] = True
    sloping = traced_curve(columns, 20.0 + 0.5 * columns)
    flat = traced_curve(columns, np.full(columns.size, 20.0))
    explained, dashed = _explaining(sloping, erased, line_width=1.0)
    assert explained is erased and dashed
    assert _explaining(flat, erased, line_width=1.0) == (None, False)


def _bending_through_one_point(slope: float, x: np.ndarray) -> np.ndarray:
    return 5 + slope * (x - 5) - 0.15 * (x - 5) ** 2


def test_transfer_curves_crossing_at_one_point_are_traced_whole_through_it() -> None:
    # Three black curves bending alike through one point, at slopes so close that the
    # tracks bounce off each other there.
    slopes = (0.45, 0.35, 0.25)
    figure = plt.figure(figsize=(6, 4.5), dpi=100)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.8))
    x = np.linspace(0, 10, 500)
    for slope in slopes:
        axes.plot(x, _bending_through_one_point(slope, x), color="black", lw=1.5)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 10)
    figure.canvas.draw()
    image = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    meta = GraphMeta(axes=Axes(x=Axis(min=0, max=10), y=Axis(min=0, max=10)), graph_type="transfer")
    curves = digitize(image, meta).curves
    assert len(curves) == 3
    for curve in curves:
        points = np.array(curve.points)
        # Before the point and after it, the curve follows one and the same drawn curve.
        nearest = []
        for part in (points[points[:, 0] < 3], points[points[:, 0] > 7]):
            errors = [
                np.abs(part[:, 1] - _bending_through_one_point(s, part[:, 0])) for s in slopes
            ]
            nearest.append(int(np.argmin([np.median(e) for e in errors])))
            assert min(float(np.median(e)) for e in errors) < 0.1
        assert nearest[0] == nearest[1]


def test_labels_are_not_read_from_the_image_when_the_caller_binds_its_own() -> None:
    # The labels drawn beside the curves would win over given ones in the wrong order.
    image, frame = render_plot(curve_labels=True)
    given = [f"VGS = {k} V" for k in range(1, 6)]  # lowest first
    meta = GraphMeta(
        axes=Axes(x=Axis(min=0, max=10), y=Axis(min=0, max=6)),
        graph_type="output",
        plot_area=frame,
        labels=given,
        read_labels=False,
    )
    steps: list[str] = []
    result = digitize(image, meta, progress=lambda _fraction, step: steps.append(step))
    assert [curve.label for curve in result.curves] == given
    assert ReviewReason.LABELS_BY_ORDER in {note.code for note in result.review.reasons}
    assert "reading labels" not in steps


def test_a_graph_on_hand_drawn_axes_is_read_by_its_tick_labels() -> None:
    """Its decades and steps differ in width: mapped evenly from the range, the curve's
    median error is over 1 % of the span."""
    pixels, _, truth = render_uneven_plot()
    meta = GraphMeta(axes=Axes(x=Axis(0.1, 100, "log"), y=Axis(0, 3)), read_labels=False)
    result = digitize(pixels, meta)
    assert len(result.curves) == 1
    points = np.array(result.curves[0].points)
    inside = (points[:, 0] > 0.12) & (points[:, 0] < 90)
    expected = np.interp(np.log10(points[inside, 0]), np.log10(truth[:, 0]), truth[:, 1])
    assert float(np.median(np.abs(points[inside, 1] - expected))) / 3 < 0.004
    assert any("unevenly spaced; mapped piecewise" in w for w in result.warnings)

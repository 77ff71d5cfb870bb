"""A curve's end hidden under a label standing against the frame is carried on to the frame;
an end whose way to the frame is open, or too long for a label, stays where it was seen."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.tracking.hidden_ends import extend_under_labels
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.types import Axes, Axis
from graphq.review import ReviewReason
from tests.digitizer.curves import traced_curve

# A 200 × 100 plot of lines 2 px wide: a label's width (``max_corner``) is 30 columns.
_SCALE = PlotScale(2.0, None, 200, 100)


def _label_at_left_frame(columns: int) -> np.ndarray:
    """Where a label standing against the left frame, ``columns`` wide, covered the plot."""
    covered = np.zeros(_SCALE.shape, dtype=bool)
    covered[30:50, :columns] = True
    return covered


def test_a_start_hidden_under_a_label_at_the_frame_is_carried_to_the_frame() -> None:
    columns = np.arange(20, 200)
    curve = traced_curve(columns, 40.0 - 0.1 * (columns - 20))
    carried = extend_under_labels([curve], _SCALE, _label_at_left_frame(22))
    [extended] = carried.curves
    np.testing.assert_array_equal(extended.column, np.arange(0, 200))
    # On along the curve's own line, seen in no run.
    np.testing.assert_allclose(extended.middle[:20], 40.0 - 0.1 * (np.arange(0, 20) - 20))
    assert not extended.shared[:20].any()
    np.testing.assert_array_equal(extended.middle[20:], curve.middle)
    # Drawn where no ink was seen, a guess, so a review reason: which curve, which columns.
    [said] = carried.review.reasons
    assert said.code is ReviewReason.LOW_CONFIDENCE
    assert "columns 20–199 (its start at row 40)" in said.message and "left" in said.message
    assert "columns 0–19" in said.message


def test_an_end_with_open_plot_before_the_frame_stays() -> None:
    columns = np.arange(20, 200)
    curve = traced_curve(columns, np.full(columns.size, 40.0))
    # The label covers only 4 of the 20 columns to the frame: the curve was seen to start.
    kept = extend_under_labels([curve], _SCALE, _label_at_left_frame(4))
    np.testing.assert_array_equal(kept.curves[0].column, columns)
    assert not kept.review.needs_review


def test_a_gap_wider_than_a_label_or_longer_than_the_curve_beside_it_stays() -> None:
    far = traced_curve(np.arange(40, 200), np.full(160, 40.0))
    assert extend_under_labels([far], _SCALE, _label_at_left_frame(40)).curves[0].column[0] == 40
    short = traced_curve(np.arange(20, 50), np.full(30, 40.0))
    assert extend_under_labels([short], _SCALE, _label_at_left_frame(22)).curves[0].column[0] == 20


def test_a_continuation_leaving_the_plot_through_its_top_stays() -> None:
    columns = np.arange(20, 200)
    curve = traced_curve(columns, 5.0 + 1.0 * (columns - 20) / 2.0)
    covered = np.zeros(_SCALE.shape, dtype=bool)
    covered[:20, :22] = True
    assert extend_under_labels([curve], _SCALE, covered).curves[0].column[0] == 20


def test_thermal_curves_labelled_over_their_starts_reach_the_left_frame() -> None:
    # Thermal-impedance curves, each named at the left frame by a label whose white
    # background hides the curve's first tenth, as vendors print them.
    figure = plt.figure(figsize=(8.0, 6.0), dpi=100.0)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.74))
    pulse = np.logspace(-5, 1, 400)
    for duty, floor in ((0.5, 0.35), (0.2, 0.15), (0.05, 0.05)):
        axes.loglog(pulse, floor + (1 - floor) * pulse / (pulse + 1e-2), color="black", lw=1.2)
        axes.text(
            1.1e-5,
            floor * 1.02,
            f"D = {duty}",
            fontsize=11,
            va="center",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
        )
    axes.set_xlim(1e-5, 10)
    axes.set_ylim(0.01, 2)
    axes.grid(True, which="major", color="0.75")
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    meta = GraphMeta(
        axes=Axes(x=Axis(min=1e-5, max=10, scale="log"), y=Axis(min=0.01, max=2, scale="log")),
        read_labels=False,
    )
    result = digitize(pixels, meta)
    starts = sorted(min(x for x, _ in curve.points) for curve in result.curves)
    assert len(starts) == 3
    assert all(start < 1.5e-5 for start in starts)
    # Each start carried under its label is said in the result's warnings and review.
    assert sum("carried on under a label" in w for w in result.warnings) >= 3
    carried = [n for n in result.review.reasons if "carried on under a label" in n.message]
    assert len(carried) >= 3 and result.review.needs_review
    assert all(note.code is ReviewReason.LOW_CONFIDENCE for note in carried)

"""Flat traces that are pieces of a grid line broken by a label are dropped; flat curves, and
curves that bend away or end in the open, stay."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from graphq.digitizer import Axes, Axis, GraphMeta, digitize
from graphq.digitizer.strays.grid_remnants import drop_grid_remnants
from graphq.digitizer.tracking.runs import ColumnRuns, column_runs
from graphq.digitizer.tracking.tracks import TracedCurve

_SHAPE = (200, 300)
_ROW = 60
# A label's cover (text erased, grown by half a glyph) over the line's row.
_LABEL = (slice(_ROW - 10, _ROW + 11), slice(120, 180))


def _plot(remnant_rows: int, remnant_ink: float = 1.0) -> np.ndarray:
    """Ink of a plot: a heavy sloping curve (3 px of black) and a flat line ``remnant_rows``
    thick from the frame to the label, on on the label's other side to the frame."""
    ink = np.zeros(_SHAPE, dtype=np.float32)
    columns = np.arange(_SHAPE[1])
    rows = np.round(180 - 0.4 * columns).astype(int)
    for offset in range(3):
        ink[rows + offset, columns] = 1.0
    ink[_ROW : _ROW + remnant_rows, : _LABEL[1].start] = remnant_ink
    ink[_ROW : _ROW + remnant_rows, _LABEL[1].stop :] = remnant_ink
    return ink


def _traced(runs: ColumnRuns, columns: np.ndarray, rows: np.ndarray) -> TracedCurve:
    """The curve through the runs holding ``rows`` at ``columns``."""
    index = np.array(
        [
            next(i for i in runs.in_column(c) if runs.top[i] <= r <= runs.bottom[i])
            for c, r in zip(columns, np.round(rows).astype(int), strict=True)
        ]
    )
    middle = runs.centroid[index]
    return TracedCurve(columns, middle, middle, np.ones(columns.size, dtype=np.int64), index)


def _under_labels() -> np.ndarray:
    covered = np.zeros(_SHAPE, dtype=bool)
    covered[_LABEL] = True
    return covered


def _curves(ink: np.ndarray, line: tuple[np.ndarray, np.ndarray]) -> list[TracedCurve]:
    runs = column_runs(ink, 0.3)
    columns = np.arange(_SHAPE[1])
    sloping = _traced(runs, columns, 181 - 0.4 * columns)
    return [sloping, _traced(runs, *line)]


def _kept(ink: np.ndarray, line: tuple[np.ndarray, np.ndarray]) -> int:
    curves = _curves(ink, line)
    return len(drop_grid_remnants(curves, column_runs(ink, 0.3), _under_labels(), 3.0))


def _across() -> tuple[np.ndarray, np.ndarray]:
    """The line's trace from frame to frame, linked across the label."""
    columns = np.concatenate((np.arange(0, 120), np.arange(180, _SHAPE[1])))
    return columns, np.full(columns.size, float(_ROW))


def test_a_thin_grid_line_linked_across_a_label_is_dropped() -> None:
    assert _kept(_plot(remnant_rows=1), _across()) == 1


def test_a_piece_from_the_frame_to_a_label_is_dropped() -> None:
    columns = np.arange(0, 120)
    assert _kept(_plot(remnant_rows=1), (columns, np.full(columns.size, float(_ROW)))) == 1


def test_a_pale_grid_line_as_thick_as_the_curves_is_dropped() -> None:
    assert _kept(_plot(remnant_rows=3, remnant_ink=0.5), _across()) == 1


def test_a_thin_flat_line_from_frame_to_frame_no_label_touches_stays() -> None:
    # Saturated output curves run flat from frame to frame, as thin as a grid line may be.
    ink = _plot(remnant_rows=1)
    ink[_ROW, _LABEL[1]] = 1.0
    columns = np.arange(_SHAPE[1])
    curves = _curves(ink, (columns, np.full(columns.size, float(_ROW))))
    kept = drop_grid_remnants(curves, column_runs(ink, 0.3), np.zeros(_SHAPE, dtype=bool), 3.0)
    assert len(kept) == 2


def test_a_thin_dashed_flat_curve_ending_at_its_label_stays() -> None:
    # A dashed Ciss, flat from the frame to its label at its end: its dash gaps are no label's.
    ink = _plot(remnant_rows=1)
    dashes = np.arange(0, 120)
    ink[_ROW, dashes[dashes % 10 >= 6]] = 0.0
    columns = dashes[dashes % 10 < 6]
    assert _kept(ink, (columns, np.full(columns.size, float(_ROW)))) == 2


def test_a_curve_running_alone_in_one_nicked_column_is_weighed_by_all_its_runs() -> None:
    # The heavy curve shares its runs with a bundle but for one column, where it is nicked
    # to a pale pixel: weighed there alone it would seem lighter than the grid line.
    ink = _plot(remnant_rows=1)
    nick = 250
    top = round(180 - 0.4 * nick)
    ink[top : top + 3, nick] = 0.0
    ink[top + 1, nick] = 0.4
    runs = column_runs(ink, 0.3)
    heavy, line = _curves(ink, _across())
    heavy.shared[:] = 2
    heavy.shared[nick] = 1
    assert len(drop_grid_remnants([heavy, line], runs, _under_labels(), 3.0)) == 1


def test_a_thin_flat_curve_broken_by_its_label_stays_beside_a_curve_as_thin() -> None:
    ink = _plot(remnant_rows=1)
    columns = np.arange(_SHAPE[1])
    thin_rows = np.round(150 - 0.3 * columns).astype(int)
    ink[thin_rows, columns] = 1.0
    runs = column_runs(ink, 0.3)
    curves = [*_curves(ink, _across()), _traced(runs, columns, thin_rows.astype(float))]
    assert len(drop_grid_remnants(curves, runs, _under_labels(), 3.0)) == 3


def test_a_flat_curve_as_heavy_as_the_others_stays() -> None:
    assert _kept(_plot(remnant_rows=3), _across()) == 2


def test_a_thin_flat_trace_that_ends_in_the_open_stays() -> None:
    columns = np.arange(0, 90)
    assert _kept(_plot(remnant_rows=1), (columns, np.full(columns.size, float(_ROW)))) == 2


def test_a_thin_trace_that_bends_away_from_the_line_stays() -> None:
    ink = _plot(remnant_rows=1)
    columns = np.arange(0, 120)
    rows = np.where(columns < 60, _ROW, _ROW + (columns - 60))
    ink[_ROW, 60:120] = 0.0
    ink[rows[columns >= 60], columns[columns >= 60]] = 1.0
    assert _kept(ink, (columns, rows.astype(float))) == 2


def _vendor_plot() -> np.ndarray:
    """A vendor-style plot: a thin black grid drawn unevenly, two heavier curves, and a note
    with a white background laid over the top grid line at the frame."""
    figure = plt.figure(figsize=(6, 4.2), dpi=100)
    axes = figure.add_axes((0.12, 0.12, 0.82, 0.8))
    for y in (0.5, 1.02, 1.48, 2.03, 2.5):
        axes.axhline(y, color="black", lw=0.5)
    for x in range(1, 10):
        axes.axvline(x, color="black", lw=0.5)
    x = np.linspace(0, 10, 300)
    axes.plot(x, 0.6 + 0.2 * x, color="black", lw=1.6)
    axes.plot(x, 0.2 + 0.05 * x**1.5, color="black", lw=1.6)
    note = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}
    axes.text(0.3, 2.5, "TJ = 25°C\nIC/IB = 10", va="center", fontsize=9, bbox=note)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 3)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(figure)
    return pixels


def test_a_grid_line_a_note_breaks_is_not_traced_as_a_curve() -> None:
    axes = Axes(x=Axis(min=0, max=10, scale="linear"), y=Axis(min=0, max=3, scale="linear"))
    result = digitize(_vendor_plot(), GraphMeta(axes=axes))
    # Both curves rise by over 1 V; the grid line at 2.5 V would be flat.
    rises = [float(np.ptp(np.array(c.points)[:, 1])) for c in result.curves]
    assert len(rises) == 2
    assert min(rises) > 1.0

"""A trace that copies a curve from the frame and then floats off through a faint line of text
is dropped; curves that start or stop inside the plot on their own way are kept."""

import numpy as np

from graphq.digitizer.strays.chained_text import drop_chained_text
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import traced_curve

_SHAPE = (200, 400)
_GLYPH_PX = 8.0
_SCALE = PlotScale(2.0, _GLYPH_PX, _SHAPE[1], _SHAPE[0])


def _rising(columns: np.ndarray) -> np.ndarray:
    """A curve rising from the bottom left to the top right, frame to frame."""
    return 190.0 - 0.45 * columns


def _curve() -> TracedCurve:
    columns = np.arange(0, _SHAPE[1])
    return traced_curve(columns, _rising(columns))


def _chained(rows_apart: np.ndarray) -> TracedCurve:
    """A trace along the curve from the right frame back to column 300, then on, leftwards,
    along ``rows_apart`` (one row per column, ending inside the plot)."""
    along = np.arange(300, _SHAPE[1])
    apart = np.arange(300 - rows_apart.size, 300)
    columns = np.concatenate((apart, along))
    return traced_curve(columns, np.concatenate((rows_apart, _rising(along))))


def test_a_copy_running_on_into_a_flat_line_of_text_is_dropped_with_a_warning() -> None:
    # Flat at the row the curve has at column 300, as a label's baseline beside it is,
    # wobbling by a pixel through faint letters, twenty glyphs wide.
    text = _rising(np.array([300]))[0] + np.tile([0.0, 1.0, 0.0, -1.0], 40)
    curve, trace = _curve(), _chained(text)
    kept, dropped = drop_chained_text([curve, trace], _GLYPH_PX, _SCALE)
    assert kept == [curve]
    assert len(dropped) == 1 and "line of text" in dropped[0]


def test_a_curve_leaving_another_and_falling_to_its_own_end_inside_the_plot_stays() -> None:
    # Apart from the curve it starts on, it falls by far more than a line of text is tall.
    columns = np.arange(300 - 160, 300)
    falling = _rising(np.array([300]))[0] + 0.5 * (300 - columns)
    curve, trace = _curve(), _chained(falling)
    kept, dropped = drop_chained_text([curve, trace], _GLYPH_PX, _SCALE)
    assert kept == [curve, trace] and dropped == []


def test_a_flat_curve_from_the_frame_that_runs_apart_most_of_its_way_stays() -> None:
    # From the left frame, apart from the rising curve, to an end inside the plot: never
    # lying on a longer curve, it copies none.
    columns = np.arange(0, 120)
    flat = traced_curve(columns, np.full(columns.size, 60.0))
    kept, dropped = drop_chained_text([_curve(), flat], _GLYPH_PX, _SCALE)
    assert len(kept) == 2 and dropped == []


def test_two_copies_through_the_same_text_do_not_vouch_for_each_other() -> None:
    text = np.full(160, _rising(np.array([300]))[0])
    curve = _curve()
    kept, dropped = drop_chained_text(
        [curve, _chained(text), _chained(text + 1.0)], _GLYPH_PX, _SCALE
    )
    assert kept == [curve] and len(dropped) == 2


def _text_row() -> np.ndarray:
    return np.full(160, _rising(np.array([300]))[0])


def test_a_curve_of_a_bundle_merging_into_one_line_is_no_text() -> None:
    # Two longer curves lie together where the trace runs on them: a bundle merged, as
    # thermal curves at long pulses are; the trace is the bundle's own curve.
    curve, trace = _curve(), _chained(_text_row())
    twin = traced_curve(curve.column, curve.middle + 1.0)
    kept, dropped = drop_chained_text([curve, twin, trace], _GLYPH_PX, _SCALE)
    assert len(kept) == 3 and dropped == []


def test_a_flat_curve_part_that_keeps_rising_is_no_text() -> None:
    # Within a line of text's height from top to bottom, but rising steadily all along.
    rising = _text_row() + np.linspace(15.0, 0.0, 160)
    curve, trace = _curve(), _chained(rising)
    kept, _ = drop_chained_text([curve, trace], _GLYPH_PX, _SCALE)
    assert len(kept) == 2


def test_a_trace_ending_within_a_few_percent_of_the_frame_reaches_it() -> None:
    # Thermal curves start a percent or two inside the frame: neither end floats.
    along = np.arange(100, _SHAPE[1])
    apart = np.arange(8, 100)
    flat = np.full(apart.size, _rising(np.array([100]))[0])
    trace = traced_curve(np.concatenate((apart, along)), np.concatenate((flat, _rising(along))))
    kept, _ = drop_chained_text([_curve(), trace], _GLYPH_PX, _SCALE)
    assert len(kept) == 2
    inside = trace.part(trace.column >= 30)
    kept, _ = drop_chained_text([_curve(), inside], _GLYPH_PX, _SCALE)
    assert len(kept) == 1

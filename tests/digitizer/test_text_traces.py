"""A trace that waves like a line of small text is dropped; curves, noisy, steep or long, stay."""

import numpy as np

from graphq.digitizer.text_traces import drop_text_traces, turns
from tests.digitizer.curves import traced_curve

_GLYPH_PX = 5.0
_LINE_PX = 1.0
_SHAPE = (200, 300)


def _kept(rows: np.ndarray) -> bool:
    curve = traced_curve(np.arange(rows.size), rows)
    return len(drop_text_traces([curve], _GLYPH_PX, _LINE_PX, _SHAPE)) == 1


def _letters(count: int) -> np.ndarray:
    """The trace through ``count`` letters: up and down by a glyph's height once a letter."""
    one = np.concatenate((np.linspace(0.0, _GLYPH_PX, 3), np.linspace(_GLYPH_PX, 0.0, 3)))
    return 50.0 + np.tile(one, count)


def test_turns_count_only_swings_past_the_hysteresis() -> None:
    wobble = 50.0 + 0.8 * np.sin(np.arange(100))
    assert turns(wobble, swing=2.0) == 0
    assert turns(_letters(5), swing=2.0) == 9


def test_a_short_trace_waving_once_a_letter_is_text() -> None:
    assert not _kept(_letters(12))


def test_a_noisy_flat_curve_is_no_text() -> None:
    rng = np.random.default_rng(1)
    assert _kept(50.0 + rng.normal(0.0, 0.6, 72))


def test_a_short_steep_curve_is_no_text() -> None:
    rows = 20.0 + np.linspace(0.0, 40.0, 60) + np.tile([0.0, 3.0], 30)
    assert _kept(rows)


def test_a_long_curve_crossing_a_label_is_no_text() -> None:
    rows = np.concatenate((np.full(100, 50.0), _letters(12), np.full(100, 50.0)))
    assert _kept(rows)


def _floating(columns: np.ndarray, rows: np.ndarray) -> bool:
    return len(drop_text_traces([traced_curve(columns, rows)], _GLYPH_PX, _LINE_PX, _SHAPE)) == 1


def test_a_flat_trace_floating_inside_the_plot_as_short_as_a_note_line_is_text() -> None:
    rng = np.random.default_rng(2)
    # A note's line ("2. 250 µs Pulse Test") traced along its baseline: flat, 14 glyphs wide.
    columns = np.arange(200, 270)
    assert not _floating(columns, 170.0 + rng.normal(0.0, 0.8, columns.size))


def test_a_flat_trace_as_short_from_the_frame_or_wider_than_a_note_line_is_a_curve() -> None:
    assert _floating(np.arange(0, 70), np.full(70, 170.0))  # starts at the frame
    assert _floating(np.arange(100, 200), np.full(100, 170.0))  # 20 glyphs wide
    assert _floating(np.arange(200, 270), np.linspace(170.0, 160.0, 70))  # rises by 2 glyphs

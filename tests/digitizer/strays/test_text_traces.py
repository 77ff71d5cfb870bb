"""A trace that waves like a line of small text is dropped; curves, noisy, steep or long, stay."""

import numpy as np

from graphq.digitizer.strays.text_traces import drop_text_traces, turn_samples, turns
from tests.digitizer.curves import traced_curve

_GLYPH_PX = 5.0
_LINE_PX = 1.0
_SHAPE = (200, 300)
_PAPER = np.zeros(_SHAPE, dtype=bool)


def _kept(rows: np.ndarray) -> bool:
    curve = traced_curve(np.arange(rows.size), rows)
    return len(drop_text_traces([curve], _GLYPH_PX, _LINE_PX, _PAPER)) == 1


def _letters(count: int) -> np.ndarray:
    """The trace through ``count`` letters: up and down by a glyph's height once a letter."""
    one = np.concatenate((np.linspace(0.0, _GLYPH_PX, 3), np.linspace(_GLYPH_PX, 0.0, 3)))
    return 50.0 + np.tile(one, count)


def test_turns_count_only_swings_past_the_hysteresis() -> None:
    wobble = 50.0 + 0.8 * np.sin(np.arange(100))
    assert turns(wobble, swing=2.0) == 0
    assert turns(_letters(5), swing=2.0) == 9


def test_turns_are_placed_at_the_extremes_they_turn_back_from() -> None:
    rows = np.array([0.0, 2.0, 5.0, 4.0, 1.0, 0.5, 3.0, 6.0, 2.0])
    assert turn_samples(rows, swing=2.0) == [2, 5, 7]


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
    return len(drop_text_traces([traced_curve(columns, rows)], _GLYPH_PX, _LINE_PX, _PAPER)) == 1


def test_a_flat_trace_floating_inside_the_plot_as_short_as_a_note_line_is_text() -> None:
    rng = np.random.default_rng(2)
    # A note's line ("2. 250 µs Pulse Test") traced along its baseline: flat, 14 glyphs wide.
    columns = np.arange(200, 270)
    assert not _floating(columns, 170.0 + rng.normal(0.0, 0.8, columns.size))


def test_a_long_note_line_traced_through_its_letters_is_text() -> None:
    # "D = 0.5, 0.3, 0.1, 0.05, single pulse" at 100 dpi: 28 glyphs wide, a third of the plot,
    # stepping by a glyph and a half where the tracker ran up into its letters.
    columns = np.arange(100, 240)
    rows = 120.0 + 7.0 * (np.arange(columns.size) >= 70)
    assert not _floating(columns, rows)


def test_a_flat_trace_from_the_frame_or_wider_than_a_note_line_is_a_curve() -> None:
    assert _floating(np.arange(0, 70), np.full(70, 170.0))  # starts at the frame
    assert _floating(np.arange(50, 210), np.full(160, 170.0))  # 32 glyphs wide
    assert _floating(np.arange(200, 270), np.linspace(170.0, 158.0, 70))  # falls by 2.4 glyphs


def test_a_flat_curve_stopping_inside_over_half_the_plot_is_a_curve() -> None:
    # 28 glyphs wide but over half of a narrow plot (a 72 dpi normalised breakdown voltage).
    columns = np.arange(20, 160)
    curve = traced_curve(columns, np.linspace(100.0, 94.0, columns.size))
    assert len(drop_text_traces([curve], _GLYPH_PX, _LINE_PX, np.zeros((200, 260), bool))) == 1


def _kept_on(ruled: np.ndarray, columns: np.ndarray, rows: np.ndarray) -> bool:
    return len(drop_text_traces([traced_curve(columns, rows)], _GLYPH_PX, _LINE_PX, ruled)) == 1


def _grid_row(row: int, label: tuple[int, int]) -> np.ndarray:
    """The plot's ink: a grid line along ``row`` from frame to frame, but for a label's blank
    between the columns ``label``, and vertical grid lines every 20 px crossing it."""
    ruled = np.zeros(_SHAPE, dtype=bool)
    ruled[row, :] = True
    ruled[row, label[0] : label[1]] = False
    ruled[:, ::20] = True
    return ruled


def test_a_grid_line_cut_short_by_a_label_is_a_stray() -> None:
    rng = np.random.default_rng(3)
    # From the left frame edge to a label 30 glyphs in, dead flat but for the strokes of the
    # label's first letters it picked up at its end; past the label the line goes on.
    columns = np.arange(0, 150)
    rows = np.full(columns.size, 120.0)
    rows[-12:] += rng.uniform(0.0, _GLYPH_PX, 12)
    assert not _kept_on(_grid_row(120, (150, 200)), columns, rows)
    # A piece between two labels, the line going on beyond both.
    ruled = _grid_row(120, (150, 200))
    ruled[120, 260:265] = False
    assert not _kept_on(ruled, np.arange(200, 260), np.full(60, 120.0))


def test_a_flat_curve_ending_at_its_label_is_no_stray() -> None:
    # The same flat trace, but nothing goes on along its row past its end: only the vertical
    # grid lines cross it.
    ruled = _grid_row(120, (0, 300))
    assert _kept_on(ruled, np.arange(0, 150), np.full(150, 120.0))
    # A grid line on a row two glyphs away does not make it a stray.
    assert _kept_on(_grid_row(130, (150, 200)), np.arange(0, 150), np.full(150, 120.0))


def test_a_flat_curve_the_tracker_cut_short_is_no_stray() -> None:
    # Its ink goes on, unbroken, right past where the trace stops.
    ruled = _grid_row(120, (0, 300))
    ruled[120, :] = True
    assert _kept_on(ruled, np.arange(0, 150), np.full(150, 120.0))


def test_a_flat_trace_bending_away_or_longer_than_a_stray_is_a_curve() -> None:
    ruled = _grid_row(150, (150, 200))
    # Leaves the frame flat, then rises by three glyphs: a saturating curve's knee.
    rows = np.concatenate((np.full(120, 150.0), np.linspace(150.0, 135.0, 30)))
    assert _kept_on(ruled, np.arange(0, 150), rows)
    # Flat from the frame for 50 glyphs.
    assert _kept_on(_grid_row(150, (250, 260)), np.arange(0, 250), np.full(250, 150.0))
    # From frame edge to frame edge.
    assert _kept_on(ruled, np.arange(0, 300), np.full(300, 150.0))

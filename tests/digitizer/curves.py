"""Traced curves built directly from rows, for the tests of what follows tracing."""

import itertools

import numpy as np

from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracks import TracedCurve

RED, BLUE = (200, 30, 30), (30, 30, 200)


def traced_curve(
    columns: np.ndarray, rows: np.ndarray, shared: np.ndarray | None = None
) -> TracedCurve:
    """A curve through ``rows`` at ``columns``, seen alone unless ``shared`` says how many
    curves divided each run; curves at the same row of a column are on the same run there."""
    runs = columns * 1000 + np.round(rows).astype(np.int64)
    if shared is None:
        shared = np.ones(columns.size, dtype=np.int64)
    return TracedCurve(columns, rows, rows, shared, runs)


def straight_curve(start_row: float, slope: float, columns: np.ndarray, lone: bool) -> TracedCurve:
    """A straight curve through ``start_row`` at column 100, seen alone or sharing every run
    with one other curve."""
    rows = start_row + slope * (columns - 100).astype(np.float64)
    shared = np.full(columns.size, 1 if lone else 2, dtype=np.int64)
    return traced_curve(columns, rows, shared)


_RUNS = itertools.count()


def own_runs_curve(rows: np.ndarray) -> TracedCurve:
    """A traced curve with one sample per column, on runs of its own."""
    columns = np.arange(rows.size)
    ones = np.ones(rows.size, dtype=np.int64)
    return TracedCurve(columns, rows, rows, ones, columns + 100_000 * next(_RUNS))


def paper(
    columns: int,
    drawn: tuple[tuple[np.ndarray, tuple[int, int, int]], ...] = (),
    height: int = 300,
) -> np.ndarray:
    """A white plot with each (rows, colour) curve drawn one pixel thick."""
    image = np.full((height, columns, 3), 255, dtype=np.uint8)
    for rows, colour in drawn:
        image[np.round(rows).astype(np.int64), np.arange(columns)] = colour
    return image


def plot_scale(columns: int, rows: int = 300) -> PlotScale:
    """A plot ``columns`` wide of lines 2 px wide: curves within 2.5 px touch."""
    return PlotScale(2.0, None, columns, rows)

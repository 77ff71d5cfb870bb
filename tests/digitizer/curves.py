"""Traced curves built directly from rows, for the tests of what follows tracing."""

import numpy as np

from graphq.digitizer.tracks import TracedCurve


def traced_curve(columns: np.ndarray, rows: np.ndarray, shared: np.ndarray) -> TracedCurve:
    """A curve through ``rows`` at ``columns``; curves at the same row of a column are on
    the same run there."""
    runs = columns * 1000 + np.round(rows).astype(np.int64)
    return TracedCurve(columns, rows, rows, shared, runs)

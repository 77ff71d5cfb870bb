"""Traced curves built directly from rows, for the tests of what follows tracing."""

import numpy as np

from graphq.digitizer.tracks import TracedCurve


def traced_curve(
    columns: np.ndarray, rows: np.ndarray, shared: np.ndarray | None = None
) -> TracedCurve:
    """A curve through ``rows`` at ``columns``, seen alone unless ``shared`` says how many
    curves divided each run; curves at the same row of a column are on the same run there."""
    runs = columns * 1000 + np.round(rows).astype(np.int64)
    if shared is None:
        shared = np.ones(columns.size, dtype=np.int64)
    return TracedCurve(columns, rows, rows, shared, runs)

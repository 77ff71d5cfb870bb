"""A plain grey grid the grid tests draw their lines and curves over."""

import numpy as np


def grey_grid(height: int = 200, width: int = 300) -> np.ndarray:
    """A frame and an evenly spaced grey grid, its rows 20 px apart and its columns 30."""
    ink = np.zeros((height, width), dtype=np.float32)
    ink[0, :] = ink[-1, :] = 1.0
    ink[:, 0] = ink[:, -1] = 1.0
    for row in range(20, height - 1, 20):
        ink[row, :] = 0.25
    for column in range(30, width - 1, 30):
        ink[:, column] = 0.25
    return ink

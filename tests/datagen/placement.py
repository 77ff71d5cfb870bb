"""Where text can go inside the frame without covering a curve.

A coarse occupancy grid over the plot in pixels (origin at the frame's top-left, y down),
queried through a summed-area table so that every candidate box costs O(1).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

CELL_PX = 3.0


class Occupancy:
    def __init__(self, width_px: float, height_px: float) -> None:
        self.width_px = width_px
        self.height_px = height_px
        rows = int(np.ceil(height_px / CELL_PX)) + 1
        cols = int(np.ceil(width_px / CELL_PX)) + 1
        self.taken = np.zeros((rows, cols), dtype=bool)
        self.boxes = np.zeros((rows, cols), dtype=bool)

    def mark_polyline(self, display: np.ndarray, pad_px: float, solid: bool = False) -> None:
        """Mark a curve given in frame fractions (x right, y up), widened by ``pad_px``.

        ``solid`` marks it like a box too (a leader arrow), which no other label's leader
        may cross.
        """
        cols = np.clip(display[:, 0] * self.width_px / CELL_PX, 0, self.taken.shape[1] - 1)
        rows = np.clip((1 - display[:, 1]) * self.height_px / CELL_PX, 0, self.taken.shape[0] - 1)
        inside = (display[:, 1] >= 0) & (display[:, 1] <= 1) & (display[:, 0] <= 1)
        stroke = np.zeros_like(self.taken)
        stroke[rows[inside].astype(int), cols[inside].astype(int)] = True
        iterations = max(1, round(pad_px / CELL_PX))
        marked = ndimage.binary_dilation(stroke, iterations=iterations)
        self.taken |= marked
        if solid:
            self.boxes |= marked

    def mark_box(self, box_px: tuple[float, float, float, float]) -> None:
        r0, c0, r1, c1 = self._cells(box_px)
        self.taken[r0:r1, c0:c1] = True
        self.boxes[r0:r1, c0:c1] = True

    def is_free(self, box_px: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box_px
        if x0 < 0 or y0 < 0 or x1 > self.width_px or y1 > self.height_px:
            return False
        r0, c0, r1, c1 = self._cells(box_px)
        return not self.taken[r0:r1, c0:c1].any()

    def free_spots(self, width_px: float, height_px: float) -> np.ndarray:
        """Top-left corners (x, y) of every free box of this size, on the cell lattice."""
        table = np.pad(np.cumsum(np.cumsum(self.taken, 0), 1), ((1, 0), (1, 0)))
        h_cells = int(np.ceil(height_px / CELL_PX)) + 1
        w_cells = int(np.ceil(width_px / CELL_PX)) + 1
        rows, cols = self.taken.shape
        if h_cells >= rows or w_cells >= cols:
            return np.empty((0, 2))
        counts = (
            table[h_cells:, w_cells:]
            - table[:-h_cells, w_cells:]
            - table[h_cells:, :-w_cells]
            + table[:-h_cells, :-w_cells]
        )
        free_rows, free_cols = np.nonzero(counts == 0)
        return np.column_stack([free_cols * CELL_PX, free_rows * CELL_PX])

    def _cells(self, box_px: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = box_px
        return (
            max(0, int(np.floor(y0 / CELL_PX))),
            max(0, int(np.floor(x0 / CELL_PX))),
            int(np.ceil(y1 / CELL_PX)) + 1,
            int(np.ceil(x1 / CELL_PX)) + 1,
        )

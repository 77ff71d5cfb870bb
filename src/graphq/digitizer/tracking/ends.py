"""What linking needs of a fragment: where and how steeply it starts and stops, and the
fragments' first and last columns kept sorted, so an end looks only at those within reach."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.tracking.tracks import TracedCurve, end_slope


@dataclass(frozen=True)
class Ends:
    """What linking needs of a curve: where and how steeply it starts and stops."""

    first: int
    last: int
    span: int
    first_row: float
    last_row: float
    slope_in: float
    slope_out: float

    @classmethod
    def of(cls, curve: TracedCurve) -> Ends:
        return cls(
            first=int(curve.column[0]),
            last=int(curve.column[-1]),
            span=curve.span,
            first_row=float(curve.enter[0]),
            last_row=float(curve.leave[-1]),
            slope_in=end_slope(curve, at_end=False),
            slope_out=end_slope(curve, at_end=True),
        )

    def row(self) -> tuple[float, ...]:
        """The ends as one row of numbers, in the order :class:`_Linker` reads them."""
        return (
            self.first,
            self.last,
            self.span,
            self.first_row,
            self.last_row,
            self.slope_in,
            self.slope_out,
        )


def sorted_by(columns: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The columns sorted, with the index each came from."""
    keys = np.asarray(columns, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    return keys[order], order.astype(np.int64)


def insert_sorted(
    column_index: tuple[np.ndarray, np.ndarray], column: int, index: int
) -> tuple[np.ndarray, np.ndarray]:
    """The sorted (columns, indices) with one more fragment."""
    columns, indices = column_index
    at = int(np.searchsorted(columns, column, side="right"))
    return np.insert(columns, at, column), np.insert(indices, at, index)

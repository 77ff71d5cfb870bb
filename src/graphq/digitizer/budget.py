"""The CPU an image may cost: past it the digitizer returns what it has, marked for review.

An ordinary graph costs well under a tenth of its budget; a pathological one (a dense dotted
grid the grid stage misses, hatching, a noisy scan read as thousands of specks) would
otherwise run for minutes in a worker that other jobs wait on. The budget is CPU time of
this process, not wall time, so a busy machine does not cut a graph short.

The budget is a hard bound: every stage asks :attr:`Budget.spent` inside its loops and stops
there, keeping what it has. The searching stages (tracking, linking, judging curves) work
to a :meth:`Budget.share` of it, so that what must run after a stop (turning tracks into
points, the result) still fits inside the whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class BudgetSettings:
    """How much CPU an image may use."""

    # CPU seconds for an image of ``reference_pixels``: 16 times the median cost of a held-out
    # graph (125 ms per 0.48 MP), so no ordinary graph comes near it, and the bound.
    seconds_at_reference: float = 2.0
    # An image of half a megapixel (800 × 625) is the reference; cost grows with pixels.
    reference_pixels: int = 500_000
    # A small image still pays the fixed cost of every stage (a 300 px thumbnail would get
    # 0.2 s by pixels alone, about what the stages' setup takes).
    min_seconds: float = 0.5
    # The searching stages stop at this share of what is left when they start: turning the
    # tracks into points and binding labels by order take the rest (a noisy scan stopped in
    # the tracker went 25 % past its budget when the stages after the stop took it all).
    search_share: float = 0.8


BUDGET = BudgetSettings()


class Budget:
    """A deadline on this process's CPU time; stages ask :attr:`spent` between steps of their
    loops and stop early, keeping what they have, once it is."""

    def __init__(self, seconds: float, whole: Budget | None = None) -> None:
        self.seconds = seconds
        self._deadline = time.process_time() + seconds
        self._hit = False
        self._whole = whole

    @classmethod
    def for_pixels(cls, pixels: int, settings: BudgetSettings = BUDGET) -> Budget:
        scaled = settings.seconds_at_reference * pixels / settings.reference_pixels
        return cls(max(settings.min_seconds, scaled))

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(float("inf"))

    def share(self, fraction: float = BUDGET.search_share) -> Budget:
        """A budget ending ``fraction`` of the way from now to this one's deadline; once it
        is spent, this one counts as hit too (the result is marked), though its own time is
        left for the stages that finish the result."""
        return Budget(fraction * self.left, whole=self)

    @property
    def left(self) -> float:
        """CPU seconds until the deadline (0 once it has passed): a bound for work that
        cannot ask :attr:`spent` itself (tesseract's reading)."""
        return max(0.0, self._deadline - time.process_time())

    @property
    def hit(self) -> bool:
        """Whether this budget, or a share of it, has been found spent."""
        return self._hit

    @property
    def spent(self) -> bool:
        """Whether the deadline has passed; once it has, it stays passed."""
        if not self._hit and time.process_time() > self._deadline:
            self._hit = True
        if self._hit and self._whole is not None:
            self._whole._hit = True
        return self._hit

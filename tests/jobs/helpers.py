"""What the job handler tests share."""

from __future__ import annotations

from graphq.db.models import Job
from graphq.queue.registry import JobSnapshot

# A generated graph with nothing but its curves: black, no labels, no boxes.
CLEAN_STYLE = {"label_mode": "none", "boxes": [], "width_px": 800, "color_mode": "black"}


class Recorder:
    """A progress callback that keeps every report, to check how progress rises."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, fraction: float, step: str) -> None:
        self.calls.append((fraction, step))


def first_attempt(job: Job) -> JobSnapshot:
    """The snapshot a worker hands the handler while it runs ``job`` for the first time."""
    return JobSnapshot(
        id=job.id,
        kind=job.kind,
        queue_id=job.queue_id,
        product_id=job.product_id,
        image_id=job.image_id,
        priority=job.priority,
        attempts=1,
        max_attempts=job.max_attempts,
        extraction_method=job.extraction_method,
        parameters=dict(job.parameters),
    )

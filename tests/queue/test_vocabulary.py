"""The queue's words for job status and priority, and what each one means to the queue."""

from __future__ import annotations

import msgspec

from graphq.queue.heap import QueueHeap
from graphq.queue.vocabulary import (
    FINISHED,
    RETRYABLE,
    UNFINISHED,
    WAITING,
    JobStatus,
    Priority,
)


def test_priorities_rank_urgent_first_then_high_normal_low() -> None:
    ranked = sorted(Priority, key=lambda priority: priority.rank)
    assert ranked == [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]


def test_a_priority_read_back_as_a_plain_string_ranks_as_its_enum() -> None:
    heap = QueueHeap()
    heap.push("stored", "urgent", 2)  # as the database hands it back
    heap.push("fresh", Priority.HIGH, 1)
    assert heap.pop() == "stored"


def test_statuses_and_priorities_are_sent_and_stored_as_their_plain_words() -> None:
    assert msgspec.json.encode([JobStatus.DEAD, Priority.URGENT]) == b'["dead","urgent"]'
    assert [s.value for s in JobStatus] == [
        "pending",
        "queued",
        "processing",
        "completed",
        "failed",
        "cancelled",
        "dead",
    ]
    assert [p.value for p in Priority] == ["low", "normal", "high", "urgent"]
    assert JobStatus("queued") == "queued" and f"{JobStatus.QUEUED}" == "queued"


def test_every_status_is_either_unfinished_or_finished_never_both() -> None:
    assert set(UNFINISHED) | set(FINISHED) == set(JobStatus)
    assert not set(UNFINISHED) & set(FINISHED)
    assert set(WAITING) < set(UNFINISHED)
    assert JobStatus.PROCESSING not in WAITING


def test_only_a_job_that_ended_without_a_result_can_be_retried() -> None:
    assert set(RETRYABLE) == set(FINISHED) - {JobStatus.COMPLETED}
    assert all(status.is_finished for status in RETRYABLE)
    assert JobStatus.QUEUED.is_waiting and JobStatus.PENDING.is_waiting
    assert not JobStatus.PROCESSING.is_waiting and not JobStatus.PROCESSING.is_finished

"""The engine's line of waiting jobs: places, depths, delays and jobs that leave it."""

from __future__ import annotations

import time

from graphq.queue.heap import QueueHeap
from graphq.queue.state import QueueState
from graphq.queue.waiting import WaitingLine


def _line(*queue_ids: str) -> WaitingLine:
    queues = {
        queue_id: QueueState(
            id=queue_id,
            name=queue_id,
            mode="manual",
            status="active",
            max_concurrent=2,
            max_attempts=3,
            retry_base_s=1.0,
            retry_cap_s=30.0,
            job_timeout_s=60.0,
            heap=QueueHeap(),
        )
        for queue_id in queue_ids
    }
    return WaitingLine(queues)


def test_jobs_wait_in_their_own_queue_by_priority_and_a_new_priority_moves_one() -> None:
    line = _line("q", "r")
    line.index("a", "q", "normal", 1, 0.0)
    line.index("b", "q", "normal", 2, 0.0)
    line.index("c", "r", "low", 3, 0.0)
    assert [line.position("a"), line.position("b"), line.position("c")] == [0, 1, 0]
    assert (line.depth("q"), line.depth("r")) == (2, 1)
    assert line.reprioritize("b", "urgent", 2)
    assert [line.position("b"), line.position("a")] == [0, 1]
    assert not line.reprioritize("unknown", "urgent", 4)


def test_a_job_of_a_queue_the_engine_does_not_know_is_not_put_in_line() -> None:
    line = _line("q")
    line.index("a", "gone", "normal", 1, 0.0)
    assert line.position("a") is None
    assert line.depth("gone") == 0


def test_a_delayed_job_joins_its_queue_when_its_time_comes_behind_earlier_jobs() -> None:
    line = _line("q")
    line.index("retry", "q", "normal", 1, 0.02)
    line.index("later", "q", "normal", 2, 0.0)
    assert line.position("retry") is None  # waiting for its time, not in the queue yet
    assert line.depth("q") == 1
    seconds = line.seconds_to_next()
    assert seconds is not None and 0.0 <= seconds <= 0.02
    time.sleep(0.03)
    line.release_due()
    assert [line.position("retry"), line.position("later")] == [0, 1]
    assert line.seconds_to_next() is None


def test_a_forgotten_job_leaves_the_line_and_takes_no_dispatch_credit_with_it() -> None:
    line = _line("q")
    line.index("a", "q", "normal", 1, 0.0)
    line.index("b", "q", "normal", 2, 0.0)
    line.queues["q"].dispatch_credits = 2
    line.forget("a")
    assert line.position("a") is None
    assert line.depth("q") == 1
    assert line.queues["q"].dispatch_credits == 1  # never more credits than jobs waiting


def test_a_job_taken_for_a_slot_hands_back_where_it_waited() -> None:
    line = _line("q")
    line.index("a", "q", "high", 7, 0.0)
    assert line.queues["q"].heap.pop() == "a"
    taken = line.take("a")
    assert (taken.queue_id, taken.priority, taken.enqueued_ns) == ("q", "high", 7)
    assert line.position("a") is None

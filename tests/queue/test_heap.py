from graphq.queue.heap import QueueHeap


def test_pops_urgent_before_high_before_normal_before_low() -> None:
    heap = QueueHeap()
    for ns, priority in enumerate(["low", "normal", "urgent", "high"]):
        heap.push(f"job-{priority}", priority, ns)
    assert [heap.pop() for _ in range(4)] == ["job-urgent", "job-high", "job-normal", "job-low"]


def test_equal_priorities_leave_in_arrival_order() -> None:
    heap = QueueHeap()
    for ns in (30, 10, 20):
        heap.push(f"job-{ns}", "normal", ns)
    assert [heap.pop() for _ in range(3)] == ["job-10", "job-20", "job-30"]


def test_fifo_policy_ignores_priority() -> None:
    heap = QueueHeap(by_priority=False)
    heap.push("first", "low", 1)
    heap.push("second", "urgent", 2)
    assert [heap.pop(), heap.pop()] == ["first", "second"]


def test_reprioritised_job_moves_and_its_old_entry_is_ignored() -> None:
    heap = QueueHeap()
    heap.push("a", "normal", 1)
    heap.push("b", "normal", 2)
    heap.push("b", "urgent", 2)
    assert heap.position("b") == 0
    assert [heap.pop(), heap.pop(), heap.pop()] == ["b", "a", None]


def test_discarded_job_is_never_popped() -> None:
    heap = QueueHeap()
    heap.push("a", "normal", 1)
    heap.push("b", "normal", 2)
    heap.discard("a")
    assert len(heap) == 1
    assert heap.pop() == "b"


def test_switching_policy_reorders_waiting_jobs() -> None:
    heap = QueueHeap()
    heap.push("old-low", "low", 1)
    heap.push("new-urgent", "urgent", 2)
    heap.set_policy(False)
    assert heap.pop() == "old-low"


def test_place_in_line_counts_the_jobs_that_start_first() -> None:
    heap = QueueHeap()
    for n in range(10):
        heap.push(f"normal-{n}", "normal", n)
    heap.push("urgent", "urgent", 100)
    heap.push("low", "low", 0)
    heap.discard("normal-3")
    assert heap.position("urgent") == 0
    assert heap.position("normal-0") == 1
    assert heap.position("normal-9") == 9
    assert heap.position("low") == 10
    assert heap.position("normal-3") is None
    assert [heap.pop() for _ in range(len(heap))][:3] == ["urgent", "normal-0", "normal-1"]

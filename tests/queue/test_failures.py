"""A step that keeps failing backs off and reports once per interval, not once per attempt."""

from __future__ import annotations

import logging

import pytest

from graphq.queue.failures import FIRST_WAIT_S, MAX_WAIT_S, RepeatedFailure


def test_waits_double_up_to_the_cap_while_failures_continue() -> None:
    failure = RepeatedFailure("claiming jobs", logging.getLogger("test"))
    waits = [failure.failed(OSError(28, "No space left on device")) for _ in range(10)]
    assert waits[0] == FIRST_WAIT_S
    assert waits[1] == 2 * FIRST_WAIT_S
    assert waits[-1] == MAX_WAIT_S
    assert waits == sorted(waits)


def test_a_thousand_failures_log_one_traceback(caplog: pytest.LogCaptureFixture) -> None:
    failure = RepeatedFailure("claiming jobs", logging.getLogger("test.failures"))
    with caplog.at_level(logging.INFO, logger="test.failures"):
        for _ in range(1000):
            failure.failed(OSError(28, "No space left on device"))
        failure.succeeded()
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1
    assert len(caplog.records) <= 3
    assert "works again after 1000 failure(s)" in caplog.records[-1].getMessage()


def test_success_resets_the_backoff() -> None:
    failure = RepeatedFailure("claiming jobs", logging.getLogger("test"))
    for _ in range(5):
        failure.failed(RuntimeError("locked"))
    failure.succeeded()
    assert failure.failed(RuntimeError("locked")) == FIRST_WAIT_S

"""How health is judged from its checks, and how durations are summarised."""

from __future__ import annotations

import pytest

from graphq.services.monitor import HealthCheck, health_status
from graphq.services.stats import duration_stats


def check(ok: bool) -> HealthCheck:
    return HealthCheck(name="c", ok=ok, value=1.0, threshold=1.0, detail="")


@pytest.mark.parametrize(
    ("oks", "database_ok", "status"),
    [
        ([True, True, True, True], True, "healthy"),
        ([True, False, True, True], True, "degraded"),
        ([False, False, True, True], True, "unhealthy"),
        ([True, True, True, True], False, "unhealthy"),
        ([], True, "healthy"),
    ],
)
def test_health_is_judged_by_the_number_of_breached_checks(
    oks: list[bool], database_ok: bool, status: str
) -> None:
    assert health_status([check(ok) for ok in oks], database_ok) == status


def test_duration_stats_summarise_seconds() -> None:
    stats = duration_stats([1.0, 2.0, 3.0, 4.0, 100.0])
    assert (stats.sample, stats.average_s, stats.p50_s, stats.max_s) == (5, 22.0, 3.0, 100.0)
    assert 4.0 < stats.p95_s < 100.0


def test_duration_stats_of_nothing_are_empty() -> None:
    stats = duration_stats([])
    assert (stats.sample, stats.average_s, stats.p50_s, stats.p95_s, stats.max_s) == (
        0,
        None,
        None,
        None,
        None,
    )

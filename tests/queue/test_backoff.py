import random

from graphq.queue.backoff import retry_ceiling_s, retry_delay_s


def test_ceiling_doubles_from_the_base_until_the_cap() -> None:
    ceilings = [retry_ceiling_s(n, base_s=1.0, cap_s=30.0) for n in range(1, 8)]
    assert ceilings == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_delays_are_spread_over_the_whole_jitter_range() -> None:
    rng = random.Random(7)
    delays = [retry_delay_s(4, base_s=1.0, cap_s=30.0, rng=rng) for _ in range(2000)]
    assert all(0.0 <= d <= 8.0 for d in delays)
    assert min(delays) < 0.5 and max(delays) > 7.5
    assert 3.5 < sum(delays) / len(delays) < 4.5

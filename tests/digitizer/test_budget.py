"""An image's CPU budget grows with its pixels, and once spent it stays spent."""

import time

from graphq.digitizer.budget import BUDGET, Budget


def test_the_budget_is_two_seconds_at_half_a_megapixel_and_scales_with_pixels() -> None:
    assert Budget.for_pixels(500_000).seconds == BUDGET.seconds_at_reference == 2.0
    assert Budget.for_pixels(12_000_000).seconds == 48.0


def test_a_thumbnail_still_gets_the_fixed_cost_of_the_stages() -> None:
    assert Budget.for_pixels(300 * 200).seconds == BUDGET.min_seconds


def test_a_budget_is_spent_once_its_cpu_time_has_passed_and_stays_spent() -> None:
    budget = Budget(0.02)
    assert not budget.spent
    began = time.process_time()
    while time.process_time() - began < 0.05:
        sum(range(1000))
    assert budget.spent
    assert budget.spent


def test_an_unlimited_budget_is_never_spent() -> None:
    assert not Budget.unlimited().spent


def _burn(seconds: float) -> None:
    began = time.process_time()
    while time.process_time() - began < seconds:
        sum(range(1000))


def test_a_share_of_a_budget_ends_first_and_marks_the_whole_as_hit() -> None:
    whole = Budget(10.0)
    search = whole.share(0.001)
    assert search.seconds <= 0.01
    _burn(0.03)
    assert not whole.hit
    assert search.spent
    assert whole.hit and whole.spent


def test_a_share_of_an_unlimited_budget_is_never_spent() -> None:
    whole = Budget.unlimited()
    assert not whole.share().spent
    assert not whole.hit


def test_the_time_left_shrinks_with_cpu_spent_and_stops_at_zero() -> None:
    budget = Budget(0.05)
    assert 0.0 < budget.left <= 0.05
    _burn(0.02)
    assert budget.left <= 0.03
    _burn(0.04)
    assert budget.left == 0.0
    assert Budget.unlimited().left == float("inf")

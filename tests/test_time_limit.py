"""The property tests' per-example limit: CPU time, with a longer wall-clock backstop."""

from __future__ import annotations

import time

import pytest

from tests.time_limit import ExampleTooSlow, time_limit


def test_an_example_that_keeps_computing_is_stopped() -> None:
    with pytest.raises(ExampleTooSlow, match="more than 0.2 s of CPU time"), time_limit(0.2):
        while True:
            sum(range(1000))


def test_waiting_for_a_core_or_a_short_sleep_is_not_counted() -> None:
    with time_limit(0.2):
        time.sleep(0.4)  # no CPU time used; the wall-clock backstop is at 1.2 s


def test_an_example_that_only_waits_is_stopped_by_the_wall_clock() -> None:
    with pytest.raises(ExampleTooSlow, match="ran longer than 0.3 s"), time_limit(0.05):
        time.sleep(5)

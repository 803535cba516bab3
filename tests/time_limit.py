"""A per-example time limit for property tests: an input that makes a command run longer
than the limit fails the example (SIGALRM; the main thread of a POSIX process only)."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from types import FrameType

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
# `make fuzz` holds every example to 10 s; `make test` runs on loaded CI machines, so the
# everyday limit only catches inputs that never end.
SECONDS = 10.0 if FUZZ else 60.0


class ExampleTooSlow(Exception):
    """An example ran longer than the limit."""


@contextlib.contextmanager
def time_limit(seconds: float = SECONDS) -> Iterator[None]:
    """Raise ExampleTooSlow in the block once `seconds` have passed."""
    def expire(signum: int, frame: FrameType | None) -> None:
        raise ExampleTooSlow(f"the example ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

"""A per-example time limit for property tests: an input that makes a command run longer
than the limit fails the example (signals; the main thread of a POSIX process only).

The limit counts the CPU time of this process (ITIMER_PROF: user and system time), so that a
loaded, shared machine does not fail an example that is merely waiting for a core; a wall-clock
limit six times as long catches an input that makes policygen wait rather than work.
"""

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
WALL_FACTOR = 6


class ExampleTooSlow(Exception):
    """An example ran longer than the limit."""


@contextlib.contextmanager
def time_limit(seconds: float = SECONDS) -> Iterator[None]:
    """Raise ExampleTooSlow in the block once it used `seconds` of CPU time, or six times as
    many seconds of wall-clock time."""
    def expire_cpu(signum: int, frame: FrameType | None) -> None:
        raise ExampleTooSlow(f"the example used more than {seconds:g} s of CPU time")

    def expire_wall(signum: int, frame: FrameType | None) -> None:
        raise ExampleTooSlow(f"the example ran longer than {seconds * WALL_FACTOR:g} s")

    previous_cpu = signal.signal(signal.SIGPROF, expire_cpu)
    previous_wall = signal.signal(signal.SIGALRM, expire_wall)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous_cpu)
        signal.signal(signal.SIGALRM, previous_wall)

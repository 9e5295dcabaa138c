"""Run a piece of work in a forked child while the parent goes on with another.

After a cold compile two independent jobs are left: saving what the compile learnt to the
cache (pickling every unit: ~0.5 s at 1,000 tenants) and writing the tree (~0.7 s). One core
did both, one after the other, while the other idled. The child inherits the compile by
fork (copy-on-write: nothing is sent) and leaves with os._exit, so none of the parent's exit
handlers run twice. A failed save only costs speed next time, as it always did.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Below this many freshly rendered units the save is a few shards: forking costs more.
MIN_UNITS = 300


@contextmanager
def alongside(work: Callable[[], None], fork: bool) -> Iterator[None]:
    """`work` runs in a child while the block runs (or first, in this process, when `fork` is
    false or there is no fork); the block's end waits for the child."""
    try:
        pid = os.fork() if fork and hasattr(os, "fork") else -1
    except OSError:  # out of processes or memory: do the work here
        pid = -1
    if pid < 0:
        work()
        yield
        return
    if pid == 0:
        status = 1
        try:
            work()
            status = 0
        finally:
            os._exit(status)
    try:
        yield
    finally:
        os.waitpid(pid, 0)

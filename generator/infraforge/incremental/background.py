"""Run a piece of work in a forked child while the parent goes on with another.

After a cold compile two independent jobs are left: saving what the compile learnt to the
cache (pickling every unit: ~0.5 s at 1,000 tenants) and writing the tree (~0.7 s). One core
did both, one after the other, while the other idled. The child (incremental/forked.py)
inherits the compile by fork (copy-on-write: nothing is sent). A save that fails in the child
only costs speed next time, as a failed cache write always did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from infraforge.incremental.forked import ForkedCall

# Below this many freshly rendered units the save is a few shards: forking costs more.
MIN_UNITS = 300


@contextmanager
def alongside(work: Callable[[], None], fork: bool) -> Iterator[None]:
    """`work` runs in a child while the block runs (or first, in this process, when `fork` is
    false or no child can be forked); the block's end waits for the child."""
    call = ForkedCall(work) if fork else None
    if call is None or not call.forked:
        call.result() if call is not None else work()  # done already, or done now
        yield
        return
    try:
        yield
    finally:
        call.result_or(None)  # a save that failed in the child only costs speed next time

"""Run a pure function over many items in forked worker processes, results in input order.

Rendering is CPU-bound Python, so threads would not help; forked workers inherit the resolved
catalog for free (copy-on-write) and only receive index ranges, so nothing but results crosses a
process boundary. Small batches run inline: a pool costs more than it saves below a few hundred
items.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 150
CHUNKS_PER_WORKER = 16
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count() -> int:
    configured = os.environ.get("INFRAFORGE_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_in_processes(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`function` over `items`, in workers when there are enough items.

    A worker that dies (a crash in a C extension, the OOM killer) raises WorkerDied instead of
    leaving the run waiting forever, as multiprocessing.Pool would. Workers that cannot be
    started at all (no process or memory to fork) leave the work to this process.
    """
    workers = min(worker_count(), len(items) // MIN_ITEMS_PER_WORKER)
    chunks = None
    if workers >= 2:
        global _job
        _job = (function, items)
        try:
            # many small chunks: the last one to finish leaves the other core idle for its length
            step = -(-len(items) // (workers * CHUNKS_PER_WORKER))
            chunks = _in_pool(workers, [(start, min(start + step, len(items)))
                                        for start in range(0, len(items), step)])
        finally:
            _job = None
    if chunks is None:
        return [function(item) for item in items]
    return [result for chunk in chunks for result in chunk]


def _in_pool(workers: int, ranges: list[tuple[int, int]]) -> list[list[Any]] | None:
    """Each range's results from forked workers; None when there is no fork or no worker could
    be started. Imported here: a run that renders a few units inline never needs them (15 ms)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(workers, multiprocessing.get_context("fork")) as pool:
            try:  # the workers are forked at the first submit
                pending = [pool.submit(_run_range, bounds) for bounds in ranges]
            except OSError:  # EAGAIN, ENOMEM: the work is pure, the caller does it here
                return None
            return [future.result() for future in pending]
    except BrokenProcessPool as exc:
        raise WorkerDied("a worker process died (a crash or the out-of-memory killer); run "
                         "with INFRAFORGE_WORKERS=1 to see the error in this process") from exc


class WorkerDied(RuntimeError):
    """A worker process ended without returning its results."""


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None, "worker started without a job"
    function, items = _job
    return [function(items[index]) for index in range(*bounds)]

"""Worker processes: results in input order, and a dead worker ends the run instead of hanging it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from infraforge.incremental import parallel


def test_results_come_back_in_input_order(monkeypatch) -> None:
    monkeypatch.setenv("INFRAFORGE_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    results = parallel.map_in_processes(lambda n: (n, os.getpid()), list(range(40)))
    assert [n for n, _ in results] == list(range(40))
    assert len({pid for _, pid in results} - {os.getpid()}) >= 1, "nothing ran in a worker"


def test_workers_that_cannot_be_forked_leave_the_work_to_this_process(monkeypatch) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN

    monkeypatch.setenv("INFRAFORGE_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    monkeypatch.setattr(os, "fork", refused)
    results = parallel.map_in_processes(lambda n: (n, os.getpid()), list(range(40)))
    assert results == [(n, os.getpid()) for n in range(40)]


def test_a_worker_that_dies_raises_instead_of_hanging() -> None:
    script = textwrap.dedent("""
        import os
        from infraforge.incremental import parallel
        parallel.MIN_ITEMS_PER_WORKER = 1
        os.environ["INFRAFORGE_WORKERS"] = "2"
        def crash(n):
            if n == 7:
                os._exit(9)  # what a segfault or the OOM killer looks like from outside
            return n
        try:
            parallel.map_in_processes(crash, list(range(20)))
        except parallel.WorkerDied as exc:
            print("raised:", exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert "raised: a worker process died" in done.stdout, done.stdout + done.stderr

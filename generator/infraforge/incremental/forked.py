"""Run one function in a forked child while this process goes on; its result comes back pickled.

A forked child has everything this process built for free (copy-on-write) and sends back only
its result, so independent jobs run on the second core: `validate`'s class plan and kubeconform
beside our own checks (check/schema_run.py), the catalog's reading while the compiler is
imported (load/prefetch.py), the cache's save while the tree is written
(incremental/background.py). Without fork (not POSIX), or when the system refuses one (no
process, memory or descriptor left), the function runs at once, in this process; or, with
`inline=False`, not at all (`forked` says which), for a caller that has a better fallback.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any


class ForkedCall:
    def __init__(self, function: Callable[..., Any], *args: Any, inline: bool = True):
        self._value: tuple[bool, Any] | None = None
        self._source: Any = None
        self._pid: int | None = None
        forking = _fork_with_pipe()
        if forking is None:
            self._value = _call(function, args) if inline else (
                False, ChildProcessError("no child could be forked"))
            return
        read_end, write_end, self._pid = forking
        if self._pid == 0:  # the child: compute, send, and leave whatever happens, without
            try:  # running any of the parent's cleanup (or, worse, the rest of its work)
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    out.write(_payload(function, args))
            finally:
                os._exit(0)
        os.close(write_end)
        self._source = os.fdopen(read_end, "rb")

    @property
    def forked(self) -> bool:
        """Whether the function runs in a child (else its outcome is already known)."""
        return self._pid is not None

    @property
    def pid(self) -> int | None:
        return self._pid

    def result(self) -> Any:
        """The function's return value; its exception is raised here."""
        if self._value is None:
            if self._source is None:
                raise ChildProcessError("the forked call was closed before its result")
            with self._source:
                data = self._source.read()
            self._source = None
            _, status = os.waitpid(self._pid, 0)
            if not data:
                raise ChildProcessError(f"the forked call ended without a result ({status})")
            self._value = pickle.loads(data)
        succeeded, value = self._value
        if not succeeded:
            raise value
        return value

    def result_or(self, fallback: Any) -> Any:
        """The return value, or `fallback` if the function raised or the child failed: for work
        the caller can do, or do without, itself."""
        try:
            return self.result()
        except Exception:  # noqa: BLE001 - whatever it was, the caller has a way without it
            return fallback

    def close(self) -> None:
        """Give up on the result: the child's write fails, it leaves, and it is reaped."""
        if self._source is not None:
            self._source.close()
            self._source = None
            os.waitpid(self._pid, 0)


def _fork_with_pipe() -> tuple[int, int, int] | None:
    """(read end, write end, pid) of a fork with a pipe between the two; None if refused."""
    if not hasattr(os, "fork"):
        return None
    try:
        read_end, write_end = os.pipe()
    except OSError:  # out of descriptors
        return None
    try:
        return read_end, write_end, os.fork()
    except OSError:  # out of processes or memory
        os.close(read_end)
        os.close(write_end)
        return None


def _payload(function: Callable[..., Any], args: tuple[Any, ...]) -> bytes:
    outcome = _call(function, args)
    try:
        return pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:  # an exception that
        # does not pickle: its words still travel
        return pickle.dumps((False, ChildProcessError(f"{outcome[1]!r} ({exc})")))


def _call(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any]:
    try:
        return True, function(*args)
    except Exception as exc:  # noqa: BLE001 - not handled here: raised again in the parent
        return False, exc

"""Run one function in a forked child while this process goes on; its result comes back pickled.

The class plan of a large tree (class_plan.py: a Python walk of every document, about 2.5 s at
50,000) and our own checks and policies (about 5 s) need the same parsed documents and nothing
from each other. A forked child has the parsed tree for free (copy-on-write) and sends back
only kubeconform's findings, so on 2 cores the plan and kubeconform run beside our checks
instead of before them. Without fork (not POSIX) the function runs at once, in this process.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any


class ForkedCall:
    def __init__(self, function: Callable[..., Any], *args: Any):
        self._value: tuple[bool, Any] | None = None
        self._pid = 0
        if not hasattr(os, "fork"):
            self._value = _call(function, args)
            return
        read_end, write_end = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: compute, send, and leave whatever happens, without
            try:  # running any of the parent's cleanup (or, worse, the rest of its work)
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    out.write(_payload(function, args))
            finally:
                os._exit(0)
        os.close(write_end)
        self._source = os.fdopen(read_end, "rb")

    def result(self) -> Any:
        """The function's return value; its exception is raised here."""
        if self._value is None:
            with self._source:
                data = self._source.read()
            _, status = os.waitpid(self._pid, 0)
            if not data:
                raise ChildProcessError(f"the forked check ended without a result ({status})")
            self._value = pickle.loads(data)
        succeeded, value = self._value
        if not succeeded:
            raise value
        return value


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

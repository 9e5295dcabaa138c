"""Terminal output: data on stdout, diagnostics and progress on stderr, colour only on a TTY.

Colour follows the usual conventions: `--color always|never`, else on when stderr is a TTY,
NO_COLOR is unset and TERM is not `dumb`. rich does the styling when colour is on.
"""

from __future__ import annotations

import os
import sys
import traceback as tb
from collections.abc import Iterable
from typing import TextIO

from infraforge.errors import Diagnostic, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def color_enabled(mode: str, stream: TextIO) -> bool:
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(os.environ.get("FORCE_COLOR")) or stream.isatty()


class Console:
    def __init__(self, out: TextIO, err: TextIO, color: bool):
        self.out, self.err, self.color = out, err, color

    @classmethod
    def for_streams(cls, mode: str) -> Console:
        return cls(sys.stdout, sys.stderr, color_enabled(mode, sys.stderr))

    def print(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def info(self, text: str) -> None:
        self.err.write(text + "\n")

    def error(self, text: str) -> None:
        self.err.write(self._styled(f"error: {text}", "bold red") + "\n")

    def diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        items = list(diagnostics)
        for diagnostic in items:
            head, _, rest = diagnostic.format().partition("\n")
            self.err.write(self._styled(head, _STYLE[diagnostic.severity]) + "\n")
            if rest:
                self.err.write(rest + "\n")
        errors = sum(d.severity is Severity.ERROR for d in items)
        if errors:
            self.err.write(self._styled(f"{errors} error(s)", "bold") + "\n")

    def internal_error(self, exc: BaseException, traceback: bool) -> None:
        self.error(f"internal error: {type(exc).__name__}: {exc}")
        self.err.write("This is a bug in InfraForge, not in your catalog; please report it.\n")
        if traceback:
            self.err.write("".join(tb.format_exception(exc)))

    def _styled(self, text: str, style: str) -> str:
        if not self.color:
            return text
        from rich.console import Console as RichConsole

        rich = RichConsole(file=None, force_terminal=True, color_system="standard",
                           highlight=False, soft_wrap=True)
        with rich.capture() as captured:
            rich.print(text, style=style, end="", markup=False)
        return captured.get()

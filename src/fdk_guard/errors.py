"""The suite's own failures: bad input or a missing tool. They exit 2 with one line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TypeVar

EXIT_OK = 0
EXIT_CONTROL_FAILED = 1
EXIT_SUITE_ERROR = 2

F = TypeVar("F", bound=Callable[..., int])


class GuardError(Exception):
    """The suite could not run. `str(err)` is the one-line reason shown to the user."""


def one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def cli_entry(func: F) -> F:
    """Wrap a CLI main: GuardError and KeyboardInterrupt become exit 2 with one line."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except GuardError as err:
            # Long enough for Terraform's first error whole: file, line, what and why.
            print(f"fdk-guard: error: {one_line(str(err), 1000)}", file=sys.stderr)
            return EXIT_SUITE_ERROR
        except KeyboardInterrupt:
            print("fdk-guard: error: interrupted", file=sys.stderr)
            return EXIT_SUITE_ERROR

    return wrapper  # type: ignore[return-value]

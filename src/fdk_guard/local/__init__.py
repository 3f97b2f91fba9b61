"""The local deployment: the reference applied to moto on loopback, probed, checked, destroyed.

`e2e_environment` is a context manager that starts the deployment and yields the FDK_*
environment targeting it (`fdk-guard e2e` with no target: fdk_guard.e2e.local_target).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def e2e_environment() -> Iterator[dict[str, str]]:
    from fdk_guard.local.deployment import e2e_environment as start  # moto is heavy: lazily

    with start() as env:
        yield env

"""The default e2e target when none is configured: the local deployment.

The full local deployment (the reference applied to moto, plus this front answering for
the names in its outputs) is issue 7's. It plugs in either by `register(provider)`, or by
a module `fdk_guard.local` exposing `e2e_environment`; a provider is a zero-argument
callable returning a context manager that starts the deployment and yields the FDK_*
environment (and any other variables its tests need, e.g. AWS_ENDPOINT_URL) for it:

    @contextmanager
    def e2e_environment() -> Iterator[dict[str, str]]:
        outputs = apply_reference_to_moto()                 # ... terraform output -json
        with fdk_guard.front.serve(server_url=..., wasm_urls=..., database="host:port") as f:
            yield {**f.env(), "FDK_TF_OUTPUTS": str(outputs), "AWS_ENDPOINT_URL": ...}

Until one is available, the local front alone plays the deployment.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager

from fdk_guard.e2e.target import Target, from_env
from fdk_guard.front import serve

Provider = Callable[[], AbstractContextManager[Mapping[str, str]]]
PROVIDER_MODULE = "fdk_guard.local"
PROVIDER_NAME = "e2e_environment"
FRONT_ONLY = "the local front (TLS front on loopback, no AWS deployment behind it)"

_registered: Provider | None = None


def register(provider: Provider | None) -> None:
    """Make `provider` the local deployment (None: back to discovery)."""
    global _registered
    _registered = provider


def provider() -> tuple[Provider | None, str]:
    """The local deployment provider and a name for it, or (None, FRONT_ONLY)."""
    if _registered is not None:
        return _registered, "the local deployment"
    try:
        module = importlib.import_module(PROVIDER_MODULE)
    except ImportError:
        return None, FRONT_ONLY
    found = getattr(module, PROVIDER_NAME, None)
    return (found, "the local deployment") if callable(found) else (None, FRONT_ONLY)


@contextmanager
def environ(extra: Mapping[str, str]) -> Iterator[None]:
    """os.environ with `extra` set, restored on exit (tests of the run read it)."""
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def local_target() -> Iterator[Target]:
    """Start the local deployment (or the front alone), yield its Target, stop it."""
    chosen, name = provider()
    source = chosen() if chosen is not None else _front_env()
    with source as env, environ(env):
        yield from_env(origin=name)  # os.environ now: the user's FDK_E2E_DEADLINE kept


@contextmanager
def _front_env() -> Iterator[Mapping[str, str]]:
    with serve() as front:
        yield front.env()

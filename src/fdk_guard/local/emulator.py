"""moto in server mode on a free loopback port, in this process, with our extension."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from fdk_guard.local import moto_ext

# Read by moto when a backend is first made; set before the server takes requests.
MOTO_SETTINGS = {
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",  # AmazonSSMManagedInstanceCore, ECS task policy
    "MOTO_ACM_VALIDATION_WAIT": "0",
}


@contextmanager
def moto_server() -> Iterator[str]:
    """Start moto on 127.0.0.1:<free port>; yield its endpoint URL; stop it on exit."""
    from moto import settings
    from moto.server import ThreadedMotoServer

    os.environ.update(MOTO_SETTINGS)
    settings.ACM_VALIDATION_WAIT = 0  # read at import time, before we could set the variable
    moto_ext.install()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per API call
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()

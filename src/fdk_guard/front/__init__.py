"""The local front: the deployment's HTTPS/HTTP face on loopback, good or broken.

from fdk_guard.front import serve
with serve() as front:            # or serve(Variant(...)), serve(server_url=...)
    env = front.env()             # FDK_SERVER_URL, FDK_WASM_URLS, FDK_CA_BUNDLE, ...
"""

from fdk_guard.front.server import Front, serve, tls_1_0_available
from fdk_guard.front.variants import GOOD, Variant

__all__ = ["GOOD", "Front", "Variant", "serve", "tls_1_0_available"]

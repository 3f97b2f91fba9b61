"""The WASM app the local front serves: the shape of a `trunk build` dist/ folder.

index.html names its JavaScript glue and .wasm module the way trunk does (modulepreload
and preload links, a module script), so the FDK-WEB-01 probe finds the assets by parsing
the page, as it must on a real deployment.
"""

from __future__ import annotations

INDEX_HTML = """<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>fdk_viewer (fdk-guard local front)</title>
<link rel="modulepreload" href="/app.js">
<link rel="preload" href="/app_bg.wasm" as="fetch" type="application/wasm" crossorigin>
</head>
<body>
<script type="module">import init from '/app.js'; init('/app_bg.wasm');</script>
<script type="module" src="/app.js"></script>
</body>
</html>
"""

APP_JS = """export default async function init(url) {
  const { instance } = await WebAssembly.instantiateStreaming(fetch(url));
  return instance;
}
"""

# The smallest valid WebAssembly module: magic number and version 1, no sections.
APP_BG_WASM = b"\x00asm\x01\x00\x00\x00"

ASSETS: dict[str, tuple[str, bytes]] = {
    "/": ("text/html; charset=utf-8", INDEX_HTML.encode()),
    "/index.html": ("text/html; charset=utf-8", INDEX_HTML.encode()),
    "/app.js": ("text/javascript", APP_JS.encode()),
    "/app_bg.wasm": ("application/wasm", APP_BG_WASM),
}

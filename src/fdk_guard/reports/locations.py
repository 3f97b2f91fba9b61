"""Where a resource address is written: `module.a.aws_x.y[0]` -> (file, line) in the root.

SARIF consumers such as code scanning place results by file, so each address found in the
root's source gets a physical location beside its logical one. Local modules only; a
registry module's resources keep the logical location alone.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_ADDRESS_PART = re.compile(r"(module\.[\w-]+|data\.[\w-]+\.[\w-]+|[\w-]+\.[\w-]+)(\[[^\]]*\])?")
_BLOCK = re.compile(r'^(resource|data|module)\s+"([\w-]+)"(?:\s+"([\w-]+)")?\s*\{', re.MULTILINE)
_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"]*)"', re.MULTILINE)


@functools.cache
def _index(folder: Path) -> tuple[dict[str, tuple[Path, int]], dict[str, Path]]:
    """Blocks of one module folder: 'type.name' -> (file, line), module name -> folder."""
    blocks: dict[str, tuple[Path, int]] = {}
    modules: dict[str, Path] = {}
    for tf in sorted(folder.glob("*.tf")):
        try:
            text = tf.read_text(errors="replace")
        except OSError:
            continue
        for match in _BLOCK.finditer(text):
            kind, first, second = match.groups()
            line = text.count("\n", 0, match.start()) + 1
            if kind == "module":
                body = text[match.end() : text.find("\n}", match.end())]
                source = _SOURCE.search(body)
                if source:
                    modules[first] = (folder / source.group(1)).resolve()
                blocks[f"module.{first}"] = (tf, line)
            elif second:
                key = f"data.{first}.{second}" if kind == "data" else f"{first}.{second}"
                blocks[key] = (tf, line)
    return blocks, modules


def locate(root: Path, address: str) -> tuple[Path, int] | None:
    """The file and line declaring `address` in `root` (or a local module), if found."""
    folder = Path(root).resolve()
    matches = list(_ADDRESS_PART.finditer(address))
    if not matches or ".".join(m.group(0) for m in matches) != address:
        return None  # not a resource address (a URL, "(root)", free text)
    parts = [m.group(1) for m in matches]
    found = None
    for i, part in enumerate(parts):
        blocks, modules = _index(folder)
        if part.startswith("module.") and i < len(parts) - 1:
            name = part.split(".", 1)[1]
            if name not in modules:
                return blocks.get(part)  # a registry module: point at its call
            folder = modules[name]
            continue
        found = blocks.get(part)
    return found

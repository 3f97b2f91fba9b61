"""Working copies of a root, and the offline override written into them.

The user's folder is never written to: terraform runs in a copy, and the offline switch
(fake credentials, the provider's skip flags, a local backend) is a `*_override.tf` file
in that copy, merged by Terraform's own override mechanism.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fdk_guard import config
from fdk_guard.errors import GuardError
from fdk_guard.plangraph import OFFLINE_ACCESS_KEY

OVERRIDE_NAME = "zz_fdk_offline_override.tf"
PROVIDERS_NAME = "zz_fdk_offline_providers.tf"
OFFLINE_MESSAGE = (
    "offline: no AWS credentials found; planning with fake credentials and skip flags;"
    " data sources are answered by a local AWS emulator (moto)"
)
CREDENTIAL_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)
# Marks the top of every copy the suite makes, so that no copy is ever copied into another.
COPY_MARK = ".fdk-working-copy"
# Never copied into a working copy: terraform's own state, caches, and tool folders.
IGNORED = (
    ".terraform",
    ".git",
    ".nox",
    ".venv",
    ".fdk-cache",
    "__pycache__",
    "*.tfstate",
    "*.tfstate.backup",
    "*.tfplan",
    COPY_MARK,
)
_MODULE_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"]*)"', re.MULTILINE)


def has_aws_credentials(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    if env.get("FDK_OFFLINE", "").strip() in ("1", "true", "yes"):
        return False  # forced offline, whatever the environment holds
    return any(env.get(name, "").strip() for name in CREDENTIAL_VARS)


# --- reading the few top-level blocks the override needs ------------------------------


def _strip_comments_and_strings(text: str) -> str:
    """Blank out comments, heredocs and string contents (keeping quotes) so braces count."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#" or text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif text.startswith("<<", i) and (m := re.match(r"<<-?\s*([A-Za-z_]\w*)\n", text[i:])):
            end = re.compile(rf"^\s*{m.group(1)}\s*$", re.MULTILINE).search(text, i + m.end())
            out.append('""')
            i = n if end is None else end.end()
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            # Keep short literal strings (block labels, alias names); blank interpolations.
            body = text[i + 1 : j]
            keep = not any(c in body for c in "{}\n")
            out.append('"' + (body if keep else "") + '"')
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _top_level_blocks(text: str) -> Iterator[tuple[str, str]]:
    """(header, body) of each top-level block of a cleaned HCL file."""
    depth, start, header_start = 0, 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                header = text[header_start:start].strip().splitlines()
                yield (header[-1].strip() if header else ""), text[start + 1 : i]
                header_start = i + 1
            depth = max(depth, 0)


def _nested(body: str) -> Iterator[tuple[str, str]]:
    return _top_level_blocks(body)


def _flat(body: str) -> str:
    """A block body without its nested blocks: the block's own attributes."""
    kept, depth = [], 0
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            kept.append(ch)
    return "".join(kept)


@dataclass(frozen=True)
class RootShape:
    aws_aliases: tuple[str | None, ...]  # None is the default (unaliased) configuration
    backend: str | None  # "s3", "remote", "cloud", ... or None when none is declared


@functools.lru_cache(maxsize=1024)
def _hcl_shape(text: str) -> tuple[tuple[str | None, ...], str | None]:
    # by text: a plan's cache key reads the same files again for every mutation of a root
    aliases: list[str | None] = []
    backend = None
    for header, body in _top_level_blocks(_strip_comments_and_strings(text)):
        if re.fullmatch(r'provider\s+"aws"', header):
            alias = re.search(r'^\s*alias\s*=\s*"([^"]+)"', _flat(body), re.MULTILINE)
            aliases.append(alias.group(1) if alias else None)
        elif header == "terraform":
            for inner, _ in _nested(body):
                if m := re.fullmatch(r'backend\s+"([^"]+)"', inner):
                    backend = m.group(1)
                elif inner == "cloud":
                    backend = "cloud"
    return tuple(aliases), backend


def _json_shape(text: str, path: Path) -> tuple[list[str | None], str | None]:
    try:
        doc = json.loads(text)
    except ValueError as err:
        raise GuardError(f"{path} is not valid JSON: {err}") from None
    aliases: list[str | None] = []
    providers = doc.get("provider", {}) if isinstance(doc, dict) else {}
    aws = providers.get("aws", []) if isinstance(providers, dict) else []
    for block in aws if isinstance(aws, list) else [aws]:
        aliases.append(block.get("alias") if isinstance(block, dict) else None)
    backend = None
    blocks = doc.get("terraform", []) if isinstance(doc, dict) else []
    for block in blocks if isinstance(blocks, list) else [blocks]:
        if isinstance(block, dict) and isinstance(block.get("backend"), dict):
            backend = next(iter(block["backend"]), backend)
        if isinstance(block, dict) and "cloud" in block:
            backend = "cloud"
    return aliases, backend


def root_shape(root: Path) -> RootShape:
    """The aws provider configurations and the backend a root declares (top level only)."""
    aliases: list[str | None] = []
    backend = None
    for path in sorted(root.glob("*.tf")) + sorted(root.glob("*.tf.json")):
        if path.name.endswith(("_override.tf", "_override.tf.json")) or path.name in (
            "override.tf",
            "override.tf.json",
        ):
            continue
        try:
            text = path.read_text()
        except (OSError, UnicodeDecodeError) as err:
            raise GuardError(f"cannot read {path}: {err}") from None
        found, declared = _json_shape(text, path) if path.suffix == ".json" else _hcl_shape(text)
        aliases += [a for a in found if a not in aliases]
        backend = declared or backend
    return RootShape(tuple(aliases), backend)


# `profile = null`: a root naming a shared-config profile would otherwise fail to load it.
# The fake key also tells the plan graph that a plan was made offline (its data sources
# answered by the empty emulator): one constant for both.
_SKIP_FLAGS = f"""\
  profile                     = null
  access_key                  = "{OFFLINE_ACCESS_KEY}"
  secret_key                  = "fdk-offline-secret-key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
"""


def offline_files(shape: RootShape) -> dict[str, str]:
    """File name -> content making every aws provider configuration of the root offline."""
    note = "# Written by fdk-guard in a temporary working copy: offline planning, fake keys.\n"
    blocks = []
    for alias in shape.aws_aliases:
        lines = "  # checkov:skip=CKV_AWS_41:fake offline credentials of fdk-guard\n"
        if alias:
            lines += f'  alias = "{alias}"\n'
        blocks.append('provider "aws" {\n' + lines + _SKIP_FLAGS + "}\n")
    files: dict[str, str] = {}
    override = []
    if shape.backend and shape.backend != "local":
        override.append('terraform {\n  backend "local" {}\n}\n')
    if shape.aws_aliases:
        override += blocks
    if override:
        files[OVERRIDE_NAME] = note + "\n".join(override)
    if None not in shape.aws_aliases:
        # No default aws block to override: the implicit provider gets one of its own.
        region = '  region                      = "us-east-1"\n'
        files[PROVIDERS_NAME] = note + 'provider "aws" {\n' + region + _SKIP_FLAGS + "}\n"
    return files


# --- working copies -------------------------------------------------------------------


def copy_base(root: Path) -> Path:
    """The folder to copy: the root, or its nearest ancestor holding every local module."""
    base = root
    seen: set[Path] = set()
    todo = [root]
    while todo:
        folder = todo.pop()
        if folder in seen:
            continue
        seen.add(folder)
        for tf in folder.glob("*.tf"):
            try:
                sources = _MODULE_SOURCE.findall(tf.read_text())
            except (OSError, UnicodeDecodeError):
                continue
            for source in sources:
                # joined as text, as Terraform does: a module folder that is a symlink stays
                # where the root names it (the copy takes its files), wherever it points
                target = Path(os.path.normpath(folder / source))
                if target.is_dir():
                    todo.append(target)
                    while not target.is_relative_to(base):
                        base = base.parent
    return base


def kept_out(destination: Path | None = None) -> frozenset[Path]:
    """Folders no copy (nor the cache key) takes in: the cache, the reports, `destination`."""
    extra = (destination.resolve(),) if destination is not None else ()
    return frozenset((*config.kept_out_of_copies(), *extra))


def _skipped(path: Path, excluded: frozenset[Path]) -> bool:
    """A folder that belongs to the suite, not to the root: never copied, never hashed."""
    return path.is_dir() and (path.resolve() in excluded or (path / COPY_MARK).exists())


def _loops(folder: str, names: list[str]) -> set[str]:
    """Symlinks in `folder` to a folder it is inside of: followed, they would never end."""
    here = os.path.realpath(folder)
    out = set()
    for name in names:
        path = os.path.join(folder, name)
        if os.path.islink(path) and os.path.isdir(path):
            target = os.path.realpath(path)
            if here == target or here.startswith(target.rstrip(os.sep) + os.sep):
                out.add(name)
    return out


def files_to_copy(base: Path) -> Iterator[Path]:
    """Every file a copy of `base` takes, in a stable order (for the plan cache's key).

    Symlinked folders are followed, as the copy follows them: a change in a module the root
    links to changes the key.
    """
    excluded = kept_out()
    ignore = shutil.ignore_patterns(*IGNORED)
    for folder, dirs, files in os.walk(base, followlinks=True):
        here = Path(folder)
        dropped = set(ignore(folder, dirs + files)) | _loops(folder, dirs)
        dirs[:] = sorted(d for d in dirs if d not in dropped and not _skipped(here / d, excluded))
        for name in sorted(files):
            if name not in dropped:
                yield here / name


def make_copy(root: Path, destination: Path) -> Path:
    """Copy `root` (with any ../ modules it uses) under `destination`; return the copy's root.

    The copy leaves out terraform's state and caches, the suite's cache and reports folders
    and any other copy the suite made, wherever they lie (FDK_CACHE_DIR inside the copied
    folder must not make the copy recurse into itself).
    """
    root = root.resolve()
    base = copy_base(root)
    excluded = kept_out(destination)
    patterns = shutil.ignore_patterns(*IGNORED)

    def ignore(folder: str, names: list[str]) -> set[str]:
        dropped = set(patterns(folder, names)) | _loops(folder, names)
        return dropped | {n for n in names if _skipped(Path(folder) / n, excluded)}

    try:
        destination.mkdir(parents=True, exist_ok=True)
        (destination / COPY_MARK).write_text(f"a copy of {base} made by fdk-guard\n")
        shutil.copytree(base, destination, ignore=ignore, dirs_exist_ok=True)
    except (OSError, shutil.Error) as err:
        raise GuardError(f"cannot copy {base} to a working folder: {err}") from None
    return destination / root.relative_to(base)


def placements(
    overrides: Sequence[Path] = (), overlays: Sequence[Path] = ()
) -> list[tuple[str, Path]]:
    """(path under the copy's root, source) of each file laid into a working copy.

    An override file lands in the root under its name; each file of an overlay folder at
    its path inside the folder (`modules/ecs-service/x_override.tf` lands in that module).
    Two files for one place are an error: which one wins would depend on the order.
    """
    placed: dict[str, Path] = {}

    def place(rel: str, src: Path) -> None:
        if rel in placed:
            raise GuardError(f"{rel} is given twice: {placed[rel]} and {src}")
        placed[rel] = src

    for src in overrides:
        src = Path(src)
        if not src.is_file():
            raise GuardError(f"override file not found: {src}")
        place(src.name, src)
    for folder in overlays:
        folder = Path(folder)
        if not folder.is_dir():
            raise GuardError(f"overlay folder not found: {folder}")
        for src in files_to_copy(folder):
            place(src.relative_to(folder).as_posix(), src)
    return sorted(placed.items())


def add_files(
    copy_root: Path, placed: Sequence[tuple[str, Path]], extra: Mapping[str, str]
) -> None:
    """Lay files (mutations, overlays, the offline switch) into a working copy.

    A file lands only in a folder the root has and never replaces one of its files:
    a mutation that no longer fits the root fails loudly instead of planning something else.
    """
    for rel, src in placed:
        target = copy_root / rel
        if not target.parent.is_dir():
            raise GuardError(f"{rel} ({src}): {Path(rel).parent} is not a folder of the root")
        if target.exists():
            raise GuardError(f"{rel} ({src}) would replace a file of the root")
        shutil.copyfile(src, target)
    for name, text in extra.items():
        (copy_root / name).write_text(text)


def sensitive_variables(root: Path) -> set[str]:
    """Names of the root's input variables declared `sensitive = true`."""
    names: set[str] = set()
    for path in root.glob("*.tf"):
        try:
            text = _strip_comments_and_strings(path.read_text())
        except (OSError, UnicodeDecodeError):
            continue
        for header, body in _top_level_blocks(text):
            named = re.fullmatch(r'variable\s+"([^"]+)"', header)
            if named and re.search(r"^\s*sensitive\s*=\s*true\b", _flat(body), re.MULTILINE):
                names.add(named.group(1))
    return names

"""Sensitive plan values: find them, blank them, and scrub any copy of them elsewhere.

`terraform show -json` prints sensitive values in clear and marks them beside the value:
`after_sensitive`/`before_sensitive` (resource and output changes), `sensitive_values`
(planned values and prior state), `"sensitive": true` (outputs) and, for input variables,
`configuration.root_module.variables.<name>.sensitive`. Reports and logs must never hold
them, so every plan the suite keeps goes through `redact` first.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from fdk_guard.terraform import workdir

REDACTED = "(sensitive value)"
DIGEST_KEY = "sensitive_sha256"
# Shorter secrets are not scrubbed from free text: they would blank ordinary words.
MIN_SCRUB_LENGTH = 4
KeyPath = tuple[str | int, ...]

# value key -> the sibling key holding its sensitivity mask
_MASKS = {"after": "after_sensitive", "before": "before_sensitive", "values": "sensitive_values"}


def _masked(value: Any, mask: Any, at: KeyPath) -> Iterator[KeyPath]:
    if mask is True:
        if value is not None:
            yield at
    elif isinstance(mask, dict) and isinstance(value, dict):
        for key, sub in mask.items():
            if key in value:
                yield from _masked(value[key], sub, (*at, key))
    elif isinstance(mask, list) and isinstance(value, list):
        for index, sub in enumerate(mask):
            if index < len(value):
                yield from _masked(value[index], sub, (*at, index))


def _walk(node: Any, at: KeyPath) -> Iterator[KeyPath]:
    if isinstance(node, dict):
        for key, mask_key in _MASKS.items():
            if key in node and mask_key in node:
                yield from _masked(node[key], node[mask_key], (*at, key))
        if node.get("sensitive") is True:
            for key in ("value", "default"):
                if node.get(key) is not None:
                    yield (*at, key)
        for key, sub in node.items():
            yield from _walk(sub, (*at, key))
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            yield from _walk(sub, (*at, index))


def sensitive_paths(plan: dict) -> list[KeyPath]:
    """Paths (keys and indexes from the plan's top) of every value the plan marks sensitive."""
    paths = list(_walk(plan, ()))
    declared = plan.get("configuration", {}).get("root_module", {}).get("variables", {})
    for name, spec in declared.items():
        if isinstance(spec, dict) and spec.get("sensitive"):
            if plan.get("variables", {}).get(name, {}).get("value") is not None:
                paths.append(("variables", name, "value"))
    return sorted(set(paths), key=lambda p: [str(k) for k in p])


def _get(node: Any, path: KeyPath) -> Any:
    for key in path:
        if not isinstance(node, dict | list):
            return None  # under a value already redacted
        node = node[key]
    return node


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for sub in value.values():
            yield from _leaves(sub)
    elif isinstance(value, list):
        for sub in value:
            yield from _leaves(sub)


def secret_values(plan: dict) -> set[str]:
    """The sensitive strings themselves (long enough to scrub from free text)."""
    found: set[str] = set()
    for path in sensitive_paths(plan):
        found.update(s for s in _leaves(_get(plan, path)) if len(s) >= MIN_SCRUB_LENGTH)
    return found


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of a secret blanked (longest first)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _scrub_tree(node: Any, secrets: set[str]) -> Any:
    if isinstance(node, str):
        return scrub(node, secrets)
    if isinstance(node, dict):
        return {k: _scrub_tree(v, secrets) for k, v in node.items()}
    if isinstance(node, list):
        return [_scrub_tree(v, secrets) for v in node]
    return node


def redact(plan: dict) -> dict:
    """A copy of `plan` with every sensitive value replaced by REDACTED.

    Copies of a secret elsewhere (a literal in the configuration section, a string that
    embeds it) are scrubbed too. A null stays null: presence, not content, is kept, so a
    policy can still see that a password attribute is set.
    """
    secrets = secret_values(plan)
    out = copy.deepcopy(plan)
    for path in sensitive_paths(plan):  # parents sort before their children
        parent = _get(out, path[:-1])
        if isinstance(parent, dict | list):
            parent[path[-1]] = REDACTED
    return _scrub_tree(out, secrets) if secrets else out


def sensitive_digest(value: Any) -> dict:
    """{"sensitive_sha256": ...}: the SHA-256 of a value's canonical JSON. A JSON document
    in a string is digested as the document it holds, so that an expected mapping compares
    with a policy the plan holds as text."""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict | list):
            value = decoded
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return {DIGEST_KEY: hashlib.sha256(text.encode()).hexdigest()}


def digests(plan: dict) -> list[tuple[KeyPath, dict]]:
    """(path, digest) of every value the plan marks sensitive."""
    return [(path, sensitive_digest(_get(plan, path))) for path in sensitive_paths(plan)]


def with_digests(plan: dict, found: Iterable[tuple[KeyPath, dict]]) -> dict:
    """A copy of `plan` (redacted) with the digests put back where the values were."""
    out = copy.deepcopy(plan)
    done: list[KeyPath] = []
    for path, digest in found:
        path = tuple(path)
        if any(path[: len(d)] == d for d in done):
            continue  # inside a value already replaced
        parent = _get(out, path[:-1])
        if isinstance(parent, dict) or (isinstance(parent, list) and path[-1] < len(parent)):
            parent[path[-1]] = digest
            done.append(path)
    return out


def digested(plan: dict) -> dict:
    """`redact(plan)`, with each sensitive value's digest instead of REDACTED.

    For tests that must tell one secret from another (an inventory giving the expected
    value) without keeping it: only the digest is stored. A digest of a guessable secret
    can be guessed back, so the gate never asks for this form.
    """
    return with_digests(redact(plan), digests(plan))


def declared_secrets(
    root: Path, tfvars: Path | None, env: Mapping[str, str] | None = None
) -> set[str]:
    """Values given to the root's sensitive variables (tfvars strings, TF_VAR_*).

    For scrubbing what reads the source rather than a plan, where no
    sensitivity marks exist.
    """
    env = os.environ if env is None else env
    names = workdir.sensitive_variables(root)
    found = {env[f"TF_VAR_{n}"] for n in names if env.get(f"TF_VAR_{n}")}
    if tfvars and tfvars.is_file():
        text = tfvars.read_text(errors="replace")
        for name in names:
            for match in re.finditer(
                rf'^\s*{re.escape(name)}\s*=\s*"((?:[^"\\]|\\.)*)"', text, re.M
            ):
                found.add(match.group(1))
    return {s for s in found if len(s) >= MIN_SCRUB_LENGTH}

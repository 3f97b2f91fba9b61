"""The variable files a plan reads: Terraform must be able to read them, and every variable
they set must be one the root declares (Terraform only warns about a typo and plans on
without it, so a misspelt setting would silently fall back to its default)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from fdk_guard.errors import GuardError
from fdk_guard.terraform import binary, workdir

_NAME = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?!=)", re.MULTILINE)
_OPEN, _CLOSE = "{[(", "}])"


def variable_files(root: Path, tfvars: Path | None) -> list[Path]:
    """The files `terraform plan -var-file=tfvars` reads in `root`, in Terraform's order."""
    auto = [root / "terraform.tfvars", root / "terraform.tfvars.json"]
    auto += sorted(root.glob("*.auto.tfvars")) + sorted(root.glob("*.auto.tfvars.json"))
    found = [p for p in auto if p.is_file()]
    return found + ([tfvars] if tfvars is not None else [])


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError) as err:
        raise GuardError(f"cannot read the tfvars file {path}: {err}") from None


def check_readable(path: Path) -> None:
    """GuardError with Terraform's own first error (file, line, what) if `path` is malformed."""
    text = _read(path)
    if path.name.endswith(".json"):
        try:
            doc = json.loads(text)
        except ValueError as err:
            raise GuardError(f"tfvars {path} is not valid JSON: {err}") from None
        if not isinstance(doc, dict):
            raise GuardError(f"tfvars {path} must hold a JSON object of variable values")
        return
    # `terraform fmt -` parses the text as Terraform does a .tfvars file, in milliseconds.
    done = binary.run(
        ["fmt", "-no-color", "-"], path.parent, what="terraform fmt", check=False, input=text
    )
    if done.returncode != 0:
        reason = binary.first_error(done.stderr or done.stdout).replace("<stdin>", str(path))
        raise GuardError(f"tfvars {path} cannot be read by Terraform: {reason}")


def _top_level(text: str) -> str:
    """`text` with everything inside brackets blanked (newlines kept)."""
    out, depth = [], 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 or ch == "\n":
            out.append(ch)
            continue
        out.append(" ")
    return "".join(out)


def names_set(path: Path) -> list[str]:
    """The variables a tfvars file sets (top-level keys), in file order."""
    text = _read(path)
    if path.name.endswith(".json"):
        doc = json.loads(text)
        return list(doc) if isinstance(doc, dict) else []
    cleaned = _top_level(workdir._strip_comments_and_strings(text))
    return list(dict.fromkeys(_NAME.findall(cleaned)))


def declared_variables(root: Path) -> set[str]:
    """The input variables `root` declares (HCL and JSON configuration files)."""
    names: set[str] = set()
    for path in sorted(root.glob("*.tf")):
        text = workdir._strip_comments_and_strings(_read(path))
        for header, _ in workdir._top_level_blocks(text):
            if found := re.fullmatch(r'variable\s+"([^"]+)"', header):
                names.add(found.group(1))
    for path in sorted(root.glob("*.tf.json")):
        try:
            doc = json.loads(_read(path))
        except ValueError:
            continue  # terraform reports it
        variables = doc.get("variable", {}) if isinstance(doc, dict) else {}
        if isinstance(variables, dict):
            names.update(variables)
    return names


def undeclared(root: Path, files: Iterable[Path]) -> dict[Path, list[str]]:
    """Per tfvars file, the variables it sets that `root` does not declare."""
    declared = declared_variables(root)
    out: dict[Path, list[str]] = {}
    for path in files:
        unknown = [n for n in names_set(path) if n not in declared]
        if unknown:
            out[path] = unknown
    return out


def warnings(root: Path, tfvars: Path | None) -> list[str]:
    """Check every variable file of a plan: GuardError when one is malformed; a warning
    line per file that sets variables the root does not declare."""
    files = variable_files(root, tfvars)
    for path in files:
        check_readable(path)
    return [
        f"warning: {path} sets {', '.join(names)}, which {root} does not declare "
        "(a typo? Terraform ignores such a value)"
        for path, names in undeclared(root, files).items()
    ]

"""Each module README's Inputs and Outputs tables say what variables.tf and outputs.tf declare.

The tables are those terraform-docs writes for the registry modules: every variable (name,
description, type, default or `required`) and every output (name, description), in the
order the files declare them; a sensitive one's description ends with "(sensitive)".
The HCL is read with python-hcl2.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import hcl2
import pytest

from tests.conftest import REFERENCE

MODULES = sorted(p.parent for p in (REFERENCE / "modules").glob("*/README.md"))
REQUIRED = "required"
SENSITIVE = " (sensitive)"


def _unquote(text: str) -> str:
    """An HCL string as python-hcl2 gives it ("\\"text\\"") -> text."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def _literal(value) -> str:
    """A default value as HCL spells it, the way the tables show it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.removeprefix("${").removesuffix("}") if value.startswith("${") else value
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = [f"{_unquote(k)} = {_literal(v)}" for k, v in value.items() if k != "__is_block__"]
        return "{" + ", ".join(items) + "}"
    return str(value)


def _type(value) -> str:
    text = str(value).removeprefix("${").removesuffix("}")
    return " ".join(text.split())


def _blocks(module: Path, kind: str, home: str) -> list[tuple[str, dict]]:
    """`kind` blocks of every .tf file of the module, those of `home` first (in file order)."""
    files = sorted(module.glob("*.tf"), key=lambda p: (p.name != home, p.name))
    found = []
    for path in files:
        blocks = _parsed(path).get(kind, [])
        found += [(_unquote(k), body) for block in blocks for k, body in block.items()]
    return found


@functools.cache
def _parsed(path: Path) -> dict:
    with path.open() as handle:
        return hcl2.load(handle)


def _description(body: dict) -> str:
    text = _unquote(body.get("description", ""))
    return text + SENSITIVE if body.get("sensitive") is True else text


def declared_inputs(module: Path) -> list[tuple[str, ...]]:
    rows = []
    for name, body in _blocks(module, "variable", "variables.tf"):
        default = f"`{_literal(body['default'])}`" if "default" in body else REQUIRED
        type_ = f"`{_type(body.get('type', 'any'))}`"
        rows.append((f"`{name}`", _description(body), type_, default))
    return rows


def declared_outputs(module: Path) -> list[tuple[str, ...]]:
    return [
        (f"`{name}`", _description(body)) for name, body in _blocks(module, "output", "outputs.tf")
    ]


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return tuple(c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner))


def table(readme: Path, heading: str) -> list[tuple[str, ...]]:
    """The rows of the table under `## heading` (its header and rule left out)."""
    section = readme.read_text().partition(f"\n## {heading}\n")[2].partition("\n## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [_cells(line) for line in lines[2:]]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_inputs_table_matches_variables_tf(module: Path) -> None:
    assert table(module / "README.md", "Inputs") == declared_inputs(module)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_outputs_table_matches_outputs_tf(module: Path) -> None:
    assert table(module / "README.md", "Outputs") == declared_outputs(module)


def test_every_module_has_a_readme_with_both_tables() -> None:
    modules = sorted(p.parent for p in (REFERENCE / "modules").glob("*/variables.tf"))
    assert MODULES == modules and len(MODULES) == 12
    for module in MODULES:
        assert table(module / "README.md", "Inputs"), module.name
        assert table(module / "README.md", "Outputs"), module.name


def test_the_table_reader_sees_a_stale_row(tmp_path: Path) -> None:
    """A README whose default or type went stale does not match: the check can fail."""
    module = tmp_path / "m"
    module.mkdir()
    (module / "variables.tf").write_text(
        'variable "days" {\n  description = "Retention."\n  type = number\n  default = 14\n}\n'
    )
    head = "# m\n\n## Inputs\n\n| Name | Description | Type | Default |\n|---|---|---|---|\n"
    readme = module / "README.md"
    for row, matches in (
        ("| `days` | Retention. | `number` | `30` |", False),
        ("| `days` | Retention. | `string` | `14` |", False),
        ("| `days` | Retention. | `number` | required |", False),
        ("| `day` | Retention. | `number` | `14` |", False),
        ("| `days` | Retention. | `number` | `14` |", True),
    ):
        readme.write_text(f"{head}{row}\n\n## Outputs\n")
        assert (table(readme, "Inputs") == declared_inputs(module)) is matches, row

"""The unit tests' cases, all data: scenarios, invalid inputs, mutations.

- scenario: `scenarios/<name>.tfvars` + `scenarios/<name>.yaml` (inventory).
- invalid input: an entry of `invalid_inputs.yaml`: tfvars lines laid over a base scenario's
  and the validation message the plan must refuse them with.
- mutation: a folder `mutations/<name>/` laid over the reference as an overlay (Terraform
  `*_override.tf` files at their paths: `modules/<m>/...` lands in that module) and
  `mutations/<name>.yaml`: the scenario it is planned with and the mismatches the
  scenario's inventory must then report.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from fdk_guard.terraform import PlanRequest
from tests.policies import harness

from .plans import REFERENCE, request

UNIT_DIR = Path(__file__).resolve().parent
SCENARIOS_DIR = UNIT_DIR / "scenarios"
INVALID_INPUTS = UNIT_DIR / "invalid_inputs.yaml"

# The deployment page's Configuration table, in the page's order.
CONFIGURATION_VARIABLES = (
    "name",
    "region",
    "root_cidr",
    "dns_name",
    "host",
    "docker_image",
    "docker_image_version",
    "docker_registry_username",
    "docker_registry_password",
    "database_schemas",
    "with_bastion",
    "bastion_ami",
    "buckets_prefix",
    "environment",
    "environment_variables",
    "monitoring_enabled",
    "wasm_clients",
)


@dataclass(frozen=True)
class Scenario:
    name: str

    @property
    def tfvars(self) -> Path:
        return SCENARIOS_DIR / f"{self.name}.tfvars"

    @property
    def inventory(self) -> Path:
        return SCENARIOS_DIR / f"{self.name}.yaml"

    def plan_request(self) -> PlanRequest:
        return request((self.tfvars,))

    def __str__(self) -> str:
        return self.name


def scenarios() -> list[Scenario]:
    names = sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))
    missing = [n for n in names if not (SCENARIOS_DIR / f"{n}.tfvars").is_file()]
    if missing:
        raise FileNotFoundError(f"scenario inventories without a .tfvars file: {missing}")
    return [Scenario(n) for n in names]


def assigned_variables(tfvars: Path) -> set[str]:
    """Top-level names a .tfvars file assigns."""
    return set(re.findall(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*=", tfvars.read_text(), re.M))


@dataclass(frozen=True)
class InvalidInput:
    """Invalid tfvars lines laid over a base scenario; the plan must refuse them with
    `message`, in the diagnostic that names `var.<variable>`."""

    id: str
    variable: str
    tfvars: str
    message: str
    base: str = "minimal"
    batch: str = ""  # the var file of the batch it is planned in (see invalid_inputs())

    def plan_request(self) -> PlanRequest:
        return request((Scenario(self.base).tfvars, Path(self.batch)))

    def __str__(self) -> str:
        return self.id


def invalid_inputs() -> list[InvalidInput]:
    """The cases of invalid_inputs.yaml, batched: Terraform reports every failing variable
    validation of a plan, so cases that assign disjoint variables share one plan (one
    terraform run per batch instead of per case); each case still has its own test."""
    entries = yaml.safe_load(INVALID_INPUTS.read_text()) or []
    cases = [InvalidInput(**entry) for entry in entries]
    links = validation_links(REFERENCE / "variables.tf")
    batches: list[tuple[str, set[str], list[InvalidInput]]] = []
    for case in cases:
        assigned = set(re.findall(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*=", case.tfvars, re.M))
        if not assigned:
            raise ValueError(f"invalid input {case.id}: its tfvars assign nothing")
        # A validation that reads another variable is skipped when that one is invalid:
        # keep cases whose variables are linked that way in different batches.
        names = set()
        for name in assigned | {case.variable}:
            names |= {name} | links.get(name, set())
        for base, used, members in batches:
            if base == case.base and not used & names:
                used |= names
                members.append(case)
                break
        else:
            batches.append((case.base, set(names), [case]))
    batched = []
    for _, _, members in batches:
        path = harness.var_file("".join(f"# {m.id}\n{m.tfvars.rstrip()}\n" for m in members))
        batched += [dataclasses.replace(m, batch=str(path)) for m in members]
    return batched


def validation_links(variables_tf: Path) -> dict[str, set[str]]:
    """variable -> the variables its validations read, and those whose validations read it."""
    text = variables_tf.read_text() if variables_tf.is_file() else ""
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'^variable\s+"([^"]+)"', text, re.M)]
    links: dict[str, set[str]] = {}
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        for other in set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)", text[start:end])) - {name}:
            links.setdefault(name, set()).add(other)
            links.setdefault(other, set()).add(name)
    return links


def diagnostics_of(error: str, variable: str) -> list[str]:
    """The error diagnostics of a failed plan that name `var.<variable>`."""
    chunks = [c.strip() for c in re.split(r"(?=Error: )", error) if c.startswith("Error: ")]
    return [c for c in chunks if re.search(rf"var\.{re.escape(variable)}\b", c)]


@dataclass(frozen=True)
class Mutation:
    """A mutation of the one table (tests/policies/mutations.yaml) with an `inventory`:
    planned as every layer plans it, its scenario's inventory must report exactly these
    lines more than on the unbroken root planned the same way."""

    name: str
    scenario: str
    mismatches: tuple[str, ...]
    broken: PlanRequest
    baseline: PlanRequest

    def plan_request(self) -> PlanRequest:
        return self.broken

    def __str__(self) -> str:
        return self.name


def mutations() -> list[Mutation]:
    table = harness.load_table()
    found = []
    for m in table["mutations"]:
        if "inventory" not in m:
            continue
        spec, scenario = table["roots"][m["root"]], Scenario(m["inventory"]["scenario"])
        if (harness.REPO / spec["root"]).resolve() != REFERENCE.resolve():
            raise ValueError(f"{m['name']}: an inventory mutation breaks the reference")
        if (harness.REPO / spec["tfvars"]).read_text() != scenario.tfvars.read_text():
            raise ValueError(f"{m['name']}: root {m['root']} is not planned as {scenario}")
        planned = {c.name: c for c in harness.cases({m["name"], f"baseline:{m['root']}"})}
        broken, baseline = planned[m["name"]], planned[f"baseline:{m['root']}"]
        found.append(
            Mutation(
                name=m["name"],
                scenario=scenario.name,
                mismatches=tuple(m["inventory"]["reports"]),
                broken=broken.request(),
                baseline=baseline.request(),
            )
        )
    return found

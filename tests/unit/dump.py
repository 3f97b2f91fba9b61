"""Print a scenario's plan summary as YAML, to help write its inventory.

    python -m tests.unit.dump demo [ADDRESS_SUBSTRING ...]

The summary is what inventories are compared with. Keep in an inventory only what the
deployment page promises: a snapshot of everything would assert nothing but the status quo.
Sensitive values print as "(sensitive value)", unknown ones as "(known after apply)".
"""

from __future__ import annotations

import sys

import yaml

from .cases import Scenario
from .inventory import UNKNOWN, Sensitive, summarize
from .plans import Plans


def plain(value):
    if value is UNKNOWN:
        return "(known after apply)"
    if isinstance(value, Sensitive):
        return "(sensitive value)"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    scenario, filters = Scenario(argv[0]), argv[1:]
    if not scenario.tfvars.is_file():
        print(f"no scenario {scenario.name}: {scenario.tfvars} is missing", file=sys.stderr)
        return 2
    outcome = Plans().plan(scenario.plan_request())
    if outcome.error:
        print(f"plan failed: {outcome.error}", file=sys.stderr)
        return 1
    summary = summarize(outcome.plan)
    values = {
        a: plain(v)
        for a, v in summary.values.items()
        if not filters or any(f in a for f in filters)
    }
    document = {"values": values, "counts": dict(sorted(summary.counts.items()))}
    if not filters:
        document["outputs"] = plain(summary.outputs)
    yaml.safe_dump(document, sys.stdout, sort_keys=False, width=100)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

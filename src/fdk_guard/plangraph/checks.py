"""Load and run the plan-graph checks of policies/graph (one module per control)."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path

from fdk_guard.catalogue import REPO_ROOT
from fdk_guard.errors import GuardError
from fdk_guard.findings import Finding
from fdk_guard.plangraph import PlanGraph

GRAPH_DIR = REPO_ROOT / "policies" / "graph"
PACKAGE = "fdk_policies_graph"


def load_checks(directory: Path = GRAPH_DIR) -> dict[str, object]:
    """control id -> module with `check(graph)`; one module per control."""
    if PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            PACKAGE, directory / "__init__.py", submodule_search_locations=[str(directory)]
        )
        if spec is None or spec.loader is None:
            raise GuardError(f"cannot load the graph policies from {directory}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = module
        spec.loader.exec_module(module)
    checks: dict[str, object] = {}
    for info in pkgutil.iter_modules([str(directory)]):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{PACKAGE}.{info.name}")
        control = getattr(mod, "CONTROL", None)
        if control is None or not callable(getattr(mod, "check", None)):
            raise GuardError(f"graph policy {info.name} lacks CONTROL or check()")
        checks[control] = mod
    return checks


def run(graph: PlanGraph) -> list[Finding]:
    rows: list[Finding] = []
    for control, mod in sorted(load_checks().items()):
        try:
            rows += mod.check(graph)  # type: ignore[attr-defined]
        except TypeError as err:
            if "unknown plan value" not in str(err):
                raise
            # a value unknown until apply reached a test: never a pass
            rows.append(
                Finding(
                    control,
                    "deferred",
                    "graph",
                    "(root)",
                    "a value it needs is unknown until apply",
                )
            )
    return rows

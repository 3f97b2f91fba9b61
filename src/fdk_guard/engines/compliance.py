"""terraform-compliance: the features/ scenarios, run once on a plan JSON (engine "compliance").

terraform-compliance lives in its own virtualenv (it pins old radish-bdd and IPython); its
binary comes from FDK_TERRAFORM_COMPLIANCE (the noxfile sets it) or PATH. One run covers every
feature. Verdicts come from the cucumber JSON radish writes (`--cucumber-json`: each scenario
with its tags and step outcomes; its JUnit XML misnames skipped scenarios). Neither keeps
more than the last failure message of a step, so every failing resource is read from the
console output of the same run.

A scenario maps to its control through its tag (`@FDK-TLS-01`). Failed scenarios give one
`fail` row per resource terraform-compliance names, with the value it found; a scenario that
ran clean gives one `pass` row; a scenario skipped because the plan has none of its resources
(or whose When-filters left nothing) gives `not_applicable` (`@noskip` scenarios fail instead).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fdk_guard import children
from fdk_guard.catalogue import REPO_ROOT
from fdk_guard.errors import GuardError, one_line
from fdk_guard.findings import Finding
from fdk_guard.terraform.sensitive import scrub, secret_values

ENGINE = "compliance"
FEATURES_DIR = Path(os.environ.get("FDK_FEATURES", REPO_ROOT / "features"))
ENV_BINARY = "FDK_TERRAFORM_COMPLIANCE"
TIMEOUT_S = 300
CONTROL_TAG = re.compile(r"^FDK-[A-Z]+-\d{2}$")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# A resource address as terraform-compliance prints it: module path, type.name, index key.
ADDRESS = re.compile(
    r"(?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*(?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+"
    r"(?:\[[^\]]*\])?"
)


@dataclass
class Scenario:
    feature: str
    name: str
    tags: tuple[str, ...]
    state: str  # "passed" | "failed" | "skipped"
    crash: str = ""
    failed_step: str = ""
    messages: list[str] = field(default_factory=list)


def binary() -> str:
    """The terraform-compliance executable, or GuardError with how to get one."""
    configured = os.environ.get(ENV_BINARY)
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured
        raise GuardError(f"{ENV_BINARY}={configured} is not an executable file")
    found = shutil.which("terraform-compliance")
    if found:
        return found
    raise GuardError(
        f"terraform-compliance not found: set {ENV_BINARY} (nox sessions do) "
        "or put terraform-compliance on PATH"
    )


def evaluate(
    plan_path: Path | None, plan: dict | None = None, features: Path = FEATURES_DIR
) -> list[Finding]:
    """Run every feature once on the plan JSON and turn its scenarios into findings."""
    ran, plan_data = run_scenarios(plan_path, plan, features)
    return to_findings(ran, secret_values(plan_data))


def run_scenarios(
    plan_path: Path | None, plan: dict | None = None, features: Path = FEATURES_DIR
) -> tuple[list[Scenario], dict]:
    """One terraform-compliance run: every scenario's outcome, and the plan it judged."""
    if not Path(features).is_dir():
        raise GuardError(f"features folder {features} does not exist")
    exe = binary()
    with tempfile.TemporaryDirectory(prefix="fdk-compliance-") as tmp:
        plan_json = _plan_json(plan_path, plan, Path(tmp))
        plan_data = plan if plan is not None else _load(plan_json)
        results = Path(tmp) / "compliance.json"
        output = _run(exe, plan_json, Path(features), results)
        scenarios = parse_results(results)
    attach_console_messages(scenarios, output)
    return scenarios, plan_data


def start(
    plan_path: Path | None, plan: dict | None = None, features: Path = FEATURES_DIR
) -> Callable[[], list[Finding]]:
    """Start `evaluate` in a thread (it waits on a subprocess); call the result to join.

    The gate runs it beside checkov so the two tools' start-up times overlap.
    """
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["findings"] = evaluate(plan_path, plan, features)
        except BaseException as err:  # re-raised in the caller's thread
            box["error"] = err

    thread = threading.Thread(target=work, name="terraform-compliance", daemon=True)
    thread.start()

    def join() -> list[Finding]:
        thread.join()
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        return box["findings"]  # type: ignore[return-value]

    return join


def _plan_json(plan_path: Path | None, plan: dict | None, tmp: Path) -> Path:
    """A plan JSON file on disk: the given one when it is JSON, else `plan` written out."""
    if plan_path is not None and Path(plan_path).is_file():
        head = Path(plan_path).read_bytes()[:1].strip()
        if head in (b"{", b""):
            return Path(plan_path)
    if plan is None:
        raise GuardError(f"no plan JSON to check: {plan_path} is not a readable plan JSON")
    path = tmp / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def _load(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as err:
        raise GuardError(f"cannot read plan JSON {path}: {err}") from None


def _run(exe: str, plan_json: Path, features: Path, results: Path) -> str:
    cmd = [
        exe,
        "-p",
        str(plan_json),
        "-f",
        str(features),
        f"--cucumber-json={results}",
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    try:
        proc = children.run(cmd, timeout=TIMEOUT_S, env=env)  # stopped on Ctrl-C/SIGTERM
    except FileNotFoundError:
        raise GuardError(f"terraform-compliance not found at {exe}") from None
    except subprocess.TimeoutExpired:
        raise GuardError(f"terraform-compliance did not finish within {TIMEOUT_S} s") from None
    # 0: every scenario passed; 1: one failed. Anything else, or no results, is the tool failing.
    if proc.returncode not in (0, 1) or not results.is_file():
        tail = ANSI.sub("", (proc.stderr or proc.stdout or "").strip()).splitlines()[-1:]
        raise GuardError(
            f"terraform-compliance failed (exit {proc.returncode}): {one_line(' '.join(tail))}"
        )
    return ANSI.sub("", proc.stdout)


def parse_results(path: Path) -> list[Scenario]:
    """Scenarios from radish's cucumber JSON: feature, name, tags and outcome."""
    try:
        features = json.loads(Path(path).read_text())
    except (OSError, ValueError) as err:
        raise GuardError(f"unreadable terraform-compliance results {path}: {err}") from None
    scenarios: list[Scenario] = []
    for feature in features:
        for element in feature.get("elements") or []:
            steps = element.get("steps") or []
            states = [(s.get("result") or {}).get("status", "") for s in steps]
            failed = [s for s, state in zip(steps, states, strict=True) if state == "failed"]
            if failed:
                state = "failed"
            elif states and all(st == "passed" for st in states):
                state = "passed"
            else:
                state = "skipped"  # its Given found no resource, or a When filtered all out
            crash = ""
            if failed:
                # terraform-compliance reports a broken promise with a blank reason; a
                # non-blank one is a step that raised (bad data, a bug): not a verdict.
                crash = ((failed[0].get("result") or {}).get("error_message") or "").strip()
            scenarios.append(
                Scenario(
                    feature=feature.get("name", ""),
                    name=element.get("name", ""),
                    tags=tuple(t.get("name", "").lstrip("@") for t in element.get("tags") or []),
                    state=state,
                    crash=crash,
                    failed_step=failed[0].get("name", "") if failed else "",
                )
            )
    return scenarios


FEATURE_LINE = re.compile(r"^Feature:\s*(?P<name>.+?)\s+#\s")
SCENARIO_LINE = re.compile(r"^\s+Scenario(?: Outline)?:\s*(?P<name>.+?)\s*$")
FAILURE_LINE = re.compile(r"^\s+Failure:\s*(?P<msg>\S.*?)\s*$")


def attach_console_messages(scenarios: list[Scenario], output: str) -> None:
    """Give each failed scenario every failure line the console printed inside it."""
    by_key = {(s.feature, s.name): s for s in scenarios}
    feature = scenario = None
    for raw in output.splitlines():
        line = raw.replace("\r", "")
        if m := FEATURE_LINE.match(line):
            feature, scenario = m["name"], None
        elif m := SCENARIO_LINE.match(line):
            scenario = by_key.get((feature, m["name"]))
        elif (m := FAILURE_LINE.match(line)) and scenario is not None:
            if m["msg"] not in scenario.messages:
                scenario.messages.append(m["msg"])


def to_findings(scenarios: Iterable[Scenario], secrets: set[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    for sc in scenarios:
        controls = [t for t in sc.tags if CONTROL_TAG.match(t)]
        if not controls:
            raise GuardError(f"feature {sc.feature!r}: scenario {sc.name!r} has no control tag")
        if sc.state == "failed" and sc.crash and not sc.messages:
            # A step that crashed is the suite failing, not a verdict on the plan.
            raise GuardError(
                f"terraform-compliance scenario {sc.name!r} crashed: "
                f"{one_line(scrub(sc.crash, secrets), 200)}"
            )
        for control in controls:
            findings.extend(_scenario_findings(control, sc, secrets))
    return findings


def _scenario_findings(control: str, sc: Scenario, secrets: set[str]) -> list[Finding]:
    where = f"scenario '{sc.name}' ({sc.feature})"
    if sc.state == "passed":
        return [Finding(control, "pass", ENGINE, "", f"{where} passed")]
    if sc.state == "skipped":
        return [
            Finding(control, "not_applicable", ENGINE, "", f"{where}: no such resource in plan")
        ]
    rows, seen = [], set()
    for msg in sc.messages or [f"step '{sc.failed_step}' failed"]:
        text = scrub(one_line(msg.removeprefix("Failure:").strip()), secrets)
        found = ADDRESS.search(text)
        address = found.group(0) if found else ""
        if (address, text) in seen:
            continue
        seen.add((address, text))
        rows.append(Finding(control, "fail", ENGINE, address, f"{where}: {text}"))
    return rows

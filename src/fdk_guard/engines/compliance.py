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
gives `not_applicable`. A scenario whose When-filters left nothing gives `not_applicable`
too, unless it is tagged `@pass_if_none_selected`: then its filters pick out what breaks the
promise ("When its internal is true / Then it must fail"), and nothing picked is a `pass`.

terraform-compliance reads the plan's `after` values, where a value unknown until apply is
missing. Whatever it could not see is `deferred`, never `fail` or `pass` (plan_facts reads
the plan to tell): a "does not have P property" failure where P is unknown until apply and
the configuration sets it; a value it compared that is a configuration reference, not a
value; and each resource a When-filter dropped because the property it filters on is set
but unknown until apply. A property the configuration leaves unset is the provider's
default: the scenario's verdict on it stands.

Speed: the tool runs through a launcher (engines.warm_start) that imports it and its step
files' dependencies first, and reuses radish's compiled step patterns (a third of a run);
the gate starts it while Terraform plans (warm()), so that only the run itself is left.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from fdk_guard import children
from fdk_guard.catalogue import REPO_ROOT
from fdk_guard.engines import compliance_filters as filters
from fdk_guard.engines import subjects, warm_start
from fdk_guard.engines.plan_facts import PlanFacts
from fdk_guard.errors import GuardError, one_line
from fdk_guard.findings import Finding
from fdk_guard.terraform.sensitive import scrub, secret_values

ENGINE = "compliance"
FEATURES_DIR = Path(os.environ.get("FDK_FEATURES", REPO_ROOT / "features"))
ENV_BINARY = "FDK_TERRAFORM_COMPLIANCE"
TIMEOUT_S = 300
CONTROL_TAG = re.compile(r"^FDK-[A-Z]+-\d{2}$")
# a scenario whose When-filters pick out what breaks the promise: nothing picked is a pass
NONE_SELECTED_TAG = "pass_if_none_selected"
# a scenario on a target group's health check port: on traffic-port it probes the port
# targets register on, and an ECS service registers its container port, which the tool does
# not follow: where the plan has a load-balanced service, such a failure is deferred
REGISTERED_PORT_TAG = "traffic_port_is_registered"
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
    steps: tuple[tuple[str, str], ...] = ()  # (step text, status) in order


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


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONWARNINGS": "ignore"}


# What its run imports, imported while waiting: the tool, and what its step files import
# (IPython among them). The step files themselves radish loads by path, registering the
# steps: importing them here too would register every step twice.
# radish matches each of the ~230 step lines against each step pattern, compiling the
# pattern anew every time (12,500 compilations, a third of the run): a compiled pattern
# (parse_type's Parser: immutable once built) is reused for the same pattern and types.
_PRELOAD = """
import importlib, pkgutil
from terraform_compliance.main import cli

def _preload(name):  # for speed only: what another version lacks, its run does without
    try:
        return importlib.import_module(name)
    except Exception:
        return None

for name in ("IPython", "radish.main"):
    _preload(name)
steps = _preload("terraform_compliance.steps")
for found in pkgutil.walk_packages(
    getattr(steps, "__path__", []), "terraform_compliance.steps.", onerror=lambda name: None
):
    if found.name.rsplit(".", 1)[1] not in ("steps", "terrain"):
        _preload(found.name)

def _reusing(build, made={}):
    def parser(pattern, extra_types=None):
        key = (pattern, id(extra_types), tuple(sorted(extra_types or ())))
        if key not in made:
            made[key] = build(pattern, extra_types)
        return made[key]
    return parser

matcher = _preload("radish.matcher")
if callable(getattr(matcher, "Parser", None)):
    matcher.Parser = _reusing(matcher.Parser)
"""


class Warm(warm_start.Warm):
    """terraform-compliance, imported while Terraform plans (see engines.warm_start)."""

    def __init__(self) -> None:
        super().__init__(
            "terraform-compliance", binary(), preload=_PRELOAD, run="sys.exit(cli())", env=_env()
        )


def warm() -> Warm:
    return Warm()


def evaluate(
    plan_path: Path | None,
    plan: dict | None = None,
    features: Path = FEATURES_DIR,
    warm: Warm | None = None,
) -> list[Finding]:
    """Run every feature once on the plan JSON and turn its scenarios into findings."""
    ran, plan_data = run_scenarios(plan_path, plan, features, warm=warm)
    return to_findings(ran, secret_values(plan_data), plan_data)


def run_scenarios(
    plan_path: Path | None,
    plan: dict | None = None,
    features: Path = FEATURES_DIR,
    warm: Warm | None = None,
) -> tuple[list[Scenario], dict]:
    """One terraform-compliance run: every scenario's outcome, and the plan it judged.

    `warm` is the tool started earlier (warm()): it runs there, and is stopped if it cannot.
    Without it the tool starts now, through the same launcher when its script is Python's.
    """
    try:
        if not Path(features).is_dir():
            raise GuardError(f"features folder {features} does not exist")
        exe = binary()
        if warm is None:  # through the same launcher, for its reuse of compiled patterns
            with contextlib.suppress(warm_start.NotPython):  # else the tool as itself
                warm = Warm()
        with tempfile.TemporaryDirectory(prefix="fdk-compliance-") as tmp:
            plan_json = _plan_json(plan_path, plan, Path(tmp))
            plan_data = plan if plan is not None else _load(plan_json)
            tool_plan = _without_references(plan_data, Path(tmp))
            one, origin = _one_feature(Path(features), Path(tmp))
            results = Path(tmp) / "compliance.json"
            output = _run(exe, tool_plan, one, results, warm)
            scenarios = parse_results(results)
    finally:
        if warm is not None:
            warm.cancel()  # nothing left of it when it ran; stopped when it never did
    attach_console_messages(scenarios, output)
    for sc in scenarios:
        sc.feature = origin.get(sc.name, sc.feature)
    return scenarios, plan_data


ONE_FEATURE = "FDK controls"


def _one_feature(features: Path, tmp: Path) -> tuple[Path, dict[str, str]]:
    """Every scenario of `features` in one feature file, and each scenario's own feature.

    terraform-compliance parses the plan again for every feature file (8 parses of a
    1,200-resource plan take over a minute): one file, one parse.
    """
    folder = tmp / "features"
    folder.mkdir()
    origin: dict[str, str] = {}
    parts = [f"Feature: {ONE_FEATURE}\n"]
    for path in sorted(Path(features).glob("*.feature")):
        text = path.read_text(encoding="utf-8")
        name = re.search(r"^Feature:\s*(.+?)\s*$", text, re.M)
        start = re.search(r"^  (?:@|Scenario)", text, re.M)
        if not name or not start:
            continue
        for scenario in re.findall(r"^\s+Scenario(?: Outline)?:\s*(.+?)\s*$", text, re.M):
            if scenario in origin:
                raise GuardError(f"two scenarios named {scenario!r} in {features}")
            origin[scenario] = name.group(1)
        parts.append(text[start.start() :].rstrip() + "\n")
    (folder / "fdk.feature").write_text("\n".join(parts), encoding="utf-8")
    return folder, origin


def _without_references(plan: dict, tmp: Path) -> Path:
    """The plan terraform-compliance reads: without the configuration's resources.

    From them it mounts every referenced resource into every resource that refers to it,
    ignoring count/for_each indexes: all-to-all (wrong for `x[count.index]`) and square in
    time (400 buckets: 30 s). No scenario relies on it; what spans resources is the graph
    engine's. `plan_facts` still reads the whole plan."""
    config = plan.get("configuration") or {}
    stripped = dict(plan)
    stripped["configuration"] = {k: v for k, v in config.items() if k != "root_module"} | {
        "root_module": {}
    }
    path = tmp / "plan-for-compliance.json"
    path.write_text(json.dumps(stripped))
    return path


def start(
    plan_path: Path | None,
    plan: dict | None = None,
    features: Path = FEATURES_DIR,
    warm: Warm | None = None,
) -> Callable[[], list[Finding]]:
    """Start `evaluate` in a thread (it waits on a subprocess); call the result to join.

    The gate runs it beside checkov so the two tools' start-up times overlap.
    """
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["findings"] = evaluate(plan_path, plan, features, warm)
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


def _run(exe: str, plan_json: Path, features: Path, results: Path, warm: Warm | None) -> str:
    argv = ["-p", str(plan_json), "-f", str(features), f"--cucumber-json={results}"]
    try:  # stopped on Ctrl-C/SIGTERM, as on a timeout
        if warm is not None:
            proc = children.communicate(warm.start(argv), timeout=TIMEOUT_S)
        else:
            proc = children.run([exe, *argv], timeout=TIMEOUT_S, env=_env())
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
                    steps=tuple(
                        (s.get("name", ""), st) for s, st in zip(steps, states, strict=True)
                    ),
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


def to_findings(
    scenarios: Iterable[Scenario], secrets: set[str] = frozenset(), plan: dict | None = None
) -> list[Finding]:
    """Findings from the scenarios; `plan` (the plan JSON judged) tells what was unknown."""
    facts = PlanFacts(plan)
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
            rows = _scenario_findings(control, sc, secrets, facts)
            if REGISTERED_PORT_TAG in sc.tags:
                rows = _registered_port_unseen(rows, facts)
            findings.extend(rows)
    return subjects.one_of_many(findings, plan)


def _registered_port_unseen(rows: list[Finding], facts: PlanFacts) -> list[Finding]:
    """A failure on a target group whose health check is on traffic-port, deferred where an
    ECS service of the plan registers targets (on its container port, not followed here)."""
    if not any(facts.after(a).get("load_balancer") for a in facts.of_type("aws_ecs_service")):
        return rows
    out = []
    for row in rows:
        checks = facts.after(row.resource).get("health_check") or [{}]
        port = checks[0].get("port") if isinstance(checks[0], dict) else None
        if row.status == "fail" and port in (None, "traffic-port"):
            why = (
                "; on traffic-port the health check probes the port targets register on, and"
                " an ECS service registers its container port, which terraform-compliance"
                " does not follow"
            )
            row = replace(row, status="deferred", message=row.message + why)
        out.append(row)
    return out


GIVEN_STEP = re.compile(r"^Given I have (?P<type>\S+) defined$")
DOES_NOT_HAVE = re.compile(r"^(?P<address>\S+) \(\S+\) does not have (?P<prop>\S+) property\.$")
PROPERTY_IN = re.compile(r"^(?P<prop>\S+) property in (?P<address>\S+) ")
IS_SET_TO = re.compile(r"It is set to (?P<value>.*)\.$")


def _filters(sc: Scenario) -> tuple[str | None, list[filters.Filter | None]]:
    """The resource type a scenario is given, and its When-filters in order."""
    given, found = None, []
    for text, _ in sc.steps:
        if m := GIVEN_STEP.match(text):
            given = m["type"]
        elif text.startswith("Then"):
            break
        elif text.startswith(("When", "And")):
            found.append(filters.parse(text))
    return given, found


def _unseen_by_filters(sc: Scenario, facts: PlanFacts) -> dict[str, str]:
    """address -> the property a When-filter read blind on it: set in the configuration but
    unknown until apply, so the filter could not tell whether the scenario applies to it.
    (Left unset, the property is the provider's default, which the filter reads as absent.)
    A resource an earlier filter rightly dropped is not unseen."""
    given, chain = _filters(sc)
    unseen: dict[str, str] = {}
    for address in facts.of_type(given) if given else ():
        for f in chain:
            if f is None:
                continue  # a step this engine cannot replay: assume it keeps the resource
            if facts.unknown(address, f.prop) and facts.configured(address, f.prop):
                unseen[address] = f.prop
                break
            if f.keeps(facts.after(address)) is False:
                break
    return unseen


def _scenario_findings(
    control: str, sc: Scenario, secrets: set[str], facts: PlanFacts
) -> list[Finding]:
    where = f"scenario '{sc.name}' ({sc.feature})"
    given_ran = bool(sc.steps) and sc.steps[0][1] == "passed"
    rows: list[Finding] = []
    if sc.state == "failed":
        rows = _failure_rows(control, sc, secrets, facts, where)
    judged = {r.resource for r in rows}
    unseen = _unseen_by_filters(sc, facts) if given_ran else {}
    deferred = [
        Finding(
            control,
            "deferred",
            ENGINE,
            address,
            f"{where}: {prop} of {address} is unknown until apply; the scenario could not "
            "tell whether it applies",
        )
        for address, prop in sorted(unseen.items())
        if address not in judged
    ]
    if sc.state == "passed":
        return [Finding(control, "pass", ENGINE, "", f"{where} passed"), *deferred]
    if sc.state == "skipped":
        if not given_ran:
            return [
                Finding(control, "not_applicable", ENGINE, "", f"{where}: no such resource in plan")
            ]
        if NONE_SELECTED_TAG in sc.tags:
            return [
                Finding(control, "pass", ENGINE, "", f"{where} passed: nothing breaks it"),
                *deferred,
            ]
        return deferred or [
            Finding(
                control, "not_applicable", ENGINE, "", f"{where}: nothing in the plan it applies to"
            )
        ]
    return rows + deferred


def _failure_rows(
    control: str, sc: Scenario, secrets: set[str], facts: PlanFacts, where: str
) -> list[Finding]:
    rows, seen = [], set()
    for msg in sc.messages or [f"step '{sc.failed_step}' failed"]:
        text = scrub(one_line(msg.removeprefix("Failure:").strip()), secrets)
        found = ADDRESS.search(text)
        address = found.group(0) if found else ""
        if (address, text) in seen:
            continue
        seen.add((address, text))
        unseen = _unseen_value(text, facts)
        if unseen:
            rows.append(Finding(control, "deferred", ENGINE, address, f"{where}: {unseen}"))
        else:
            rows.append(Finding(control, "fail", ENGINE, address, f"{where}: {text}"))
    return rows


def _unseen_value(text: str, facts: PlanFacts) -> str:
    """Why a failure message is about a value terraform-compliance could not see ("" when
    it saw the value and the failure stands)."""
    if m := DOES_NOT_HAVE.match(text):
        address, prop = m["address"], m["prop"]
        if prop.startswith("aws_") and facts.of_type(prop) and (how := facts.indirect(prop)):
            # "it must contain aws_x": whether an aws_x belongs to it is a reference
            return f"cannot tell whether an {prop} belongs to {address}: {how}"
        if facts.unknown(address, prop) and facts.configured(address, prop):
            return f"{prop} of {address} is set but unknown until apply"
        return ""
    if (m := PROPERTY_IN.match(text)) and (v := IS_SET_TO.search(text)):
        value = v["value"]
        if "'references'" in value:
            return f"{m['prop']} of {m['address']} is a reference, known after apply"
        if value in ("None", "[None]") and facts.unknown(m["address"], m["prop"]):
            return f"{m['prop']} of {m['address']} is unknown until apply"
    return ""

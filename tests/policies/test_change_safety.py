"""FDK-CHG-01 on prior state: deletions and replacements of every protected type fail, naming
the action and the forcing attribute; updates in place and creations pass. Cases are data
(change_cases.yaml), planned offline with -refresh=false against a hand-made state; the gate
then judges one of those plans through FDK_PLAN, as a saved plan and as plan JSON."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from fdk_guard import catalogue, config
from fdk_guard.findings import Finding
from fdk_guard.plangraph import PlanGraph
from fdk_guard.plangraph.checks import load_checks
from fdk_guard.terraform import binary
from fdk_guard.terraform import plan as tf_plan
from tests.conftest import PLUGIN_MIRROR, REPO, run_cli

CONTROL = "FDK-CHG-01"
ROOT = REPO / "tests" / "fixtures" / "roots" / "change"
STATE = REPO / "tests" / "fixtures" / "states" / "change.tfstate.json"  # *.tfstate is ignored
TABLE = yaml.safe_load((Path(__file__).parent / "change_cases.yaml").read_text())
CASES = {c["name"]: c for c in TABLE["cases"]}
PROVEN = {CONTROL} if any(c["fails"] for c in CASES.values()) else set()


@dataclass(frozen=True)
class Planned:
    saved: Path  # the binary plan (`terraform plan -out`)
    plan: dict  # its `terraform show -json`


def _key(case: dict) -> str:
    """The hash of what shapes a case's plan: a second run with nothing changed re-plans nothing."""
    digest = hashlib.sha256(b"fdk-change-case-v1\0")
    for path in sorted(ROOT.glob("*.tf")) + [STATE]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    shape = {k: case.get(k) for k in ("state", "vars", "args")}  # not the expectations
    digest.update(json.dumps(shape, sort_keys=True).encode())
    digest.update(f"{binary.version()}\0{os.environ.get('FDK_TF_PLUGIN_DIR')}".encode())
    return digest.hexdigest()[:24]


def _plan_case(case: dict, base: Path) -> Planned:
    cached = config.cache_dir() / "change-cases" / _key(case)
    if (cached / "plan.json").is_file() and (cached / "case.tfplan").is_file():
        return Planned(cached / "case.tfplan", json.loads((cached / "plan.json").read_text()))
    planned = _run_case(case, base)
    cached.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(planned.saved, cached / "case.tfplan")
    (cached / "plan.json").write_text(json.dumps(planned.plan))
    return Planned(cached / "case.tfplan", planned.plan)


def _run_case(case: dict, base: Path) -> Planned:
    copy = tf_plan.prepare_copy(ROOT, base / case["name"], offline=True)
    if case.get("state") != "none":
        shutil.copyfile(STATE, copy / "terraform.tfstate")
    env = binary.tf_env({"AWS_EC2_METADATA_DISABLED": "true"})
    tf_plan.init(copy, env)
    args = [
        "plan",
        "-refresh=false",
        "-input=false",
        "-no-color",
        "-lock=false",
        "-out=case.tfplan",
    ]
    args += [f"-var={name}={value}" for name, value in (case.get("vars") or {}).items()]
    binary.run(args + list(case.get("args") or []), copy, what=f"plan {case['name']}", env=env)
    shown = binary.run(["show", "-json", "case.tfplan"], copy, what="terraform show", env=env)
    return Planned(copy / "case.tfplan", json.loads(shown.stdout))


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> dict[str, Planned]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FDK_CACHE_DIR", os.environ.get("FDK_CACHE_DIR", str(REPO / ".fdk-cache")))
        if not os.environ.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
            patch.setenv("FDK_TF_PLUGIN_DIR", str(PLUGIN_MIRROR))
        base = tmp_path_factory.mktemp("change")
        with ThreadPoolExecutor(max_workers=2) as pool:
            done = pool.map(lambda c: _plan_case(c, base), CASES.values())
            return dict(zip(CASES, done, strict=True))


def judge(plan: dict) -> list[Finding]:
    return load_checks()[CONTROL].check(PlanGraph(plan))


@pytest.mark.slow
@pytest.mark.control(CONTROL)
@pytest.mark.parametrize("name", list(CASES))
def test_case(planned: dict[str, Planned], name: str) -> None:
    case = CASES[name]
    rows = judge(planned[name].plan)
    protected = set(catalogue.params(CONTROL)["types"])
    assert {r.resource.split(".")[0] for r in rows} == protected  # every type was judged
    failing = {r.resource: r for r in rows if r.status == "fail"}
    assert set(failing) == set(case["fails"]), [(r.resource, r.message) for r in rows]
    for address, want in case["fails"].items():
        message = failing[address].message
        assert message.startswith(want["action"] + ":"), message
        for words in want.get("says", []):
            assert words in message, f"{address}: {words!r} not in {message!r}"
        for words in want.get("not", []):
            assert words not in message, f"{address}: {words!r} in {message!r}"
    assert all(r.status == "pass" for r in rows if r.resource not in failing)
    if case.get("state") == "none":
        assert all(r.message.startswith("created") for r in rows)


def _chg_rows(reports: Path) -> dict[str, dict]:
    rows = json.loads((reports / "findings.json").read_text())
    return {r["resource"]: r for r in rows if r["control"] == CONTROL}


@pytest.mark.slow
@pytest.mark.control(CONTROL)
def test_the_gate_judges_a_saved_plan_and_its_json_alike(
    planned: dict[str, Planned], gate_env: dict, tmp_path: Path
) -> None:
    case = planned["replace-database"]
    env = {**gate_env, "FDK_TF_DIR": str(ROOT), "FDK_TF_VARS": ""}
    saved = run_cli(
        "plan", env={**env, "FDK_PLAN": str(case.saved), "FDK_REPORTS": str(tmp_path / "a")}
    )
    assert saved.returncode == 1, saved.stdout + saved.stderr
    assert "saved plan of Terraform" in saved.stdout
    from_saved = _chg_rows(tmp_path / "a")
    db = from_saved["aws_db_instance.db[0]"]
    assert db["status"] == "fail" and 'db_name: "fdk" -> "fdk_app"' in db["message"]
    assert {r["status"] for a, r in from_saved.items() if a != db["resource"]} == {"pass"}
    assert "aws_db_instance.db[0]: delete-then-create" in saved.stdout

    as_json = tmp_path / "plan.json"
    as_json.write_text(json.dumps(case.plan))
    waiver = {
        "control": CONTROL,
        "resource": "aws_db_instance.db[*]",
        "reason": "the database is recreated empty on purpose: test environment",
        "owner": "platform@example.com",
        "expires": str(date.today() + timedelta(days=7)),
    }
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(yaml.safe_dump({"waivers": [waiver]}))
    env = {**env, "FDK_PLAN": str(as_json), "FDK_REPORTS": str(tmp_path / "b")}
    judged = run_cli("plan", env={**env, "FDK_WAIVERS": str(waivers)})
    assert judged.returncode in (0, 1), judged.stdout + judged.stderr
    from_json = _chg_rows(tmp_path / "b")
    assert {a: r["message"] for a, r in from_json.items()} == {
        a: r["message"] for a, r in from_saved.items()
    }
    waived = from_json["aws_db_instance.db[0]"]
    assert waived["status"] == "waived" and waived["waiver"]["owner"] == "platform@example.com"
    assert f"waived {CONTROL} aws_db_instance.db[0]: the database is recreated" in judged.stdout

"""Is judging linear in the size of the root? (README "Speed")

Builds, in a scratch folder, roots of growing size and, for each, times in one run:
  plan    terraform init + plan + show -json (offline), the cost any plan-time gate pays;
  graph   the plan-graph checks (the graph built once, every check a pass over it);
  checkov checkov alone, its start-up included, on the plan JSON the gate hands it;
  compliance  terraform-compliance on the plan JSON (features/);
  judging what the gate adds after the plan (fdk_guard.engines.evaluate_plan: the three
          at once, the tools started while Terraform planned, as fdk_guard.gate does);
and prints judging / plan per size. Two families of roots:
  K copies of the reference stack (module copies), K = 1, 2, 4, 8;
  N S3 buckets with count, each with its public access block and encryption, N = 100..800.

    python bench/scale.py [--copies 1,2,4,8] [--buckets 100,200,400,800]

Needs checkov and terraform-compliance (FDK_CHECKOV / FDK_TERRAFORM_COMPLIANCE, else nox's
tool virtualenvs once built: run it with `.nox/test/bin/python` after `nox -s test
--install-only`), terraform, and a provider (FDK_TF_PLUGIN_DIR, else /opt/tf-plugins).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from fdk_guard import engines  # noqa: E402
from fdk_guard.engines import checkov, compliance  # noqa: E402
from fdk_guard.errors import GuardError  # noqa: E402
from fdk_guard.plangraph import PlanGraph  # noqa: E402
from fdk_guard.plangraph import checks as graph_checks  # noqa: E402
from fdk_guard.terraform import plan_root  # noqa: E402

BUCKETS = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "n" {
  type = number
}

resource "aws_s3_bucket" "b" {
  count  = var.n
  bucket = "fdk-scale-${count.index}"
}

resource "aws_s3_bucket_public_access_block" "b" {
  count                   = var.n
  bucket                  = aws_s3_bucket.b[count.index].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  count  = var.n
  bucket = aws_s3_bucket.b[count.index].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
"""


def buckets_root(scratch: Path, n: int) -> tuple[Path, Path]:
    root = scratch / f"buckets-{n}"
    root.mkdir(parents=True)
    (root / "main.tf").write_text(BUCKETS)
    (root / "scale.tfvars").write_text(f"n = {n}\n")
    return root, root / "scale.tfvars"


def copies_root(scratch: Path, k: int) -> tuple[Path, None]:
    """K calls of the reference as a module, each with demo.tfvars' inputs and its own name.

    The copy's provider blocks move to the calling root (a module called several times
    takes its providers from its caller), so that the offline switch reaches them."""
    root = scratch / f"copies-{k}"
    root.mkdir(parents=True)
    stack = root / "reference"
    shutil.copytree(REPO / "reference", stack, ignore=shutil.ignore_patterns(".terraform*"))
    providers = (stack / "providers.tf").read_text()
    (stack / "providers.tf").write_text(
        providers.split('provider "aws"')[0]  # keep its locals, drop the provider blocks
    )
    (stack / "versions.tf").write_text(
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
        "      configuration_aliases = [aws.us_east_1]\n    }\n  }\n}\n"
    )
    (root / "providers.tf").write_text(
        'provider "aws" {\n  region = "ap-southeast-2"\n}\n\n'
        'provider "aws" {\n  alias  = "us_east_1"\n  region = "us-east-1"\n}\n'
    )
    inputs = (REPO / "reference" / "examples" / "demo.tfvars").read_text()
    blocks = []
    for i in range(k):
        body = "\n".join(
            f"  {line}" for line in inputs.splitlines() if not line.strip().startswith("name ")
        )
        blocks.append(
            f'module "fdk_{i}" {{\n  source = "./reference"\n'
            f"  providers = {{ aws = aws, aws.us_east_1 = aws.us_east_1 }}\n"
            f'  name = "fdk{i}"\n{body}\n}}\n'
        )
    (root / "main.tf").write_text("\n".join(blocks))
    return root, None


def timed(fn):
    started = time.monotonic()
    value = fn()
    return value, time.monotonic() - started


def measure(root: Path, tfvars: Path | None) -> dict[str, float]:
    # as the gate does (fdk_guard.gate.judged): the tools start while Terraform plans
    warm = engines.warm()
    result, plan_s = timed(lambda: plan_root(root, tfvars, use_cache=False))
    plan_json = result.json_path
    _, judging_s = timed(
        lambda: engines.evaluate_plan(
            plan_json, result.plan, root, sources=result.sources, warm=warm
        )
    )
    # each engine alone, checkov with its start-up, on the plan the gate hands it
    _, graph_s = timed(lambda: graph_checks.run(PlanGraph(result.plan, result.sources)))
    with tempfile.TemporaryDirectory() as tmp:
        scan = checkov.plan_for_scan(result.plan, Path(tmp))
        _, checkov_s = timed(lambda: checkov.collect(checkov.start(scan, "terraform_plan", root)))
    _, compliance_s = timed(lambda: compliance.evaluate(plan_json, result.plan))
    return {
        "resources": len(result.plan.get("resource_changes", [])),
        "plan": plan_s,
        "graph": graph_s,
        "checkov": checkov_s,
        "compliance": compliance_s,
        "judging": judging_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", default="1,2,4,8")
    parser.add_argument("--buckets", default="100,200,400,800")
    args = parser.parse_args()
    os.environ.setdefault("FDK_OFFLINE", "1")
    if not os.environ.get("FDK_TF_PLUGIN_DIR") and Path("/opt/tf-plugins").is_dir():
        os.environ["FDK_TF_PLUGIN_DIR"] = "/opt/tf-plugins"
    for var, tool in (
        ("FDK_CHECKOV", "checkov"),
        ("FDK_TERRAFORM_COMPLIANCE", "terraform-compliance"),
    ):
        built = REPO / ".nox" / "_tools" / tool / "bin" / tool  # nox's tool virtualenv
        if not os.environ.get(var) and built.is_file():
            os.environ[var] = str(built)
    try:
        return _run(args)
    except GuardError as err:  # a tool or a plan that cannot run: one line, not a traceback
        print(f"bench/scale.py: {err}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="fdk-scale-") as tmp:
        scratch = Path(tmp)
        os.environ["FDK_CACHE_DIR"] = str(scratch / "cache")
        sizes = [("copies", int(k)) for k in args.copies.split(",") if k] + [
            ("buckets", int(n)) for n in args.buckets.split(",") if n
        ]
        header = f"{'root':14} {'resources':>9} {'plan s':>7} {'graph':>6} {'checkov':>7} "
        header += f"{'complnc':>7} {'judging':>7} {'judging/plan':>12}"
        print(header, flush=True)
        for family, size in sizes:
            make = copies_root if family == "copies" else buckets_root
            root, tfvars = make(scratch, size)
            m = measure(root, tfvars)
            print(
                f"{family + '=' + str(size):14} {m['resources']:>9} {m['plan']:>7.1f} "
                f"{m['graph']:>6.1f} {m['checkov']:>7.1f} {m['compliance']:>7.1f} "
                f"{m['judging']:>7.1f} {m['judging'] / m['plan']:>12.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Terraform for the suite: plan any root in a working copy, offline when it must, cached.

Public API (other engineers rely on these names):

    plan_root(root, tfvars, overrides=(), *, use_cache=True, overlays=(),
              keep_failure=False, sensitive="redact") -> PlanResult
    plan_many(requests: list[PlanRequest], workers=os.cpu_count(), *, failures="raise")
    sensitive_paths(plan) / redact(plan) / secret_values(plan) / scrub(text, secrets)
    TerraformFailed: a GuardError of a terraform step, with each of its diagnostics

`tfvars` is one var file or several (later ones win); `overlays` are folders whose files
land at their paths under the root in the working copy (modules/<m>/x_override.tf lands in
that module). Working copies are temporary (plan.working_copy); offline, a local AWS
emulator answers data sources (emulator); inputs checks the variable files before a plan.
"""

from fdk_guard.terraform.binary import TerraformFailed, find_binary, first_error, version
from fdk_guard.terraform.plan import PlanRequest, PlanResult, plan_many, plan_root
from fdk_guard.terraform.sensitive import (
    REDACTED,
    redact,
    scrub,
    secret_values,
    sensitive_paths,
)
from fdk_guard.terraform.workdir import OFFLINE_MESSAGE, has_aws_credentials

__all__ = [
    "OFFLINE_MESSAGE",
    "REDACTED",
    "PlanRequest",
    "PlanResult",
    "TerraformFailed",
    "find_binary",
    "first_error",
    "has_aws_credentials",
    "plan_many",
    "plan_root",
    "redact",
    "scrub",
    "secret_values",
    "sensitive_paths",
    "version",
]

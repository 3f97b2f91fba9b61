"""FDK-CHG-01: the plan deletes or replaces no resource that holds data or identity.

Read from the plan's `resource_changes` (the graph keeps only what exists after the
change): a listed type (catalogue params `types`) whose actions include `delete` fails,
naming the action, why Terraform does it (`action_reason`) and the attributes forcing a
replacement (`replace_paths`). In a plan from empty state everything is created: nothing
exists to lose, so it passes. Waivers (`.fdk-waivers.yaml`) approve a planned deletion.
"""

from __future__ import annotations

import json

from fdk_guard import catalogue

from ._lib import Verdicts

CONTROL = "FDK-CHG-01"
DATABASES = ("aws_db_instance", "aws_rds_cluster")

ACTIONS = {
    ("delete",): "delete",
    ("delete", "create"): "delete-then-create",
    ("create", "delete"): "create-then-delete",
}
# Terraform's action_reason values, in words
REASONS = {
    "replace_because_cannot_update": "an attribute that cannot change in place changed",
    "replace_because_tainted": "the object is tainted",
    "replace_by_request": "replacement requested (-replace)",
    "replace_by_triggers": "replace_triggered_by",
    "delete_because_no_resource_config": "its block was removed from the configuration",
    "delete_because_no_module": "its module was removed from the configuration",
    "delete_because_wrong_repetition": "count/for_each was added or removed",
    "delete_because_count_index": "its count index is no longer in range",
    "delete_because_each_key": "its for_each key is gone",
    "delete_because_no_move_target": "the target of its moved block does not exist",
}
LOSS = {
    "aws_db_instance": "the database and its data",
    "aws_rds_cluster": "the cluster and its data",
    "aws_kms_key": "the key (deletion scheduled; data encrypted with it becomes unreadable)",
    "aws_secretsmanager_secret": "the secret",
    "aws_s3_bucket": "the bucket and its objects",
    "aws_route53_zone": "the hosted zone (its name servers change: the delegation breaks)",
    "aws_cloudwatch_log_group": "the log group and its logs",
}
MAX_VALUE = 60


def types() -> tuple[str, ...]:
    return tuple(catalogue.params(CONTROL).get("types") or ())


def _path(steps: list) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _value_at(node, steps: list):
    for step in steps:
        if isinstance(node, dict) and isinstance(step, str):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return None
    return node


def _shown(value) -> str:
    text = json.dumps(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def forcing(change: dict) -> list[str]:
    """`attr: old -> new` for each replace path (values from the redacted plan)."""
    before, after = change.get("before") or {}, change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    out = []
    for steps in change.get("replace_paths") or []:
        steps = steps if isinstance(steps, list) else [steps]
        old = _value_at(before, steps)
        new = "(known after apply)" if _value_at(unknown, steps) is True else None
        new = new or _shown(_value_at(after, steps))
        out.append(f"{_path(steps)}: {_shown(old)} -> {new}")
    return out


def _extra(rtype: str, before: dict) -> list[str]:
    """What the deletion takes with it, as far as the prior state tells."""
    notes = []
    if rtype in DATABASES and before.get("skip_final_snapshot") is True:
        notes.append("destroyed WITHOUT a final snapshot (skip_final_snapshot = true)")
    if rtype in DATABASES and before.get("deletion_protection") is True:
        notes.append("deletion_protection = true: the apply will fail until it is turned off")
    if rtype == "aws_kms_key" and before.get("deletion_window_in_days"):
        days = before["deletion_window_in_days"]
        notes.append(f"deletion_window_in_days = {days}: after that the key is gone for good")
    if rtype == "aws_secretsmanager_secret" and before.get("recovery_window_in_days") == 0:
        notes.append("recovery_window_in_days = 0: deleted at once, no recovery")
    if rtype == "aws_s3_bucket" and before.get("force_destroy") is True:
        notes.append("force_destroy = true: its objects are deleted with it")
    return notes


def describe(rc: dict) -> str:
    change = rc.get("change") or {}
    actions = tuple(change.get("actions") or ())
    action = ACTIONS.get(actions, "/".join(actions))
    parts = [f"{action}: loses {LOSS.get(rc['type'], 'what it holds')}"]
    reason = rc.get("action_reason")
    if reason:
        parts.append(f"because {REASONS.get(reason, reason)}")
    forced = forcing(change)
    if forced:
        parts.append("forced by " + ", ".join(forced))
    parts += _extra(rc["type"], change.get("before") or {})
    return "; ".join(parts)


def _address(rc: dict) -> str:
    deposed = rc.get("deposed")
    return f"{rc['address']} (deposed object {deposed})" if deposed else rc["address"]


def check(g):
    v = Verdicts(CONTROL)
    protected = types()
    for rc in g.plan.get("resource_changes") or []:
        if rc.get("mode", "managed") != "managed" or rc.get("type") not in protected:
            continue
        actions = (rc.get("change") or {}).get("actions") or []
        if "delete" in actions:
            v.fail(_address(rc), describe(rc))
        elif actions == ["create"]:
            v.ok(_address(rc), "created: nothing exists to lose")
        elif "update" in actions:
            v.ok(_address(rc), "updated in place")
        else:
            v.ok(_address(rc), f"kept ({'/'.join(actions) or 'no change'})")
    if not v.rows:
        v.na("(root)", "the plan touches no resource holding data or identity")
    return v.rows

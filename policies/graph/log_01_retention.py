"""FDK-LOG-01: every CloudWatch log group keeps logs exactly 14 days.

The groups are this root's log groups and those its containers log to (the awslogs
driver): a container logging to a group this root does not manage keeps its logs for a
retention nobody here sets (ECS's `awslogs-create-group` makes one that never expires)."""

from ._lib import Verdicts, containers_of, is_unknown, params, show

CONTROL = "FDK-LOG-01"


def _unmanaged_groups(g, v):
    """Defer each container that logs to a CloudWatch group this root does not manage."""
    for td in g.of_type("aws_ecs_task_definition"):
        containers, _ = containers_of(g, td)
        for c in containers or []:  # unreadable containers: ECS-01/03 say so
            config = c.get("logConfiguration")
            if not isinstance(config, dict) or config.get("logDriver") != "awslogs":
                continue
            options = config.get("options") if isinstance(config.get("options"), dict) else {}
            group = options.get("awslogs-group")
            if g.targets(group, "aws_cloudwatch_log_group"):
                continue  # judged as the root's own group
            where = f"container {c.get('name')!r} logs to {show(group)}"
            if is_unknown(group):
                v.defer(td, f"{where}: its log group cannot be followed")
            else:
                created = str(options.get("awslogs-create-group")).lower() == "true"
                v.defer(
                    td,
                    f"{where}, a log group this root does not manage: its retention cannot be"
                    " seen"
                    + (
                        " (awslogs-create-group: ECS makes it, keeping logs forever)"
                        if created
                        else ""
                    ),
                )


def check(g):
    v = Verdicts(CONTROL)
    days = params(CONTROL)["retention_days"]
    for lg in g.of_type("aws_cloudwatch_log_group"):
        got = g.value(lg, "retention_in_days")
        if is_unknown(got):
            v.defer(lg, f"retention_in_days = {show(got)}")
        elif got == days:
            v.ok(lg, f"{days} days")
        else:
            v.fail(
                lg,
                f"retention_in_days = {got!r}, not {days}"
                + (" (never expires)" if got in (None, 0) else ""),
            )
    _unmanaged_groups(g, v)
    return v.done("no CloudWatch log group in this root")

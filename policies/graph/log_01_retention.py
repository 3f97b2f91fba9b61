"""FDK-LOG-01: every CloudWatch log group keeps logs exactly 14 days."""

from ._lib import Verdicts

CONTROL = "FDK-LOG-01"


def check(g):
    v = Verdicts(CONTROL)
    for lg in g.of_type("aws_cloudwatch_log_group"):
        days = lg.get("retention_in_days")
        problems = [] if days == 14 else [f"retention_in_days = {days!r}, not 14"]
        v.judge(lg, problems, [], "14 days")
    return v.done("no CloudWatch log group in the plan")

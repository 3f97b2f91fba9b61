"""FDK-LOG-01: every CloudWatch log group keeps logs exactly 14 days."""

from ._lib import Verdicts, is_unknown, params, show

CONTROL = "FDK-LOG-01"


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
    return v.done("no CloudWatch log group in this root")

from fdk_guard.catalogue import params
from fdk_guard.live.checks import check, judge

CONTROL = "FDK-LOG-01"


@check(CONTROL, f"every log group keeps logs exactly {params(CONTROL)['retention_days']} days")
def log_groups_retention_14(snap):
    days_wanted = params(CONTROL)["retention_days"]
    for group in snap.log_groups:
        days = group.get("retentionInDays")
        yield judge(
            days == days_wanted,
            group["logGroupName"],
            f"retention {days_wanted} days",
            f"retention {days or 'never expire'}, expected {days_wanted} days",
        )

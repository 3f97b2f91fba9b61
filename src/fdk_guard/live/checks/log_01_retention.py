from fdk_guard.live.checks import check, judge

DAYS = 14


@check("FDK-LOG-01", "every log group keeps logs exactly 14 days")
def log_groups_retention_14(snap):
    for group in snap.log_groups:
        days = group.get("retentionInDays")
        yield judge(
            days == DAYS,
            group["logGroupName"],
            f"retention {DAYS} days",
            f"retention {days or 'never expire'}, expected {DAYS} days",
        )

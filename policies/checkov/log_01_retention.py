from fdk_base import FdkCheck, get, params


class LogGroupRetention14Days(FdkCheck):
    CONTROL = "FDK-LOG-01"
    NAME = "CloudWatch log group keeps logs exactly 14 days"
    TYPES = ("aws_cloudwatch_log_group",)

    def problems(self, conf):
        days = get(conf, "retention_in_days")
        want = params(self.CONTROL)["retention_days"]
        return [] if days == want else [f"retention_in_days = {days!r}, not {want}"]


check = LogGroupRetention14Days()

from fdk_base import FdkCheck, get


class TargetGroupHealthz8080(FdkCheck):
    CONTROL = "FDK-ECS-02"
    NAME = "Target group health check is /healthz on port 8080"
    TYPES = ("aws_lb_target_group", "aws_alb_target_group")

    def problems(self, conf):
        path = get(conf, "health_check", "path")
        port = str(get(conf, "health_check", "port", default="traffic-port"))
        out = [] if path == "/healthz" else [f"health_check.path = {path!r}"]
        if not (port == "8080" or (port == "traffic-port" and get(conf, "port") == 8080)):
            out.append(f"health_check.port = {port!r}")
        return out


check = TargetGroupHealthz8080()

from fdk_base import FdkCheck, Unknown, get, params


class TargetGroupHealthz8080(FdkCheck):
    CONTROL = "FDK-ECS-02"
    NAME = "Target group health check is /healthz on port 8080"
    TYPES = ("aws_lb_target_group", "aws_alb_target_group")

    def problems(self, conf):
        p = params(self.CONTROL)
        path = get(conf, "health_check", "path")
        port = str(get(conf, "health_check", "port", default="traffic-port"))
        out = [] if path == p["path"] else [f"health_check.path = {path!r}"]
        if port == "traffic-port":
            if get(conf, "port") != p["port"] and not out:
                # the port targets register on: an ECS service registers its container port
                raise Unknown("health_check.port traffic-port (the registered target port)")
        elif port != str(p["port"]):
            out.append(f"health_check.port = {port!r}")
        return out


check = TargetGroupHealthz8080()

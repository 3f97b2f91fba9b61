from fdk_base import FdkCheck, Unknown, get, items, params


class EcsServiceOnFargate(FdkCheck):
    CONTROL = "FDK-ECS-01"
    NAME = "ECS service runs on Fargate and sends load-balancer traffic to the server port"
    TYPES = ("aws_ecs_service",)

    def problems(self, conf):
        p = params(self.CONTROL)
        out = []
        launch = get(conf, "launch_type")
        providers = [get(c, "capacity_provider") for c in items(conf, "capacity_provider_strategy")]
        if launch is None and not providers:
            raise Unknown("launch type (the cluster's default capacity provider decides)")
        if launch not in (None, "FARGATE"):
            out.append(f"launch_type = {launch!r}")
        elif launch is None and not all(x in p["capacity_providers"] for x in providers):
            out.append(f"capacity providers {providers}")
        for lb in items(conf, "load_balancer"):
            port = get(lb, "container_port")
            if port != p["container_port"]:
                out.append(f"load_balancer container_port = {port!r}")
        return out


check = EcsServiceOnFargate()

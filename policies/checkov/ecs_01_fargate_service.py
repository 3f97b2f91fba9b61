from fdk_base import FdkCheck, get, items


class EcsServiceOnFargate(FdkCheck):
    CONTROL = "FDK-ECS-01"
    NAME = "ECS service runs on Fargate behind port 8080"
    TYPES = ("aws_ecs_service",)

    def problems(self, conf):
        out = []
        launch = get(conf, "launch_type")
        providers = [get(c, "capacity_provider") for c in items(conf, "capacity_provider_strategy")]
        if launch != "FARGATE" and not (
            providers and all(str(p).startswith("FARGATE") for p in providers)
        ):
            out.append(f"launch_type = {launch!r}")
        for lb in items(conf, "load_balancer"):
            if get(lb, "container_port") != 8080:
                out.append(f"load_balancer container_port = {get(lb, 'container_port')!r}")
        return out


check = EcsServiceOnFargate()

from fdk_base import FdkCheck, get, items, params


class EcsTaskFargateAwsvpc(FdkCheck):
    CONTROL = "FDK-ECS-01"
    NAME = "ECS task definition is Fargate-compatible with awsvpc networking"
    TYPES = ("aws_ecs_task_definition",)

    def problems(self, conf):
        out = []
        if "FARGATE" not in items(conf, "requires_compatibilities"):
            out.append(f"requires_compatibilities = {items(conf, 'requires_compatibilities')!r}")
        if get(conf, "network_mode") != params(self.CONTROL)["network_mode"]:
            out.append(f"network_mode = {get(conf, 'network_mode')!r}")
        return out


check = EcsTaskFargateAwsvpc()

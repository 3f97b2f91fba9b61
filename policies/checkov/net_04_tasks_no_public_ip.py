from fdk_base import FdkCheck, get


class EcsTasksNoPublicIp(FdkCheck):
    CONTROL = "FDK-NET-04"
    NAME = "ECS tasks get no public IP"
    TYPES = ("aws_ecs_service",)

    def problems(self, conf):
        if get(conf, "network_configuration", "assign_public_ip") is True:
            return ["network_configuration.assign_public_ip = true"]
        return []


check = EcsTasksNoPublicIp()

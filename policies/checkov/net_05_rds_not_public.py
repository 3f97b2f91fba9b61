from fdk_base import FdkCheck, get


class RdsNotPubliclyAccessible(FdkCheck):
    CONTROL = "FDK-NET-05"
    NAME = "RDS instance is not publicly accessible"
    TYPES = ("aws_db_instance",)

    def problems(self, conf):
        return ["publicly_accessible = true"] if get(conf, "publicly_accessible") is True else []


check = RdsNotPubliclyAccessible()

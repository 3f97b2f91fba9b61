from fdk_base import FdkCheck, get


class RdsPasswordGenerated(FdkCheck):
    CONTROL = "FDK-DATA-02"
    NAME = "RDS master password generated and kept in Secrets Manager"
    TYPES = ("aws_db_instance", "aws_rds_cluster")

    def problems(self, conf):
        out = []
        if get(conf, "manage_master_user_password") is not True:
            out.append("manage_master_user_password is not true")
        for attr in ("password", "master_password"):
            if attr in conf and conf[attr] not in ([None], None, [""]):
                out.append(f"{attr} set in code")
        return out


check = RdsPasswordGenerated()

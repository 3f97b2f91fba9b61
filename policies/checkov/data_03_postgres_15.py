import re

from fdk_base import FdkCheck, Unknown, get, params


class RdsPostgres15(FdkCheck):
    CONTROL = "FDK-DATA-03"
    NAME = "RDS engine is PostgreSQL 15 or later"
    TYPES = ("aws_db_instance", "aws_rds_cluster")

    def problems(self, conf):
        p = params(self.CONTROL)
        engine, version = get(conf, "engine"), get(conf, "engine_version")
        out = [] if engine in p["engines"] else [f"engine = {engine!r}"]
        if version is None:
            raise Unknown("engine_version (provider default)")
        m = re.match(r"(\d+)", str(version))
        if not m or int(m[1]) < p["min_major_version"]:
            out.append(f"engine_version = {version!r}")
        return out


check = RdsPostgres15()

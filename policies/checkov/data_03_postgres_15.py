import re

from fdk_base import FdkCheck, Unknown, get


class RdsPostgres15(FdkCheck):
    CONTROL = "FDK-DATA-03"
    NAME = "RDS engine is PostgreSQL 15 or later"
    TYPES = ("aws_db_instance",)

    def problems(self, conf):
        engine, version = get(conf, "engine"), get(conf, "engine_version")
        out = [] if engine == "postgres" else [f"engine = {engine!r}"]
        if version is None:
            raise Unknown("engine_version (provider default)")
        m = re.match(r"(\d+)", str(version))
        if not m or int(m[1]) < 15:
            out.append(f"engine_version = {version!r}")
        return out


check = RdsPostgres15()

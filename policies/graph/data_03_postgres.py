"""FDK-DATA-03: the RDS engine is PostgreSQL, major version 15 or later."""

import re

from ._lib import Verdicts, is_unknown

CONTROL = "FDK-DATA-03"


def check(g):
    v = Verdicts(CONTROL)
    for db in g.of_type("aws_db_instance", "aws_rds_cluster"):
        engine, version = db.get("engine"), db.get("engine_version")
        problems, unknowns = [], []
        if engine not in ("postgres", "aurora-postgresql"):
            problems.append(f"engine = {engine!r}, not PostgreSQL")
        if is_unknown(version) or not version:
            unknowns.append("engine_version not set: the provider's default is chosen at apply")
        else:
            m = re.match(r"(\d+)", str(version))
            if not m or int(m[1]) < 15:
                problems.append(f"engine_version = {version!r}: PostgreSQL 15+ required")
        v.judge(db, problems, unknowns, f"{engine} {version}")
    return v.done("no RDS instance in the plan")

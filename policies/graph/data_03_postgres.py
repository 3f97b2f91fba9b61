"""FDK-DATA-03: the RDS engine is PostgreSQL, major version 15 or later."""

import re

from ._lib import DB_TYPES, Verdicts, is_unknown, params, show

CONTROL = "FDK-DATA-03"


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    for db in g.of_type(*DB_TYPES):
        engine, version = g.value(db, "engine"), g.value(db, "engine_version")
        problems, unknowns = [], []
        if is_unknown(engine):
            unknowns.append(f"engine = {show(engine)}")
        elif engine not in p["engines"]:
            problems.append(f"engine = {engine!r}, not PostgreSQL")
        if is_unknown(version) or not version:
            unknowns.append("engine_version not set: the default is chosen at apply")
        else:
            m = re.match(r"(\d+)", str(version))
            if not m or int(m[1]) < p["min_major_version"]:
                problems.append(
                    f"engine_version = {version!r}: PostgreSQL {p['min_major_version']}+ required"
                )
        v.judge(db, problems, unknowns, f"{engine} {version}")
    return v.done("no database in this root")

"""FDK-DATA-03: the RDS engine is PostgreSQL, major version 15 or later.

The database is the FDK server's: the one its DATABASE__HOST names. Another database of
the root (MySQL for another application) is not held to it; while the server's cannot be
told apart, a second database's problems are deferred, not failed.
"""

import re

from ._lib import DB_TYPES, Verdicts, is_unknown, params, server_databases, show

CONTROL = "FDK-DATA-03"


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    dbs = g.of_type(*DB_TYPES)
    theirs = server_databases(g)
    for db in dbs:
        if theirs.excludes(db):
            v.na(db, "not the FDK server's database: its DATABASE__HOST names another")
            continue
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
        v.judge_subject(
            db,
            problems,
            unknowns,
            f"{engine} {version}",
            theirs=theirs.found,
            several=len(dbs) > 1,
            doubt=f"whether it is the FDK server's database cannot be told ({theirs.why})",
        )
    return v.done("no database in this root")

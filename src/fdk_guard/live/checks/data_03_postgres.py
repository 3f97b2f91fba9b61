from fdk_guard.catalogue import params
from fdk_guard.live.checks import Verdict, check, judge
from fdk_guard.live.checks._common import server_databases

CONTROL = "FDK-DATA-03"


@check(CONTROL, f"RDS engine is PostgreSQL {params(CONTROL)['min_major_version']} or later")
def rds_postgres_15_plus(snap):
    p = params(CONTROL)
    wanted = f"{'/'.join(p['engines'])} {p['min_major_version']}+"
    # the databases the FDK servers name; every database when none names one of them
    theirs = server_databases(snap)
    for db in snap.db_instances:
        if theirs and db["DBInstanceArn"] not in theirs:
            yield Verdict("not_applicable", db["DBInstanceArn"], "not the FDK server's database")
            continue
        engine, version = db.get("Engine", ""), db.get("EngineVersion", "")
        major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0
        yield judge(
            engine in p["engines"] and major >= p["min_major_version"],
            db["DBInstanceArn"],
            f"{engine} {version}",
            f"engine {engine} {version}, expected {wanted}",
        )

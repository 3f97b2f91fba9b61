from fdk_guard.catalogue import params
from fdk_guard.live.checks import Verdict, check, judge
from fdk_guard.live.checks._common import environment, server_container, server_services

CONTROL = "FDK-DATA-03"


@check(CONTROL, f"RDS engine is PostgreSQL {params(CONTROL)['min_major_version']} or later")
def rds_postgres_15_plus(snap):
    p = params(CONTROL)
    wanted = f"{'/'.join(p['engines'])} {p['min_major_version']}+"
    hosts = set()
    for _, td in server_services(snap):
        container = server_container(td, snap)
        if container is not None:
            hosts.add(environment(container).get("DATABASE__HOST"))
    # the databases the FDK servers name; every database when none names one of them
    theirs = {
        db["DBInstanceArn"]
        for db in snap.db_instances
        if (db.get("Endpoint") or {}).get("Address") in hosts
    }
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

from fdk_guard.live.checks import check, judge

MIN_MAJOR = 15


@check("FDK-DATA-03", "RDS engine is PostgreSQL 15 or later")
def rds_postgres_15_plus(snap):
    for db in snap.db_instances:
        engine, version = db.get("Engine", ""), db.get("EngineVersion", "")
        major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0
        yield judge(
            engine == "postgres" and major >= MIN_MAJOR,
            db["DBInstanceArn"],
            f"{engine} {version}",
            f"engine {engine} {version}, expected postgres {MIN_MAJOR}+",
        )

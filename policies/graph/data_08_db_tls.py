"""FDK-DATA-08: the server reaches the database over TLS: DATABASE__SSL_MODE is require or
stricter, and the instance's parameter group does not turn rds.force_ssl off."""

from ._lib import DB_TYPES, Verdicts, as_list, is_unknown, judge_servers, params, show

CONTROL = "FDK-DATA-08"


def _force_ssl(g, db, name) -> tuple[list[str], list[str]]:
    attr = (
        "db_cluster_parameter_group_name"
        if db.type == "aws_rds_cluster"
        else "parameter_group_name"
    )
    value = g.value(db, attr)
    if value is None:
        return [], []  # the engine's default group: rds.force_ssl = 1 from PostgreSQL 15
    types = ("aws_rds_cluster_parameter_group", "aws_db_parameter_group")
    groups = g.targets(value, *types)
    if groups is None:
        if isinstance(value, str) and value.startswith("default."):
            return [], []
        return [], [f"its parameter group cannot be followed ({show(value)})"]
    problems, unknowns = [], []
    for grp in groups:
        for param in as_list(g.value(grp, "parameter")):
            if not isinstance(param, dict) or param.get("name") != name:
                continue
            value = param.get("value")
            if is_unknown(value):
                unknowns.append(f"{name} in {grp.address}")
            elif str(value).lower() in ("0", "false", "off"):
                problems.append(f"{grp.address} sets {name} = {value!r}")
    return problems, unknowns


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    dbs = g.of_type(*DB_TYPES)
    for db in dbs:
        problems, unknowns = _force_ssl(g, db, p["force_ssl_parameter"])
        v.judge(db, problems, unknowns, f"{p['force_ssl_parameter']} not turned off")

    def judge(f):
        mode = None
        for e in as_list(f.container.get("environment")):
            if isinstance(e, dict) and e.get("name") == "DATABASE__SSL_MODE":
                mode = e.get("value")
        target = f.task or f.service
        if is_unknown(mode):
            v.defer(target, f"DATABASE__SSL_MODE = {show(mode)}")
        elif mode not in p["ssl_modes"]:
            v.fail(target, f"DATABASE__SSL_MODE = {mode!r}, not {'/'.join(p['ssl_modes'])}")
        else:
            v.ok(target, f"DATABASE__SSL_MODE = {mode}")

    if dbs:
        judge_servers(v, g, judge, "DATABASE__SSL_MODE")
    return v.done("no database in this root")

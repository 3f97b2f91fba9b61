"""FDK-ECS-02: load-balancer health checks target /healthz on port 8080.

A health check on "traffic-port" probes the port targets are registered on: for a target
group an ECS service registers its tasks in, the container port of its load_balancer block.
Only the target groups the FDK server's service registers in are held to it; while they
cannot be told (no server in the root, a link that cannot be followed), another target
group's problems are deferred, not failed.
"""

from ._lib import (
    TG_TYPES,
    Verdicts,
    first_block,
    fronted,
    is_unknown,
    params,
    server_fronts,
    show,
)

CONTROL = "FDK-ECS-02"


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    registered: dict[str, set] = {}
    for f in fronted(g):
        for tg in f.target_groups or []:
            registered.setdefault(tg.address, set()).add(f.container_port)
    fronts = server_fronts(g)
    groups = g.of_type(*TG_TYPES)
    for tg in groups:
        if fronts.excludes_group(tg):
            v.na(tg, "not the FDK server's: its service does not register in it")
            continue
        hc = first_block(g, tg, "health_check")
        if is_unknown(hc):
            v.defer(tg, f"its health check: {show(hc)}")
            continue
        problems, unknowns = [], []
        if hc.get("enabled") is False:
            problems.append("health check disabled")
        path, port = hc.get("path"), hc.get("port")
        if is_unknown(path):
            unknowns.append(f"health_check.path = {show(path)}")
        elif path != p["path"]:
            problems.append(f"health_check.path = {path!r}, not {p['path']}")
        if port in (None, "traffic-port"):
            ports = registered.get(tg.address) or {g.value(tg, "port")}
            what = "registered container port" if tg.address in registered else "target port"
        else:
            ports, what = {port}, "health_check.port"
        for x in ports:
            if is_unknown(x):
                unknowns.append(f"the {what} {show(x)}")
            elif str(x) != str(p["port"]):
                problems.append(f"health checks go to the {what} {x!r}, not {p['port']}")
        v.judge_subject(
            tg,
            problems,
            unknowns,
            f"{p['path']} on {p['port']}",
            theirs=fronts.groups,
            several=len(groups) > 1,
            doubt=f"whether the FDK server registers in it cannot be told ({fronts.groups_why})",
        )
    return v.done("no load-balancer target group in this root")

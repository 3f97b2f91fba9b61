from fdk_guard.catalogue import params
from fdk_guard.live.checks import Verdict, bad, check, ok
from fdk_guard.live.checks._common import server_fronts

CONTROL = "FDK-ECS-02"


@check(
    CONTROL,
    f"the target group health check is {params(CONTROL)['path']} on {params(CONTROL)['port']}",
)
def target_group_healthz_8080(snap):
    path_wanted, port_wanted = params(CONTROL)["path"], params(CONTROL)["port"]
    theirs, _ = server_fronts(snap)
    for tg in snap.target_groups:
        arn = tg["TargetGroupArn"]
        if theirs and arn not in theirs:
            yield Verdict("not_applicable", arn, "not the FDK server's target group")
            continue
        hc_port = tg.get("HealthCheckPort", "traffic-port")
        # traffic-port: the port targets are registered on (ECS: the container port)
        registered = theirs.get(arn) or tg.get("Port")
        port = registered if hc_port == "traffic-port" else int(hc_port)
        if tg.get("HealthCheckPath") != path_wanted:
            yield bad(arn, f"health check path {tg.get('HealthCheckPath')}, expected {path_wanted}")
        elif port != port_wanted:
            yield bad(arn, f"health check port {port}, expected {port_wanted}")
        elif tg.get("HealthCheckEnabled") is False:
            yield bad(arn, "health check disabled")
        else:
            yield ok(arn, f"health check {path_wanted} on {port_wanted}")

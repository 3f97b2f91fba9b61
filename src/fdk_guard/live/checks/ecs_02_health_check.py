from fdk_guard.live.checks import bad, check, ok

PATH, PORT = "/healthz", 8080


@check("FDK-ECS-02", "the target group health check is /healthz on 8080")
def target_group_healthz_8080(snap):
    for tg in snap.target_groups:
        arn = tg["TargetGroupArn"]
        hc_port = tg.get("HealthCheckPort", "traffic-port")
        port = tg.get("Port") if hc_port == "traffic-port" else int(hc_port)
        if tg.get("HealthCheckPath") != PATH:
            yield bad(arn, f"health check path {tg.get('HealthCheckPath')}, expected {PATH}")
        elif port != PORT:
            yield bad(arn, f"health check port {port}, expected {PORT}")
        elif tg.get("HealthCheckEnabled") is False:
            yield bad(arn, "health check disabled")
        else:
            yield ok(arn, f"health check {PATH} on {PORT}")

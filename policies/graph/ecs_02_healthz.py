"""FDK-ECS-02: load-balancer health checks target /healthz on port 8080."""

from ._lib import TG_TYPES, Verdicts

CONTROL = "FDK-ECS-02"


def check(g):
    v = Verdicts(CONTROL)
    for tg in g.of_type(*TG_TYPES):
        hc = (tg.block("health_check") or [{}])[0]
        path, port = hc.get("path"), str(hc.get("port"))
        problems = []
        if path != "/healthz":
            problems.append(f"health_check.path = {path!r}")
        if not (port == "8080" or (port == "traffic-port" and tg.get("port") == 8080)):
            problems.append(f"health_check.port = {port!r} (target port {tg.get('port')!r})")
        if hc.get("enabled") is False:
            problems.append("health_check disabled")
        v.judge(tg, problems, [], "/healthz on 8080")
    return v.done("no load-balancer target group in the plan")

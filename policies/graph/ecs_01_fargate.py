"""FDK-ECS-01: the service runs on Fargate, awsvpc, with the container port 8080."""

from ._lib import TG_TYPES, Verdicts, container_definitions

CONTROL = "FDK-ECS-01"


def check(g):
    v = Verdicts(CONTROL)
    for svc in g.of_type("aws_ecs_service"):
        problems, unknowns = [], []
        strategy = [c.get("capacity_provider") for c in svc.block("capacity_provider_strategy")]
        if svc.get("launch_type") != "FARGATE" and not (
            strategy and all(str(c).startswith("FARGATE") for c in strategy)
        ):
            problems.append(f"launch_type = {svc.get('launch_type')!r}, not FARGATE")
        lbs = svc.block("load_balancer")
        if not lbs:
            problems.append("not attached to a load balancer target group")
        for i, lb in enumerate(lbs):
            if lb.get("container_port") != 8080:
                problems.append(f"load_balancer container_port = {lb.get('container_port')!r}")
            for tg in g.ref_resources(svc, "load_balancer", i, "target_group_arn") or []:
                if tg.type in TG_TYPES and tg.get("port") != 8080:
                    problems.append(f"target group {tg.address} port = {tg.get('port')!r}")
        for td in [
            t
            for t in g.ref_resources(svc, "task_definition") or []
            if t.type == "aws_ecs_task_definition"
        ]:
            if "FARGATE" not in td.known("requires_compatibilities", default=[]):
                compat = td.get("requires_compatibilities")
                problems.append(f"{td.address} requires_compatibilities = {compat!r}")
            if td.get("network_mode") != "awsvpc":
                problems.append(f"{td.address} network_mode = {td.get('network_mode')!r}")
            containers = container_definitions(td)
            if containers is None:
                continue  # the port is also what the service and target group name (above)
            ports = [
                p.get("containerPort") for c in containers for p in c.get("portMappings") or []
            ]
            if 8080 not in ports:
                problems.append(f"{td.address} maps ports {ports}, not 8080")
        if not g.ref_resources(svc, "task_definition"):
            unknowns.append("task definition cannot be followed")
        v.judge(svc, problems, unknowns, "Fargate, awsvpc, container port 8080")
    return v.done("no aws_ecs_service in the plan")

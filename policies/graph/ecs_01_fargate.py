"""FDK-ECS-01: the service runs on Fargate, awsvpc, with the container port 8080.

The container is the one the service's load_balancer block sends traffic to; a service
with no capacity provider strategy of its own uses its cluster's default strategy.
"""

from ._lib import Verdicts, as_list, fronted, is_unknown, params, show, task_definition_of

CONTROL = "FDK-ECS-01"


def _cluster_default(g, svc) -> list | None:
    clusters = g.targets(g.value(svc, "cluster"), "aws_ecs_cluster")
    if not clusters:
        return None
    for cp in g.of_type("aws_ecs_cluster_capacity_providers"):
        if g.targets(g.value(cp, "cluster_name"), "aws_ecs_cluster") == clusters:
            return [
                s.get("capacity_provider")
                for s in as_list(g.value(cp, "default_capacity_provider_strategy"))
            ]
    return None


def _launch(g, svc, p) -> tuple[list[str], list[str]]:
    launch = g.value(svc, "launch_type")
    strategy = [
        s.get("capacity_provider")
        for s in as_list(g.value(svc, "capacity_provider_strategy"))
        if isinstance(s, dict)
    ]
    if strategy and all(isinstance(x, str) for x in strategy):
        launch = None  # AWS takes a strategy or a launch type, never both: the strategy decides
    if is_unknown(launch):
        return [], [f"launch_type = {show(launch)}"]
    if launch == "FARGATE":
        return [], []
    if launch is None:
        providers = strategy or _cluster_default(g, svc)
        if providers is None:
            return [], [
                "no launch type or capacity provider strategy: the cluster's default decides"
            ]
        if any(is_unknown(x) for x in providers):
            return [], ["the capacity providers"]
        if providers and all(x in p["capacity_providers"] for x in providers):
            return [], []
        return [f"capacity providers {providers}, not Fargate"], []
    return [f"launch_type = {launch!r}, not FARGATE"], []


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    by_service = {}
    for f in fronted(g):
        by_service.setdefault(f.service.address, []).append(f)
    for svc in g.of_type("aws_ecs_service"):
        problems, unknowns = _launch(g, svc, p)
        td, td_why = task_definition_of(g, svc)
        if td is None:
            unknowns.append(td_why)
        else:
            compat = g.value(td, "requires_compatibilities")
            if is_unknown(compat):
                unknowns.append(f"requires_compatibilities = {show(compat)}")
            elif "FARGATE" not in as_list(compat):
                problems.append(f"{td.address} requires_compatibilities = {compat!r}")
            mode = g.value(td, "network_mode")
            if is_unknown(mode):
                unknowns.append(f"network_mode = {show(mode)}")
            elif mode != p["network_mode"]:
                problems.append(f"{td.address} network_mode = {mode!r}")
        for f in by_service.get(svc.address, []):
            port = f.container_port
            if is_unknown(port):
                unknowns.append(f"the load-balanced container port {show(port)}")
            elif port != p["container_port"]:
                problems.append(
                    f"the load balancer targets container port {port!r}, not {p['container_port']}"
                )
            container = f.container
            if container is not None:
                mapped = [
                    m.get("containerPort")
                    for m in as_list(container.get("portMappings"))
                    if isinstance(m, dict)
                ]
                if p["container_port"] not in mapped and not any(is_unknown(x) for x in mapped):
                    problems.append(
                        f"{f.container_name!r} maps ports {mapped}, not {p['container_port']}"
                    )
        v.judge(svc, problems, unknowns, f"Fargate, awsvpc, container port {p['container_port']}")
    return v.done("no ECS service in this root")

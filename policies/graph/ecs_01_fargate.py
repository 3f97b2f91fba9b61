"""FDK-ECS-01: the service runs on Fargate, awsvpc, with the container port 8080.

The container is the one the service's load_balancer block sends traffic to; a service
with no capacity provider strategy of its own uses its cluster's default strategy.
The service is the FDK server's: once every load-balanced container can be seen and one is
the server, another service (a worker, an admin application) and the task definitions it
runs are not held to it; until then a second service's problems are deferred, not failed.
"""

from ._lib import (
    Verdicts,
    as_list,
    fronted,
    is_unknown,
    params,
    servers,
    show,
    task_definition_of,
)

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
    s = servers(g)
    theirs = {f.service.address for f in s.found}
    known = bool(s.found) and not s.undecided
    services = g.of_type("aws_ecs_service")
    for svc in services:
        if known and svc.address not in theirs:
            v.na(svc, "not the FDK server's service: it runs no FDK server container")
            continue
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
        unseen = (
            f"the containers of {s.undecided[0].service.address} are unseen"
            if s.undecided
            else "no FDK server in this root"
        )
        v.judge_subject(
            svc,
            problems,
            unknowns,
            f"Fargate, awsvpc, container port {p['container_port']}",
            theirs=theirs,
            several=len(services) > 1,
            doubt=f"whether it is the FDK server's service cannot be told ({unseen})",
        )
    if known:  # what checkov and terraform-compliance judge apart, one resource at a time
        tasks = {f.task.address for f in s.found if f.task is not None}
        for td in g.of_type("aws_ecs_task_definition"):
            if td.address not in tasks:
                v.na(td, "not the FDK server's task definition")
    return v.done("no ECS service in this root")

"""What several live checks read the same way: containers, policy statements, subnets."""

from __future__ import annotations

from fdk_guard.catalogue import params
from fdk_guard.internet import is_internet

# the FDK server's container port (one definition, in the catalogue)
SERVER_PORT = params("FDK-ECS-01")["container_port"]


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(doc: dict) -> list[dict]:
    return [s for s in as_list((doc or {}).get("Statement")) if isinstance(s, dict)]


def allows(doc: dict) -> list[dict]:
    return [s for s in statements(doc) if s.get("Effect") == "Allow"]


def _server_variables() -> set[str]:
    from fdk_guard.catalogue import params

    p = params("FDK-ECS-03")
    return set(p["required_variables"]) | {p["monitoring_variable"]}


def balanced_container(task_def: dict, snap) -> dict | None:
    """The container a service's load balancer sends traffic to, in this task definition."""
    arn = task_def.get("taskDefinitionArn")
    names = {
        lb.get("containerName")
        for svc in getattr(snap, "ecs_services", []) or []
        if svc.get("taskDefinition") == arn
        for lb in svc.get("loadBalancers", [])
    }
    for c in task_def.get("containerDefinitions", []):
        if c.get("name") in names:
            return c
    return None


def server_container(task_def: dict, snap) -> dict | None:
    """The FDK server: the load-balanced container, when it gets the server's variables
    (DATABASE__*, STORAGE__*, AUTH__*); None in a task that runs no FDK server."""
    c = balanced_container(task_def, snap)
    if c is None:
        return None
    names = set(environment(c)) | secret_names(c)
    prefixes = ("DATABASE__", "STORAGE__", "AUTH__", "OBSERVABILITY__")
    if names & _server_variables() or any(n.startswith(prefixes) for n in names):
        return c
    return None


def environment(container: dict) -> dict[str, str]:
    return {e["name"]: e.get("value", "") for e in container.get("environment", [])}


def secret_names(container: dict) -> set[str]:
    return {s["name"] for s in container.get("secrets", [])}


def service_subnets(service: dict) -> list[str]:
    return service.get("networkConfiguration", {}).get("awsvpcConfiguration", {}).get("subnets", [])


def server_services(snap) -> list[tuple[dict, dict]]:
    """(service, task definition) pairs of the deployment."""
    return [
        (svc, snap.task_definitions[svc["taskDefinition"]])
        for svc in snap.ecs_services
        if svc["taskDefinition"] in snap.task_definitions
    ]


def server_databases(snap) -> set[str]:
    """The ARNs of the databases the FDK servers' DATABASE__HOST names (empty: none named)."""
    hosts = set()
    for _, td in server_services(snap):
        container = server_container(td, snap)
        if container is not None:
            hosts.add(environment(container).get("DATABASE__HOST"))
    return {
        db["DBInstanceArn"]
        for db in snap.db_instances
        if (db.get("Endpoint") or {}).get("Address") in hosts
    }


def server_task_groups(snap) -> set[str]:
    """The security groups of the services running the FDK server (empty: none runs it)."""
    return {
        g
        for svc, td in server_services(snap)
        if server_container(td, snap) is not None
        for g in svc.get("networkConfiguration", {})
        .get("awsvpcConfiguration", {})
        .get("securityGroups", [])
    }


def internet_sources(perm: dict, snap) -> tuple[list[str], list[str]]:
    """The permission's source ranges that are the internet (fdk_guard.internet), its own
    and those of the prefix lists it names; and the prefix lists that could not be read."""
    cidrs = [r.get("CidrIp") for r in perm.get("IpRanges", [])]
    cidrs += [r.get("CidrIpv6") for r in perm.get("Ipv6Ranges", [])]
    unread = []
    for p in perm.get("PrefixListIds", []):
        pl = p.get("PrefixListId")
        if pl in snap.prefix_lists:
            cidrs += snap.prefix_lists[pl]
        elif pl:
            unread.append(pl)
    return [c for c in cidrs if is_internet(c)], unread


def covers_port(perm: dict, port: int) -> bool:
    """Does the permission open TCP `port` (the chain's and SSH's ports are TCP)?"""
    protocol = str(perm.get("IpProtocol")).lower()
    if protocol == "-1":
        return True
    if protocol not in ("tcp", "6"):
        return False
    low, high = perm.get("FromPort"), perm.get("ToPort")
    return low is not None and high is not None and low <= port <= high


def source_groups(perm: dict) -> set[str]:
    return {p["GroupId"] for p in perm.get("UserIdGroupPairs", []) if p.get("GroupId")}


def server_fronts(snap) -> tuple[dict[str, int], set[str]]:
    """The FDK server's target groups (ARN -> the container port its service registers
    there) and the load balancers forwarding to them; both empty when no service runs an
    FDK server (then every load balancer and target group is judged)."""
    groups: dict[str, int] = {}
    for svc, td in server_services(snap):
        container = server_container(td, snap)
        if container is None:
            continue
        for lb in svc.get("loadBalancers", []):
            if lb.get("containerName") == container.get("name") and lb.get("targetGroupArn"):
                groups[lb["targetGroupArn"]] = lb.get("containerPort")
    lbs = {
        arn
        for tg in getattr(snap, "target_groups", []) or []
        if tg.get("TargetGroupArn") in groups
        for arn in tg.get("LoadBalancerArns", [])
    }
    return groups, lbs

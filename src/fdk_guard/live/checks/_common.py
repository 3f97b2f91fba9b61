"""What several live checks read the same way: containers, policy statements, subnets."""

from __future__ import annotations

from fdk_guard.catalogue import params

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


def server_container(task_def: dict) -> dict | None:
    """The container on the server port (the FDK server); else the first essential one."""
    containers = task_def.get("containerDefinitions", [])
    for c in containers:
        if any(p.get("containerPort") == SERVER_PORT for p in c.get("portMappings", [])):
            return c
    essential = [c for c in containers if c.get("essential", True)]
    return essential[0] if essential else None


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


def open_cidr(perm: dict) -> bool:
    return any(r.get("CidrIp") == "0.0.0.0/0" for r in perm.get("IpRanges", [])) or any(
        r.get("CidrIpv6") == "::/0" for r in perm.get("Ipv6Ranges", [])
    )


def covers_port(perm: dict, port: int) -> bool:
    if perm.get("IpProtocol") == "-1":
        return True
    low, high = perm.get("FromPort"), perm.get("ToPort")
    return low is not None and high is not None and low <= port <= high


def source_groups(perm: dict) -> set[str]:
    return {p["GroupId"] for p in perm.get("UserIdGroupPairs", []) if p.get("GroupId")}

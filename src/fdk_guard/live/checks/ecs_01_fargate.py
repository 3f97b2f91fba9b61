from fdk_guard.catalogue import params
from fdk_guard.live.checks import Verdict, bad, check, ok
from fdk_guard.live.checks._common import (
    SERVER_PORT,
    balanced_container,
    server_container,
    server_services,
)

CONTROL = "FDK-ECS-01"


@check(CONTROL, f"the service runs on Fargate, awsvpc, container port {SERVER_PORT}")
def ecs_fargate_awsvpc_8080(snap):
    p = params(CONTROL)
    pairs = server_services(snap)
    # once a service runs the FDK server, the others (workers, other applications) are not
    # held to its promise
    theirs = {svc["serviceArn"] for svc, td in pairs if server_container(td, snap) is not None}
    for svc, td in pairs:
        if theirs and svc["serviceArn"] not in theirs:
            yield Verdict("not_applicable", svc["serviceArn"], "not the FDK server's service")
            continue
        strategy = {c.get("capacityProvider") for c in svc.get("capacityProviderStrategy", [])}
        fargate = svc.get("launchType") == "FARGATE" or (
            strategy and strategy <= set(p["capacity_providers"])
        )
        ports = [
            p.get("containerPort")
            for p in (balanced_container(td, snap) or {}).get("portMappings", [])
        ]
        if not fargate:
            yield bad(svc["serviceArn"], f"launch type {svc.get('launchType')}, not FARGATE")
        elif "FARGATE" not in td.get("requiresCompatibilities", []):
            yield bad(td["taskDefinitionArn"], "task definition does not require FARGATE")
        elif td.get("networkMode") != p["network_mode"]:
            yield bad(
                td["taskDefinitionArn"],
                f"network mode {td.get('networkMode')}, not {p['network_mode']}",
            )
        elif SERVER_PORT not in ports:
            yield bad(td["taskDefinitionArn"], f"server container ports {ports}, no {SERVER_PORT}")
        else:
            yield ok(svc["serviceArn"], f"Fargate, {p['network_mode']}, port {SERVER_PORT}")

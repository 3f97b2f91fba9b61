from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import server_container


@check(
    "FDK-ECS-05",
    "the migration init container is non-essential; the server waits for SUCCESS",
    optional=True,
)
def migration_before_server(snap):
    for arn, td in sorted(snap.task_definitions.items()):
        server = server_container(td) or {}
        inits = [
            c for c in td.get("containerDefinitions", []) if "migrat" in c.get("name", "").lower()
        ]
        for init in inits:
            deps = {d["containerName"]: d["condition"] for d in server.get("dependsOn", [])}
            if init.get("essential", True):
                yield bad(arn, f"{init['name']} is essential")
            elif deps.get(init["name"]) != "SUCCESS":
                yield bad(
                    arn,
                    f"server depends on {init['name']} with {deps.get(init['name'])}, not SUCCESS",
                )
            else:
                yield ok(arn, f"{init['name']} non-essential; server waits for SUCCESS")

"""FDK-ECS-05: the optional migration init container is non-essential and the server starts
only after it succeeds."""

from ._lib import Verdicts, as_list, judge_servers, params

CONTROL = "FDK-ECS-05"


def _is_migration(container: dict, words) -> bool:
    text = " ".join(
        map(str, as_list(container.get("command")) + as_list(container.get("entryPoint")))
    )
    text += " " + str(container.get("name", ""))
    return any(w in text.lower() for w in words)


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)

    def judge(f):
        server = f.container
        others = [
            c for c in f.containers if c is not server and _is_migration(c, p["migration_words"])
        ]
        if not others:
            v.na(f.task or f.service, "no migration init container")
            return
        deps = {
            d.get("containerName"): d.get("condition")
            for d in as_list(server.get("dependsOn"))
            if isinstance(d, dict)
        }
        for c in others:
            name, condition = c.get("name"), deps.get(c.get("name"))
            problems = []
            if c.get("essential", True) is not False:
                problems.append(f"{c.get('name')!r} is essential")
            if deps.get(c.get("name")) != p["condition"]:
                problems.append(f"the server waits for {name!r} on {condition!r}, not SUCCESS")
            v.judge(
                f.task or f.service,
                problems,
                [],
                f"{c.get('name')!r} non-essential; the server waits for SUCCESS",
            )

    judge_servers(v, g, judge, "the init containers")
    return v.done("no FDK server in this root")

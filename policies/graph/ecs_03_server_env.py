"""FDK-ECS-03: the server container gets every variable of the seed's server table that
applies (DATABASE__*, STORAGE__*, AUTH__*, and the OTLP endpoint when monitoring is on)."""

from ._lib import Verdicts, env_names, judge_servers, params

CONTROL = "FDK-ECS-03"


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    monitoring = g.var("monitoring_enabled") is True

    def judge(f):
        env, sec = env_names(f.container)
        want = list(p["required_variables"]) + ([p["monitoring_variable"]] if monitoring else [])
        missing = [n for n in want if n not in env | sec]
        problems = [f"container {f.container_name!r} misses {missing}"] if missing else []
        v.judge(f.task or f.service, problems, [], f"the server gets the {len(want)} variables")

    judge_servers(v, g, judge, "the server's variables")
    return v.done("no FDK server in this root (no load-balanced container with its variables)")

from fdk_guard.catalogue import params
from fdk_guard.live.checks import Verdict, bad, check, judge, ok
from fdk_guard.live.checks._common import (
    covers_port,
    internet_sources,
    server_databases,
    server_task_groups,
    source_groups,
)

CONTROL = "FDK-NET-06"


def _ingress_from(group: dict | None, port: int, sources: set[str]) -> bool:
    return bool(group) and any(
        covers_port(p, port) and source_groups(p) & sources for p in group.get("IpPermissions", [])
    )


@check(CONTROL, "no open ingress but the ALB's 80/443")
def security_groups_no_open_ingress(snap):
    web_ports = [(port, port) for port in params(CONTROL)["alb_public_ports"]]
    alb_groups = {g for lb in snap.load_balancers for g in lb.get("SecurityGroups", [])}
    for gid, group in sorted(snap.security_groups.items()):
        wrong, unread = [], []
        for perm in group.get("IpPermissions", []):
            web = (perm.get("FromPort"), perm.get("ToPort")) in web_ports
            if gid in alb_groups and web and perm.get("IpProtocol") == "tcp":
                continue  # the ALB's own 80/443 may be open to anyone
            world, lists = internet_sources(perm, snap)
            ports = f"{perm.get('IpProtocol')}:{perm.get('FromPort')}-{perm.get('ToPort')}"
            if world:
                wrong.append(f"{ports} from {', '.join(world)}")
            unread += [f"{ports} from prefix list {pl}" for pl in lists]
        if unread and not wrong:
            yield Verdict("deferred", gid, f"cannot read the entries of {unread}")
            continue
        yield judge(
            not wrong,
            gid,
            "no ingress from the internet" if gid not in alb_groups else "open only on 80/443",
            f"open to the internet on {wrong}",
        )


@check(CONTROL, "security groups chain ALB -> tasks:8080 -> RDS:5432")
def security_groups_chain(snap):
    server_port, db_port = params(CONTROL)["server_port"], params(CONTROL)["database_port"]
    alb_groups = {g for lb in snap.load_balancers for g in lb.get("SecurityGroups", [])}
    every_task_group = {
        g
        for svc in snap.ecs_services
        for g in svc.get("networkConfiguration", {})
        .get("awsvpcConfiguration", {})
        .get("securityGroups", [])
    }
    # the database must accept the FDK server's tasks, not another service's
    task_groups = server_task_groups(snap) or every_task_group
    theirs = server_databases(snap)
    for gid in sorted(every_task_group):
        yield judge(
            _ingress_from(snap.security_groups.get(gid), server_port, alb_groups),
            gid,
            f"tasks accept {server_port} from the ALB's group",
            f"tasks' group has no {server_port} ingress from the ALB's group {sorted(alb_groups)}",
        )
    for db in snap.db_instances:
        if theirs and db["DBInstanceArn"] not in theirs:
            yield Verdict("not_applicable", db["DBInstanceArn"], "not the FDK server's database")
            continue
        groups = [g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups", [])]
        if any(_ingress_from(snap.security_groups.get(g), db_port, task_groups) for g in groups):
            yield ok(db["DBInstanceArn"], f"database accepts {db_port} from the tasks' group")
        else:
            yield bad(
                db["DBInstanceArn"],
                f"no {db_port} ingress from the tasks' group {sorted(task_groups)}",
            )

from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import service_subnets


@check("FDK-NET-04", "ECS tasks run in private subnets without a public IP")
def ecs_tasks_private_no_public_ip(snap):
    for svc in snap.ecs_services:
        arn = svc["serviceArn"]
        vpc_conf = svc.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
        public = [s for s in service_subnets(svc) if snap.is_public_subnet(s)]
        if vpc_conf.get("assignPublicIp") == "ENABLED":
            yield bad(arn, "assignPublicIp is ENABLED")
        elif public:
            yield bad(arn, f"tasks placed in public subnet(s) {public}")
        elif not service_subnets(svc):
            yield bad(arn, "no awsvpc subnets configured")
        else:
            yield ok(arn, "tasks in private subnets, no public IP")

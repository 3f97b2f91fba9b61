from fdk_guard.live.checks import bad, check, ok


@check("FDK-NET-05", "RDS is not publicly accessible and its subnet group is all private")
def rds_private(snap):
    for db in snap.db_instances:
        arn = db["DBInstanceArn"]
        subnets = [s["SubnetIdentifier"] for s in db.get("DBSubnetGroup", {}).get("Subnets", [])]
        public = [s for s in subnets if s not in snap.subnets or snap.is_public_subnet(s)]
        if db.get("PubliclyAccessible"):
            yield bad(arn, "PubliclyAccessible is true")
        elif public:
            yield bad(arn, f"subnet group holds public or unknown subnet(s) {public}")
        else:
            yield ok(arn, f"not public; {len(subnets)} private subnets")

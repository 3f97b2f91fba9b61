from fdk_guard.live.checks import bad, check, ok


@check("FDK-NET-02", "private subnets route 0.0.0.0/0 to a NAT gateway in a public subnet")
def private_subnets_egress_through_nat(snap):
    nats = {n["NatGatewayId"]: n for n in snap.nat_gateways}
    for subnet_id in sorted(snap.subnets):
        if snap.is_public_subnet(subnet_id):
            continue
        table = snap.route_table_of(subnet_id) or {}
        default = [
            r for r in table.get("Routes", []) if r.get("DestinationCidrBlock") == "0.0.0.0/0"
        ]
        nat_id = default[0].get("NatGatewayId") if default else None
        if not nat_id:
            yield bad(
                subnet_id,
                f"private subnet's default route is {default or 'missing'}, not a NAT gateway",
            )
        elif nat_id not in nats:
            yield bad(
                subnet_id, f"default route to {nat_id}, which is not an available NAT gateway"
            )
        elif not snap.is_public_subnet(nats[nat_id]["SubnetId"]):
            yield bad(
                subnet_id, f"NAT gateway {nat_id} sits in private subnet {nats[nat_id]['SubnetId']}"
            )
        else:
            yield ok(
                subnet_id, f"egress through {nat_id} in public subnet {nats[nat_id]['SubnetId']}"
            )

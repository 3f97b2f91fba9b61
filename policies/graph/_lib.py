"""Shared helpers of the plan-graph checks: verdict building and the network model."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from fdk_guard.findings import Finding
from fdk_guard.plangraph import PlanGraph, Resource, is_unknown

LB_TYPES = ("aws_lb", "aws_alb")
LISTENER_TYPES = ("aws_lb_listener", "aws_alb_listener")
TG_TYPES = ("aws_lb_target_group", "aws_alb_target_group")
WORLD = ("0.0.0.0/0", "::/0")


class Verdicts:
    """Collects one control's findings (engine "graph")."""

    def __init__(self, control: str):
        self.control = control
        self.rows: list[Finding] = []

    def _add(self, status: str, resource: Any, message: str) -> None:
        name = resource.address if isinstance(resource, Resource) else str(resource)
        self.rows.append(Finding(self.control, status, "graph", name, message))

    def ok(self, resource: Any, message: str) -> None:
        self._add("pass", resource, message)

    def fail(self, resource: Any, message: str) -> None:
        self._add("fail", resource, message)

    def defer(self, resource: Any, message: str) -> None:
        self._add("deferred", resource, message)

    def na(self, resource: Any, message: str) -> None:
        self._add("not_applicable", resource, message)

    def judge(self, resource: Any, problems: list[str], unknowns: list[str], good: str) -> None:
        """fail if any problem, else deferred if anything unknown, else pass."""
        if problems:
            self.fail(resource, "; ".join(problems))
        elif unknowns:
            self.defer(resource, "unknown until apply: " + "; ".join(unknowns))
        else:
            self.ok(resource, good)

    def done(self, empty_message: str | None = None) -> list[Finding]:
        if not self.rows and empty_message:
            self.fail("(root)", empty_message)
        return self.rows


def show(value: Any) -> str:
    return "(known after apply)" if is_unknown(value) else repr(value)


def first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


# -- network model --------------------------------------------------------------------


@dataclass
class Network:
    """Which subnets are public (a route to an internet gateway) and where NATs sit."""

    graph: PlanGraph
    subnet_tables: dict[str, set[str]] = field(default_factory=dict)  # subnet -> route tables
    igw_tables: set[str] = field(default_factory=set)
    nat_default_tables: dict[str, set[str]] = field(default_factory=dict)  # table -> NAT gws
    unknown_tables: set[str] = field(default_factory=set)  # routes we cannot follow

    @classmethod
    def build(cls, g: PlanGraph) -> Network:
        net = cls(g)
        for assoc in g.of_type("aws_route_table_association"):
            subnets = g.refs(assoc, "subnet_id")
            tables = g.refs(assoc, "route_table_id")
            for s in subnets or []:
                net.subnet_tables.setdefault(s, set()).update(tables or {"?"})
        for table in g.of_type("aws_route_table"):
            for i, route in enumerate(table.block("route")):
                net._route(table.address, route, table, ("route",), i)
            inline = table.expression("route") is not None
            if inline and table.has_unknown("route") and not table.block("route"):
                net.unknown_tables.add(table.address)  # inline routes the plan cannot show
        for route in g.of_type("aws_route"):
            for t in g.refs(route, "route_table_id") or []:
                net._route(t, route.values, route, (), None)
        return net

    def _route(self, table: str, route: dict, res: Resource, path: tuple, i: int | None) -> None:
        g = self.graph
        dest = route.get("cidr_block") or route.get("destination_cidr_block")
        dest6 = route.get("ipv6_cidr_block") or route.get("destination_ipv6_cidr_block")
        if i is None:
            gw, nat = res.get("gateway_id"), res.get("nat_gateway_id")
            gw_refs = g.ref_resources(res, "gateway_id") or []
            nat_refs = g.ref_resources(res, "nat_gateway_id") or []
        else:
            # inline routes share one expression: pick its references by the unknown slot
            gw, nat = res.get(*path, i, "gateway_id"), res.get(*path, i, "nat_gateway_id")
            refs = g.ref_resources(res, *path) or []
            gw_refs = (
                [r for r in refs if r.type == "aws_internet_gateway"] if is_unknown(gw) else []
            )
            nat_refs = [r for r in refs if r.type == "aws_nat_gateway"] if is_unknown(nat) else []
        to_igw = (isinstance(gw, str) and gw.startswith("igw-")) or any(
            r.type == "aws_internet_gateway" for r in gw_refs
        )
        if to_igw:
            self.igw_tables.add(table)
        default = dest == "0.0.0.0/0" or dest6 == "::/0"
        if default and (nat_refs or (isinstance(nat, str) and nat.startswith("nat-"))):
            self.nat_default_tables.setdefault(table, set()).update(r.address for r in nat_refs)

    def tables_of(self, subnet: str) -> set[str]:
        return self.subnet_tables.get(subnet, set())

    def is_public(self, subnet: str) -> bool | None:
        """True/False, or None when its route table cannot be followed."""
        res = self.graph.resources.get(subnet)
        if res is not None and res.get("map_public_ip_on_launch") is True:
            return True
        tables = self.tables_of(subnet)
        if "?" in tables or tables & self.unknown_tables:
            return None
        return bool(tables & self.igw_tables)

    def az(self, subnet: str) -> Any:
        res = self.graph.resources.get(subnet)
        if res is None:
            return None
        return res.get("availability_zone")


def subnets_of(g: PlanGraph, res: Resource, *path) -> list[Resource] | None:
    refs = g.ref_resources(res, *path)
    if refs is None:
        return None
    return [r for r in refs if r.type == "aws_subnet"]


def in_cidr(cidr: Any) -> bool:
    """True when `cidr` is open to the whole internet."""
    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


def ecs_task_definitions(g: PlanGraph) -> list[Resource]:
    return g.of_type("aws_ecs_task_definition")


def container_definitions(td: Resource) -> list[dict] | None:
    """The task definition's containers, or None when unknown until apply."""
    import json

    raw = td.get("container_definitions")
    if not isinstance(raw, str):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, list) else None


def server_container(containers: list[dict]) -> dict | None:
    """The FDK server: the container that maps port 8080, else the essential one."""
    for c in containers:
        if any(p.get("containerPort") == 8080 for p in c.get("portMappings") or []):
            return c
    essential = [c for c in containers if c.get("essential", True)]
    return essential[0] if len(essential) == 1 else None

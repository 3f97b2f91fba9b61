"""What the plan-graph checks share: verdicts, the control parameters, and the models of
the deployment they judge (network tiers, security groups, the FDK server, the WASM site).

Every model is built once per plan graph (`shared`), from values the graph evaluates
(`g.value`, `g.targets`): references through variables, locals, module outputs, count and
for_each instances and dynamic blocks are followed; what cannot be followed is `None` or
an `Unknown`, and the checks say `deferred` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fdk_guard import catalogue
from fdk_guard.findings import Finding
from fdk_guard.internet import is_internet
from fdk_guard.plangraph import PlanGraph, Resource, Unknown, has_unknown, is_unknown

LB_TYPES = ("aws_lb", "aws_alb")
LISTENER_TYPES = ("aws_lb_listener", "aws_alb_listener")
RULE_TYPES = ("aws_lb_listener_rule", "aws_alb_listener_rule")
TG_TYPES = ("aws_lb_target_group", "aws_alb_target_group")
DB_TYPES = ("aws_db_instance", "aws_rds_cluster")
TABLE_TYPES = ("aws_route_table", "aws_default_route_table")
SG_TYPES = ("aws_security_group", "aws_default_security_group")


def params(control: str) -> dict:
    """The control's parameters: one definition, in the catalogue, for every engine."""
    return catalogue.params(control)


def shared(g: PlanGraph, key: str, build: Callable[[PlanGraph], Any]) -> Any:
    """A model built once per plan graph and shared by every check."""
    cache = g.__dict__.setdefault("_shared", {})
    if key not in cache:
        cache[key] = build(g)
    return cache[key]


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
        """fail if any problem, else deferred if anything cannot be seen, else pass."""
        if problems:
            self.fail(resource, "; ".join(dict.fromkeys(problems)))
        elif unknowns:
            self.defer(
                resource, "cannot be seen in the plan: " + "; ".join(dict.fromkeys(unknowns))
            )
        else:
            self.ok(resource, good)

    def judge_subject(
        self,
        resource: Resource,
        problems: list[str],
        unknowns: list[str],
        good: str,
        *,
        theirs: set[str],
        several: bool,
        doubt: str,
    ) -> None:
        """judge() a resource of a kind the root may hold several of, of which only the FDK
        server's is the control's subject: one not known to be the server's has its
        problems deferred, saying why that cannot be told (`doubt`)."""
        if problems and several and resource.address not in theirs:
            self.defer(resource, "; ".join(dict.fromkeys(problems)) + f"; {doubt}")
        else:
            self.judge(resource, problems, unknowns, good)

    def done(self, absent: str) -> list[Finding]:
        """The rows; `not_applicable` saying what is absent when nothing was judged."""
        if not self.rows:
            self.na("(root)", absent)
        return self.rows


def show(value: Any) -> str:
    if isinstance(value, Unknown):
        if value.after_apply:
            return f"(known after apply: {value.ref[0]})"
        return f"({value.reason})"
    return repr(value)


def why(value: Any) -> str:
    """Why a value cannot be judged, for a `deferred` message."""
    if isinstance(value, Unknown):
        if value.after_apply:
            return f"it is {value.ref[0]}.{'.'.join(map(str, value.ref[1]))}, known after apply"
        return value.reason
    return "it cannot be followed"


def first_block(g: PlanGraph, res: Resource, name: str) -> Any:
    """The first `name` block of `res` as a dict ({} when absent), or an Unknown."""
    value = g.value(res, name)
    if is_unknown(value):
        return value
    blocks = [b for b in as_list(value) if isinstance(b, dict) or is_unknown(b)]
    return blocks[0] if blocks else {}


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def domains(g: PlanGraph) -> set[str]:
    """The application's domain names: the dns_name variable, else the root's zones."""
    out: set[str] = set()
    var = g.var("dns_name")
    if isinstance(var, str) and var:
        out.add(var.rstrip(".").lower())
    if not out:
        for zone in g.of_type("aws_route53_zone"):
            name = zone.values.get("name")
            if isinstance(name, str) and name:
                out.add(name.rstrip(".").lower())
    return out


def fqdn(name: str, zone: str | None) -> str:
    """The name Route53 serves for a record `name` in `zone`: one the zone's name does not
    end is relative to it (Route53 appends the zone)."""
    name = name.rstrip(".").lower()
    zone = zone.rstrip(".").lower() if zone else None
    if zone and name != zone and not name.endswith("." + zone):
        return f"{name}.{zone}"
    return name


def record_zone(g: PlanGraph, rec: Resource) -> tuple[list[Resource] | None, str | None]:
    """(the zones a record's zone_id names, None if it cannot be followed; the first's name)."""
    zone = g.targets(g.value(rec, "zone_id"), "aws_route53_zone")
    name = zone[0].values.get("name") if zone else None
    return zone, (name.rstrip(".").lower() if isinstance(name, str) else None)


# -- network ---------------------------------------------------------------------------


@dataclass
class Network:
    """Which subnets are public (a route to an internet gateway) and where NATs sit."""

    g: PlanGraph
    subnet_tables: dict[str, set[str]] = field(default_factory=dict)  # subnet -> tables
    unknown_subnets: dict[str, str] = field(default_factory=dict)  # subnet -> why
    any_unknown_association: str | None = None
    igw_tables: set[str] = field(default_factory=set)
    nat_tables: dict[str, set[str]] = field(default_factory=dict)  # table -> NAT gateways
    unknown_tables: dict[str, str] = field(default_factory=dict)  # table -> why
    unknown_route: str | None = None  # a route to a gateway whose table cannot be followed
    main_tables: dict[str, str] = field(default_factory=dict)  # vpc -> its main table

    def tables_of(self, subnet: Resource) -> set[str] | None:
        if subnet.address in self.unknown_subnets:
            return None
        if subnet.address in self.subnet_tables:
            return self.subnet_tables[subnet.address]
        if self.any_unknown_association:
            return None  # an association we could not follow may be this subnet's
        vpc_id = self.g.value(subnet, "vpc_id")
        vpcs = self.g.targets(vpc_id, "aws_vpc")
        if not vpcs:  # the VPC's main table routes this subnet, and it is not in this root
            self.unknown_subnets[subnet.address] = (
                f"no route table association, and its VPC ({show(vpc_id)}) is not managed"
                " by this root: its main route table cannot be seen"
            )
            return None
        if vpcs[0].address in self.main_tables:
            return {self.main_tables[vpcs[0].address]}
        return set()  # the VPC's own main table: local routes only

    def tier(self, subnet: Resource) -> tuple[str | None, str]:
        """("public" | "private" | None, why) for one subnet."""
        tables = self.tables_of(subnet)
        if tables is None:
            reason = self.unknown_subnets.get(subnet.address) or self.any_unknown_association
            return None, f"route table of {subnet.address}: {reason}"
        unknown = [self.unknown_tables[t] for t in tables if t in self.unknown_tables]
        if tables & self.igw_tables:
            return "public", f"{subnet.address} routes to an internet gateway"
        if unknown:
            return None, f"routes of {subnet.address}: {unknown[0]}"
        if self.unknown_route:
            return None, self.unknown_route
        return "private", f"{subnet.address} has no route to an internet gateway"

    def nats_of(self, subnet: Resource) -> set[str]:
        out: set[str] = set()
        for t in self.tables_of(subnet) or set():
            out |= self.nat_tables.get(t, set())
        return out

    def az(self, subnet: Resource) -> Any:
        az = self.g.value(subnet, "availability_zone")
        if az is None or is_unknown(az):
            zone_id = self.g.value(subnet, "availability_zone_id")
            return zone_id if isinstance(zone_id, str) else az
        return az


def _gateway(g: PlanGraph, value: Any, types: tuple[str, ...], prefix: str) -> list | None:
    """Gateways a route targets: resources of `types`, or IDs starting with `prefix`."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value] if value.startswith(prefix) else []
    hits = g.targets(value, *types)
    return hits


def _add_route(net: Network, table: str, route: dict, source: str) -> None:
    g = net.g
    igw = _gateway(g, route.get("gateway_id"), ("aws_internet_gateway",), "igw-")
    nat = _gateway(g, route.get("nat_gateway_id"), ("aws_nat_gateway",), "nat-")
    if igw is None:
        # a gateway we cannot follow: could be an internet gateway
        net.unknown_tables.setdefault(
            table, f"the gateway of a route in {source}: {why(route.get('gateway_id'))}"
        )
    elif igw:
        net.igw_tables.add(table)
    dest = route.get("cidr_block") or route.get("destination_cidr_block")
    dest6 = route.get("ipv6_cidr_block") or route.get("destination_ipv6_cidr_block")
    default = dest == "0.0.0.0/0" or dest6 == "::/0"
    if nat is None and default:
        net.unknown_tables.setdefault(table, f"the NAT gateway of a route in {source}")
    elif nat and default:
        net.nat_tables.setdefault(table, set()).update(
            n.address if isinstance(n, Resource) else n for n in nat
        )


def _build_network(g: PlanGraph) -> Network:
    net = Network(g)
    for assoc in g.of_type("aws_route_table_association"):
        subnet_value = g.value(assoc, "subnet_id")
        if subnet_value is None:
            continue  # a gateway (edge) association
        subnets = g.targets(subnet_value, "aws_subnet")
        tables = g.targets(g.value(assoc, "route_table_id"), *TABLE_TYPES)
        if subnets is None:
            net.any_unknown_association = (
                f"{assoc.address} cannot be followed ({why(subnet_value)})"
            )
            continue
        for s in subnets:
            if tables is None:
                net.unknown_subnets[s.address] = (
                    f"{assoc.address} names a table that cannot be followed"
                )
            else:
                net.subnet_tables.setdefault(s.address, set()).update(t.address for t in tables)
    for main in g.of_type("aws_main_route_table_association"):
        vpcs = g.targets(g.value(main, "vpc_id"), "aws_vpc")
        tables = g.targets(g.value(main, "route_table_id"), *TABLE_TYPES)
        if vpcs and tables:
            net.main_tables[vpcs[0].address] = tables[0].address
    for default in g.of_type("aws_default_route_table"):
        found = g.targets(g.value(default, "default_route_table_id"), "aws_vpc")
        if not found:
            value = g.value(default, "default_route_table_id")
            if isinstance(value, Unknown) and value.ref:
                found = [g.resources[value.ref[0]]] if value.ref[0] in g.resources else []
        for vpc in found or []:
            if vpc.type == "aws_vpc":
                net.main_tables.setdefault(vpc.address, default.address)
    for table in g.of_type(*TABLE_TYPES):
        if not g.configured(table, "route"):
            continue  # routes are aws_route resources; `route` here is only their echo
        routes = g.value(table, "route")
        if is_unknown(routes):
            net.unknown_tables[table.address] = f"the routes of {table.address}: {why(routes)}"
            continue
        for route in as_list(routes):
            if isinstance(route, dict):
                _add_route(net, table.address, route, table.address)
    for route in g.of_type("aws_route"):
        tables = g.targets(g.value(route, "route_table_id"), *TABLE_TYPES)
        values = {
            k: g.value(route, k)
            for k in (
                "gateway_id",
                "nat_gateway_id",
                "destination_cidr_block",
                "destination_ipv6_cidr_block",
            )
        }
        if tables is None:
            if values["gateway_id"] is not None:
                net.unknown_route = (
                    f"{route.address} routes to a gateway from a table that cannot be followed"
                )
            continue
        for t in tables:
            _add_route(net, t.address, values, route.address)
    return net


def network(g: PlanGraph) -> Network:
    return shared(g, "network", _build_network)


def application_load_balancers(g: PlanGraph) -> list[Resource]:
    """The root's application load balancers (a type left unset is the provider's default,
    application)."""
    return [
        lb
        for lb in g.of_type(*LB_TYPES)
        if g.value(lb, "load_balancer_type") in (None, "application")
    ]


def listener_protocol(g: PlanGraph, ls: Resource) -> Any:
    """A listener's protocol; one that does not set it (or sets null), on an application
    load balancer, listens on HTTP (the provider's default there)."""
    protocol = g.value(ls, "protocol")
    unset = protocol is None or (is_unknown(protocol) and not g.configured(ls, "protocol"))
    if not unset:
        return protocol
    lbs = g.targets(g.value(ls, "load_balancer_arn"), *LB_TYPES)
    kinds = {g.value(lb, "load_balancer_type") for lb in lbs or []}
    if lbs and all(k in (None, "application") for k in kinds):
        return "HTTP"
    return protocol


def subnets_of(g: PlanGraph, value: Any) -> list[Resource] | None:
    return g.targets(value, "aws_subnet")


def unfollowed(what: str, value: Any) -> str:
    """`what` cannot be followed, and why: the first unknown part of `value`, else the
    IDs that no resource of this root has."""
    for leaf in flatten(value):
        if isinstance(leaf, Unknown):
            return f"{what} cannot be followed {show(leaf)}"
    return f"{what} cannot be followed (not managed by this root: {show(value)})"


# -- security groups -------------------------------------------------------------------


@dataclass
class Ingress:
    group: str  # the security group the rule opens
    source: str  # the resource that writes the rule
    from_port: Any
    to_port: Any
    protocol: Any
    cidrs: list[Any]  # its CIDRs and those of the managed prefix lists it names
    source_groups: set[str] | None  # None when they cannot be followed
    unseen: str = ""  # a prefix list whose entries this plan does not hold

    def covers(self, port: int) -> bool | None:
        """Does the rule open TCP `port` (every port the chain and SSH use is TCP)?"""
        if is_unknown(self.protocol):
            return None
        if str(self.protocol).lower() in ("-1", "all"):
            return True
        if str(self.protocol).lower() not in ("tcp", "6"):
            return False  # udp, icmp: not the TCP port
        if is_unknown(self.from_port) or is_unknown(self.to_port):
            return None
        if self.from_port is None or self.to_port is None:
            return None
        return int(self.from_port) <= port <= int(self.to_port)

    @property
    def internet(self) -> list[str]:
        """The source ranges that are the internet (fdk_guard.internet)."""
        return [c for c in self.cidrs if is_internet(c)]

    @property
    def from_world(self) -> bool:
        return bool(self.internet)

    @property
    def cidrs_unknown(self) -> bool:
        return any(is_unknown(c) for c in self.cidrs)

    def ports(self) -> str:
        if str(self.protocol) in ("-1", "all"):
            return "all ports"
        if self.from_port == self.to_port:
            return f"port {self.from_port}"
        return f"ports {self.from_port}-{self.to_port}"


def _groups(g: PlanGraph, value: Any) -> set[str] | None:
    if value is None:
        return set()
    hits = g.targets(value, *SG_TYPES)
    return None if hits is None else {h.address for h in hits}


def _prefix_lists(g: PlanGraph, value: Any) -> tuple[list[Any], str]:
    """The CIDRs of the managed prefix lists `value` names, and which of them this plan
    does not hold (an AWS-managed list, or one of another root)."""
    cidrs: list[Any] = []
    unseen = []
    for ref in as_list(value):
        if ref is None or ref == "":
            continue
        lists = g.targets(ref, "aws_ec2_managed_prefix_list")
        if lists is None:
            unseen.append(show(ref) if not isinstance(ref, str) else ref)
            continue
        for pl in lists:  # a list of this root, or one a data source read at plan time
            entries = g.value(pl, "entries" if pl.mode == "data" else "entry")
            if is_unknown(entries):
                cidrs.append(entries)
            for e in as_list(entries) if not is_unknown(entries) else []:
                cidrs.append(e.get("cidr") if isinstance(e, dict) else e)
            for e in g.of_type("aws_ec2_managed_prefix_list_entry") if pl.mode != "data" else []:
                owner = g.targets(g.value(e, "prefix_list_id"), "aws_ec2_managed_prefix_list")
                if owner is None:  # an entry that may be this list's
                    reason = f"the prefix list of {e.address} cannot be followed"
                    cidrs.append(Unknown(reason=reason))
                elif pl in owner:
                    cidrs.append(g.value(e, "cidr"))
    why_not = f"the entries of prefix list {', '.join(unseen)} are not in this plan"
    return cidrs, why_not if unseen else ""


def _build_ingress(g: PlanGraph) -> list[Ingress]:
    rules: list[Ingress] = []
    for sg in g.of_type(*SG_TYPES):  # a VPC's default group managed here has its rules inline
        if not g.configured(sg, "ingress"):
            continue  # rules are separate resources; `ingress` here is only their echo
        inline = g.value(sg, "ingress")
        for rule in as_list(inline) if not is_unknown(inline) else []:
            if not isinstance(rule, dict):
                continue
            listed, unseen = _prefix_lists(g, rule.get("prefix_list_ids"))
            cidrs = as_list(rule.get("cidr_blocks")) + as_list(rule.get("ipv6_cidr_blocks"))
            groups = _groups(g, rule.get("security_groups"))
            if rule.get("self") is True:
                groups = (groups or set()) | {sg.address}
            rules.append(
                Ingress(
                    sg.address,
                    sg.address,
                    rule.get("from_port"),
                    rule.get("to_port"),
                    rule.get("protocol"),
                    cidrs + listed,
                    groups,
                    unseen,
                )
            )
        if is_unknown(inline):
            rules.append(Ingress(sg.address, sg.address, inline, inline, inline, [inline], None))
    for rule in g.of_type("aws_security_group_rule"):
        if g.value(rule, "type") != "ingress":
            continue
        cidrs = as_list(g.value(rule, "cidr_blocks")) + as_list(g.value(rule, "ipv6_cidr_blocks"))
        listed, unseen = _prefix_lists(g, g.value(rule, "prefix_list_ids"))
        source = _groups(g, g.value(rule, "source_security_group_id"))
        targets = _groups(g, g.value(rule, "security_group_id"))
        for target in sorted(targets) if targets else ["?"]:
            groups = source
            if g.value(rule, "self") is True and groups is not None:
                groups = groups | {target}
            rules.append(
                Ingress(
                    target,
                    rule.address,
                    g.value(rule, "from_port"),
                    g.value(rule, "to_port"),
                    g.value(rule, "protocol"),
                    cidrs + listed,
                    groups,
                    unseen,
                )
            )
    for rule in g.of_type("aws_vpc_security_group_ingress_rule"):
        cidrs = [
            c for c in (g.value(rule, "cidr_ipv4"), g.value(rule, "cidr_ipv6")) if c is not None
        ]
        listed, unseen = _prefix_lists(g, g.value(rule, "prefix_list_id"))
        source = _groups(g, g.value(rule, "referenced_security_group_id"))
        targets = _groups(g, g.value(rule, "security_group_id"))
        for target in sorted(targets) if targets else ["?"]:
            rules.append(
                Ingress(
                    target,
                    rule.address,
                    g.value(rule, "from_port"),
                    g.value(rule, "to_port"),
                    g.value(rule, "ip_protocol"),
                    cidrs + listed,
                    source,
                    unseen,
                )
            )
    return rules


def ingress_rules(g: PlanGraph) -> list[Ingress]:
    return shared(g, "ingress", _build_ingress)


# -- ECS: load-balanced services and the FDK server --------------------------------------


@dataclass
class Fronted:
    """An ECS service a load balancer sends traffic to, and the container it targets."""

    service: Resource
    block: dict  # the service's load_balancer block
    task: Resource | None  # its task definition (None: cannot be followed)
    task_why: str
    containers: list[dict] | None  # the task's containers (None: cannot be seen)
    containers_why: str
    container_name: Any
    container_port: Any
    target_groups: list[Resource] | None

    @property
    def container(self) -> dict | None:
        if self.containers is None or not isinstance(self.container_name, str):
            return None
        for c in self.containers:
            if isinstance(c, dict) and c.get("name") == self.container_name:
                return c
        return None


def task_definition_of(g: PlanGraph, svc: Resource) -> tuple[Resource | None, str]:
    value = g.value(svc, "task_definition")
    hits = g.targets(value, "aws_ecs_task_definition")
    if hits:
        return hits[0], ""
    if isinstance(value, Unknown):
        for part in value.parts or ():
            if isinstance(part, Unknown) and part.ref and part.ref[0] in g.resources:
                res = g.resources[part.ref[0]]
                if res.type == "aws_ecs_task_definition":
                    return res, ""
        head = value.parts[0] if value.parts else None
        if isinstance(head, str) and head.endswith(":"):  # "<family>:<revision>"
            value = head[:-1]
    if isinstance(value, str):
        family = value.split("/")[-1].split(":")[0]
        for td in g.of_type("aws_ecs_task_definition"):
            if td.values.get("family") == family:
                return td, ""
        return None, f"task definition {value!r} is not managed by this root"
    return None, f"its task definition cannot be followed ({why(value)})"


def containers_of(g: PlanGraph, td: Resource) -> tuple[list[dict] | None, str]:
    doc = g.document(td, "container_definitions")
    if isinstance(doc, list):
        return [c for c in doc if isinstance(c, dict)], ""
    return None, f"the containers of {td.address}: {why(doc)}"


def _build_fronted(g: PlanGraph) -> list[Fronted]:
    out: list[Fronted] = []
    for svc in g.of_type("aws_ecs_service"):
        blocks = g.value(svc, "load_balancer")
        if is_unknown(blocks):
            continue
        td, td_why = task_definition_of(g, svc)
        containers, c_why = containers_of(g, td) if td else (None, td_why)
        for block in as_list(blocks):
            if not isinstance(block, dict):
                continue
            tgs = g.targets(block.get("target_group_arn"), *TG_TYPES)
            out.append(
                Fronted(
                    svc,
                    block,
                    td,
                    td_why,
                    containers,
                    c_why,
                    block.get("container_name"),
                    block.get("container_port"),
                    tgs,
                )
            )
    return out


def fronted(g: PlanGraph) -> list[Fronted]:
    return shared(g, "fronted", _build_fronted)


def server_variables() -> set[str]:
    """The FDK server's own environment variables (the seed's server table)."""
    p = params("FDK-ECS-03")
    return set(p["required_variables"]) | {p["monitoring_variable"]}


def env_names(container: dict) -> tuple[set[str], set[str]]:
    """(environment names, secrets names) of a container."""
    env = {e.get("name") for e in as_list(container.get("environment")) if isinstance(e, dict)}
    sec = {s.get("name") for s in as_list(container.get("secrets")) if isinstance(s, dict)}
    return {n for n in env if isinstance(n, str)}, {n for n in sec if isinstance(n, str)}


def is_fdk_server(container: dict | None) -> bool:
    """The load-balanced container is the FDK server when it gets the server's variables."""
    if not container:
        return False
    env, sec = env_names(container)
    prefixes = ("DATABASE__", "STORAGE__", "AUTH__", "OBSERVABILITY__")
    return bool((env | sec) & server_variables()) or any(n.startswith(prefixes) for n in env | sec)


@dataclass
class Servers:
    """The FDK server containers, and the load-balanced services that may hold one."""

    found: list[Fronted]
    undecided: list[Fronted]  # containers that cannot be seen: may be the server

    @property
    def absent(self) -> bool:
        return not self.found and not self.undecided


def servers(g: PlanGraph) -> Servers:
    def build(g: PlanGraph) -> Servers:
        found, undecided = [], []
        for f in fronted(g):
            if f.containers is None or not isinstance(f.container_name, str):
                undecided.append(f)
            elif is_fdk_server(f.container):
                found.append(f)
        return Servers(found, undecided)

    return shared(g, "servers", build)


def judge_servers(v: Verdicts, g: PlanGraph, judge: Callable[[Fronted], None], what: str) -> None:
    """Run `judge` on every FDK server; defer the services whose containers are unseen."""
    s = servers(g)
    for f in s.undecided:
        v.defer(f.service, f"{what}: {f.containers_why or 'its container name is unknown'}")
    for f in s.found:
        judge(f)


@dataclass
class ServerFronts:
    """The target groups the FDK server's services register in, and the load balancers
    whose listeners forward to them."""

    found: set[str]  # the load balancers' addresses
    followed: bool  # every server's target groups and every listener could be followed
    why: str  # why a load balancer cannot be told to be the server's or not
    groups: set[str]  # the target groups' addresses
    groups_why: str  # why a target group cannot be told to be the server's or not, if so
    forwarding: dict[str, set[str]]  # target group -> the load balancers forwarding to it

    def load_balancers_of(self, groups: list[Resource] | None) -> set[str] | None:
        """The load balancers forwarding to `groups`; None when that cannot be told."""
        if groups is None or not self.followed:
            return None
        found = set().union(*(self.forwarding.get(t.address, set()) for t in groups))
        return found or None

    def excludes(self, lb: Resource) -> bool:
        """`lb` surely does not front the FDK server: the server's load balancers are
        known, every link was followed, and `lb` is not among them."""
        return self.followed and bool(self.found) and lb.address not in self.found

    def excludes_group(self, tg: Resource) -> bool:
        """`tg` is surely not the FDK server's: every server's target groups are known."""
        return not self.groups_why and tg.address not in self.groups


def forwarded_groups(action: dict) -> list:
    """The target group ARNs a listener's or a rule's action forwards to."""
    arns = [action.get("target_group_arn")]
    for fwd in as_list(action.get("forward")):
        if isinstance(fwd, dict):
            groups = as_list(fwd.get("target_group"))
            arns += [t.get("arn") for t in groups if isinstance(t, dict)]
    return [a for a in arns if a is not None]


def _build_server_fronts(g: PlanGraph) -> ServerFronts:
    s = servers(g)
    groups: set[str] = set()
    lost = [f"the containers of {f.service.address}" for f in s.undecided]
    for f in s.found:
        if f.target_groups is None:
            lost.append(f"the target group of {f.service.address}")
        else:
            groups |= {t.address for t in f.target_groups}
    groups_why = "; ".join(lost[:3]) or ("" if groups else "no FDK server in this root")
    actions: dict[str, list] = {}
    for rule in g.of_type(*RULE_TYPES):
        hits = g.targets(g.value(rule, "listener_arn"), *LISTENER_TYPES)
        if hits is None:
            lost.append(f"the listener of {rule.address}")
        for ls in hits or []:
            actions.setdefault(ls.address, []).append(g.value(rule, "action"))
    found: set[str] = set()
    forwarding: dict[str, set[str]] = {}
    for ls in g.of_type(*LISTENER_TYPES):
        blocks = [g.value(ls, "default_action"), *actions.get(ls.address, [])]
        if any(is_unknown(b) for b in blocks):
            lost.append(f"the actions of {ls.address}")
            continue
        arns = [
            a
            for b in blocks
            for x in as_list(b)
            if isinstance(x, dict)
            for a in forwarded_groups(x)
        ]
        tgs = g.targets(arns, *TG_TYPES)
        lbs = g.targets(g.value(ls, "load_balancer_arn"), *LB_TYPES)
        if tgs is None or lbs is None:
            lost.append(f"what {ls.address} joins")
            continue
        for t in tgs:
            forwarding.setdefault(t.address, set()).update(lb.address for lb in lbs)
        if groups & {t.address for t in tgs}:
            found |= {lb.address for lb in lbs}
    why = "; ".join(lost[:3]) or (
        "no listener of this root forwards to it" if s.found else "no FDK server in this root"
    )
    return ServerFronts(found, not lost, why, groups, groups_why, forwarding)


def server_fronts(g: PlanGraph) -> ServerFronts:
    return shared(g, "server_fronts", _build_server_fronts)


@dataclass
class ServerDatabases:
    """The databases the FDK servers' DATABASE__HOST names."""

    found: set[str]  # their addresses
    why: str  # why a database cannot be told to be the server's or not ("" when it can)
    users: dict[str, set[str]]  # database -> the FDK server services naming it

    def excludes(self, db: Resource) -> bool:
        """`db` is surely not the FDK server's: every server's database is known."""
        return not self.why and db.address not in self.found


def env_value(container: dict, name: str) -> Any:
    """The value of the environment variable `name` of a container (None: not set)."""
    for e in as_list(container.get("environment")):
        if isinstance(e, dict) and e.get("name") == name:
            return e.get("value")
    return None


def _build_server_databases(g: PlanGraph) -> ServerDatabases:
    s = servers(g)
    found: set[str] = set()
    users: dict[str, set[str]] = {}
    lost = [f"the containers of {f.service.address}" for f in s.undecided]
    for f in s.found:
        host = env_value(f.container or {}, "DATABASE__HOST")
        hits = g.targets(host, *DB_TYPES) if host is not None else None
        if not hits:
            lost.append(f"the database {f.service.address} names (DATABASE__HOST = {show(host)})")
        for h in hits or []:
            found.add(h.address)
            users.setdefault(h.address, set()).add(f.service.address)
    if not s.found and not s.undecided:
        lost.append("no FDK server in this root")
    return ServerDatabases(found, "; ".join(lost[:3]), users)


def server_databases(g: PlanGraph) -> ServerDatabases:
    return shared(g, "server_databases", _build_server_databases)


# -- the WASM site: buckets behind CloudFront -------------------------------------------


S3_DOMAIN = re.compile(r"^(?P<bucket>[a-z0-9.-]+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$")


def origin_buckets(g: PlanGraph, dist: Resource) -> tuple[list[tuple[dict, Resource]], list[str]]:
    """((origin, bucket) for each S3 origin of `dist`, reasons for origins unseen)."""
    out, unknown = [], []
    origins = g.value(dist, "origin")
    if is_unknown(origins):
        return [], [f"the origins of {dist.address}: {why(origins)}"]
    for origin in as_list(origins):
        if not isinstance(origin, dict):
            continue
        domain = origin.get("domain_name")
        hits = g.targets(domain, "aws_s3_bucket")
        site = g.targets(domain, "aws_s3_bucket_website_configuration")
        if site:  # the bucket's website endpoint: still that bucket, served publicly
            hits = g.targets(g.value(site[0], "bucket"), "aws_s3_bucket")
            if not hits:
                unknown.append(
                    f"origin {origin.get('origin_id')!r}: the bucket of {site[0].address}"
                )
                continue
        if hits:
            out.append((origin, hits[0]))
        elif isinstance(domain, str):
            m = S3_DOMAIN.match(domain)
            if m:
                named = [
                    b for b in g.of_type("aws_s3_bucket") if b.values.get("bucket") == m["bucket"]
                ]
                if named:
                    out.append((origin, named[0]))
                else:
                    unknown.append(
                        f"origin {origin.get('origin_id')!r}: bucket {m['bucket']!r} is not "
                        "managed by this root"
                    )
        elif is_unknown(domain):
            if domain.ref is None or domain.ref[0] not in g.resources:
                unknown.append(f"origin {origin.get('origin_id')!r}: {why(domain)}")
    return out, unknown


def wasm_buckets(g: PlanGraph) -> dict[str, Resource]:
    def build(g: PlanGraph) -> dict[str, Resource]:
        found: dict[str, Resource] = {}
        for dist in g.of_type("aws_cloudfront_distribution"):
            for _, bucket in origin_buckets(g, dist)[0]:
                found[bucket.address] = bucket
        return found

    return shared(g, "wasm", build)


def wasm_sites(g: PlanGraph) -> tuple[dict[str, Resource], dict[str, Resource]]:
    """({WASM bucket address: bucket}, {distribution address: distribution}).

    The WASM buckets are the S3 origins of CloudFront; without CloudFront, the buckets a
    CORS configuration serves the application from."""

    def build(g: PlanGraph):
        buckets = dict(wasm_buckets(g))
        dists = {
            d.address: d
            for d in g.of_type("aws_cloudfront_distribution")
            if any(b.address in buckets for _, b in origin_buckets(g, d)[0])
        }
        if not buckets:
            configs, _ = for_bucket(g, "aws_s3_bucket_cors_configuration")
            buckets = {a: g.resources[a] for a in configs}
            buckets.update(
                {
                    b.address: b
                    for b in g.of_type("aws_s3_bucket")
                    if as_list(g.value(b, "cors_rule"))
                }
            )
        return buckets, dists

    return shared(g, "wasm_sites", build)


def for_bucket(g: PlanGraph, type_: str) -> tuple[dict[str, list[Resource]], list[Resource]]:
    """{bucket address: [resources of type_ configuring it]}, and those not followed."""

    def build(g: PlanGraph):
        by_bucket: dict[str, list[Resource]] = {}
        lost: list[Resource] = []
        for res in g.of_type(type_):
            hits = g.targets(g.value(res, "bucket"), "aws_s3_bucket")
            if hits is None:
                lost.append(res)
                continue
            for b in hits:
                by_bucket.setdefault(b.address, []).append(res)
        return by_bucket, lost

    return shared(g, f"bucket:{type_}", build)


# -- IAM -----------------------------------------------------------------------------


def role_policies(g: PlanGraph, role: Resource) -> tuple[list[tuple[Resource, str]], list[str]]:
    """([(policy resource, attribute holding its document)], reasons for those unseen)."""

    def build(g: PlanGraph):
        by_role: dict[str, list] = {}
        lost: list[str] = []
        for rp in g.of_type("aws_iam_role_policy"):
            hits = g.targets(g.value(rp, "role"), "aws_iam_role")
            if hits is None:
                lost.append(f"the role of {rp.address}")
            for r in hits or []:
                by_role.setdefault(r.address, []).append((rp, "policy"))
        for att in g.of_type("aws_iam_role_policy_attachment", "aws_iam_policy_attachment"):
            roles = g.targets(
                g.value(att, "role" if att.type.startswith("aws_iam_role") else "roles"),
                "aws_iam_role",
            )
            if roles is None:
                lost.append(f"the role of {att.address}")
                continue
            policy = g.value(att, "policy_arn")
            pols = g.targets(policy, "aws_iam_policy")
            for r in roles:
                if pols:
                    by_role.setdefault(r.address, []).append((pols[0], "policy"))
                else:
                    by_role.setdefault(r.address, []).append((att, "policy_arn"))
        return by_role, lost

    by_role, lost = shared(g, "role_policies", build)
    out = list(by_role.get(role.address, []))
    lost = list(lost)
    inline = g.value(role, "inline_policy")
    for i, item in enumerate(as_list(inline) if not is_unknown(inline) else []):
        if isinstance(item, dict) and item.get("policy") is not None:
            out.append((role, f"inline_policy.{i}"))
    # the role's own managed_policy_arns attach policies as attachment resources do
    managed = g.value(role, "managed_policy_arns")
    if is_unknown(managed) and g.configured(role, "managed_policy_arns"):
        lost.append(f"the managed_policy_arns of {role.address}: {why(managed)}")
    for i, arn in enumerate(as_list(managed) if not is_unknown(managed) else []):
        pols = g.targets(arn, "aws_iam_policy")
        out.append((pols[0], "policy") if pols else (role, f"managed_policy_arns.{i}"))
    return out, lost


def attached_arn(g: PlanGraph, res: Resource, attr: str) -> Any:
    """The ARN of a managed policy this root does not write (an attachment's policy_arn, an
    entry of a role's managed_policy_arns); None for a document the root writes."""
    if attr == "policy_arn":
        return g.value(res, "policy_arn")
    if attr.startswith("managed_policy_arns."):
        return g.value(res, "managed_policy_arns", int(attr.split(".")[1]))
    return None


def user_policies(g: PlanGraph, user: Resource) -> tuple[list[tuple[Resource, str]], list[str]]:
    def build(g: PlanGraph):
        by_user: dict[str, list] = {}
        lost: list[str] = []
        for up in g.of_type("aws_iam_user_policy"):
            hits = g.targets(g.value(up, "user"), "aws_iam_user")
            if hits is None:
                lost.append(f"the user of {up.address}")
            for u in hits or []:
                by_user.setdefault(u.address, []).append((up, "policy"))
        for att in g.of_type("aws_iam_user_policy_attachment", "aws_iam_policy_attachment"):
            attr = "user" if att.type == "aws_iam_user_policy_attachment" else "users"
            users = g.targets(g.value(att, attr), "aws_iam_user")
            if users is None:
                lost.append(f"the user of {att.address}")
                continue
            pols = g.targets(g.value(att, "policy_arn"), "aws_iam_policy")
            for u in users:
                by_user.setdefault(u.address, []).append(
                    (pols[0], "policy") if pols else (att, "policy_arn")
                )
        for member in g.of_type("aws_iam_user_group_membership", "aws_iam_group_membership"):
            users = g.targets(
                g.value(
                    member, "user" if member.type.endswith("user_group_membership") else "users"
                ),
                "aws_iam_user",
            )
            for u in users or []:
                by_user.setdefault(u.address, []).append((member, "groups"))
        return by_user, lost

    by_user, lost = shared(g, "user_policies", build)
    return list(by_user.get(user.address, [])), lost


def document_of(g: PlanGraph, res: Resource, attr: str) -> Any:
    """The policy document at `attr` ("policy", "inline_policy.0"), parsed, or Unknown."""
    if attr.startswith("inline_policy."):
        return g.document(res, "inline_policy", int(attr.split(".")[1]), "policy")
    return g.document(res, attr)


def flatten(value: Any) -> list:
    if isinstance(value, list):
        out = []
        for v in value:
            out += flatten(v)
        return out
    return [value]


def known(value: Any) -> bool:
    return not is_unknown(value) and not has_unknown(value)

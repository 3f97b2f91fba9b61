"""The deployment a plan builds, as boxes and arrows (no verdicts yet): what diagram.py draws.

    build(graph) -> Model

Parts are found by resource type and by following references (PlanGraph.refs), never by
address: Internet -> ALB -> ECS service -> database; CloudFront -> WASM bucket; Route53 names
-> ALB / CloudFront; the CI user and the GitHub deploy role -> bucket and distribution; EC2
instances (the bastion). Each box lists its members: the addresses (instance keys removed)
and DNS names whose findings colour it. Absent parts are not drawn; instances of
`count`/`for_each`, and of module calls, are one box; at most MAX_PER_KIND boxes of a kind.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from fdk_guard.plangraph import PlanGraph, Resource, iam, is_unknown
from fdk_guard.plangraph.values import deps_of

MAX_PER_KIND = 6  # boxes of one kind; the rest fold into one "... and N more" box
MAX_LISTENERS = 4  # arrows from the Internet per ALB
MAX_NAMES = 2  # DNS names written on an arrow

LB_TYPES = ("aws_lb", "aws_alb")
LISTENER_TYPES = ("aws_lb_listener", "aws_alb_listener")
RULE_TYPES = ("aws_lb_listener_rule", "aws_alb_listener_rule")
TG_TYPES = ("aws_lb_target_group", "aws_alb_target_group")
DB_TYPES = ("aws_db_instance", "aws_rds_cluster")
SG_RULE_TYPES = ("aws_security_group_rule", "aws_vpc_security_group_ingress_rule")
GITHUB_OIDC = "token.actions.githubusercontent.com"
S3_ARN = "arn:aws:s3:::"
HTTPS_ONLY = {"redirect-to-https", "https-only"}
DISTRIBUTION = "aws_cloudfront_distribution"


@dataclass
class Node:
    id: str
    kind: str  # internet | alb | service | db | bastion | cdn | bucket | dns | ci | role | *-more
    title: str
    address: str  # the group address (instance keys removed)
    count: int = 1  # instances grouped in this box
    facts: list[str] = field(default_factory=list)
    members: set[str] = field(default_factory=set)  # lower-case addresses and DNS names
    tier: str | None = None  # public | private | mixed | None (outside a VPC, or unknown)
    shape: str = "box"


@dataclass
class Edge:
    src: str
    dst: str
    label: str
    controls: tuple[str, ...]  # the controls about the path it stands for
    members: set[str] = field(default_factory=set)
    exposure: bool = False  # a path that should not exist (drawn dashed)


@dataclass
class Model:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    tiers: dict[str, set[str]] = field(default_factory=dict)  # vpc | public | private -> members
    azs: dict[str, set[str]] = field(default_factory=dict)  # tier -> availability zones


def group(address: str) -> str:
    """`module.a["k"].aws_x.y[0]` -> `module.a.aws_x.y`: one box for every instance."""
    return re.sub(r"\[[^\]]*\]", "", address)


def _key(res: Resource) -> str:
    return group(res.address).lower()


def _groups(resources: Iterable[Resource]) -> dict[str, list[Resource]]:
    out: dict[str, list[Resource]] = {}
    for res in sorted(resources, key=lambda r: r.address):
        out.setdefault(group(res.address), []).append(res)
    return out


_CONFIG_REF = re.compile(
    r"^(?P<data>data\.)?(?P<type>[a-z][a-z0-9_]*)\.(?P<name>[A-Za-z0-9_-]+)(?P<index>\[[^\]]*\])?"
)


def _configured_refs(g: PlanGraph, res: Resource, *path) -> list[Resource]:
    """The resources the configuration's expression at `path` refers to, as the plan lists
    its references: a literal index names that instance, any other every instance.

    A drawing's fallback where the graph cannot follow a value (a plan without its
    sources keeps `aws_subnet.public[count.index].id` only as its references): which
    boxes connect, never a verdict (the checks defer what they cannot follow).
    """
    expr = res.expression(*path)
    found: dict[str, Resource] = {}
    for ref in (expr or {}).get("references", []):
        m = _CONFIG_REF.match(ref)
        if not m or m["type"] in ("var", "local", "module", "count", "each", "path", "self"):
            continue
        mode = "data" if m["data"] else "managed"
        instances = g.instances(res.module, mode, m["type"], m["name"])
        if m["index"]:
            key = m["index"][1:-1]
            literal = int(key) if key.isdigit() else key.strip('"')
            if key.isdigit() or key.startswith('"'):
                instances = [i for i in instances if i.index == literal]
        for inst in instances:
            if inst is not res:
                found[inst.address] = inst
    return [found[a] for a in sorted(found)]


def _follow(g: PlanGraph, res: Resource, *path, types: Iterable[str] = ()) -> list | None:
    """The resources (of `types`) the value at `path` names, as the graph follows it; where
    it cannot (an unknown it cannot trace, or nested blocks), what the unknowns inside
    depend on, else what the configuration refers to (_configured_refs); None when none
    of these names any."""
    wanted = tuple(types)
    value = g.value(res, *path)
    found = g.targets(value, *wanted) if wanted else g.ref_resources(res, *path)
    if found is None or (not found and _holds_blocks(value)):
        deps = [g.resources[a] for a in sorted(deps_of(value)) if a in g.resources]
        found = [r for r in deps if r is not res and (not wanted or r.type in wanted)]
        if not found:
            found = _configured_refs(g, res, *path) or None
    return None if found is None else [r for r in found if not wanted or r.type in wanted]


def _refs(g: PlanGraph, res: Resource, *path, types: Iterable[str] = ()) -> list[Resource]:
    return _follow(g, res, *path, types=types) or []


def _holds_blocks(value) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict) for v in value)
    )


def _refers(g: PlanGraph, res: Resource, attr: str, addresses: set[str]) -> bool:
    return bool(addresses & {r.address for r in _refs(g, res, attr)})


def _blocks(res: Resource, name: str) -> range:
    return range(len(res.block(name)))


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" +{len(names) - MAX_NAMES}" if len(names) > MAX_NAMES else "")


# --- subnet tiers -----------------------------------------------------------------------


def _public_tables(g: PlanGraph) -> set[str]:
    """Route tables with a route to an internet gateway (inline or aws_route)."""
    tables: set[str] = set()
    for table in g.of_type("aws_route_table"):
        gateways = [str(r.get("gateway_id") or "") for r in table.block("route")]
        if _refs(g, table, "route", types=["aws_internet_gateway"]) or any(
            gw.startswith("igw-") for gw in gateways
        ):
            tables.add(table.address)
    for route in g.of_type("aws_route"):
        gateway = route.get("gateway_id")
        if (isinstance(gateway, str) and gateway.startswith("igw-")) or _refs(
            g, route, "gateway_id", types=["aws_internet_gateway"]
        ):
            tables |= {t.address for t in _refs(g, route, "route_table_id")}
    return tables


def subnet_tiers(g: PlanGraph) -> dict[str, str | None]:
    """subnet address -> public | private | None (its route table cannot be followed)."""
    public_tables = _public_tables(g)
    tables: dict[str, set[str] | None] = {s.address: set() for s in g.of_type("aws_subnet")}
    for assoc in g.of_type("aws_route_table_association"):
        followed = _follow(g, assoc, "route_table_id")
        found = None if followed is None else {t.address for t in followed}
        for subnet in _refs(g, assoc, "subnet_id", types=["aws_subnet"]):
            mine = tables.get(subnet.address)
            tables[subnet.address] = None if found is None or mine is None else mine | found
    tiers: dict[str, str | None] = {}
    for subnet in g.of_type("aws_subnet"):
        mine = tables[subnet.address]
        if subnet.get("map_public_ip_on_launch") is True or (mine and mine & public_tables):
            tiers[subnet.address] = "public"
        else:
            tiers[subnet.address] = None if mine is None else "private"
    return tiers


def _tier_of(subnets: list[Resource], tiers: dict[str, str | None]) -> str | None:
    found = {tiers.get(s.address) for s in subnets}
    if not subnets or None in found:
        return None
    return found.pop() if len(found) == 1 else "mixed"


def _subnet_fact(subnets: list[Resource], tier: str | None) -> str:
    if not subnets:
        return "subnets not followed"
    zones = {s.get("availability_zone") for s in subnets}
    count = len({z for z in zones if isinstance(z, str)})
    where = f" in {count} AZs" if count > 1 else ""
    plural = "s" if len(subnets) > 1 else ""
    words = {None: f"subnet{plural} of unknown routing", "mixed": "public and private subnets"}
    return f"{len(subnets)} {words.get(tier, f'{tier} subnet{plural}')}{where}"


def _listener_label(ls: Resource) -> str:
    protocol, port = ls.get("protocol"), ls.get("port")
    label = f"{protocol if isinstance(protocol, str) else '?'} :"
    label += str(port) if isinstance(port, int) else "?"
    if protocol != "HTTP":
        return label
    actions = ls.block("default_action")
    kinds = [str(a.get("type")) for a in actions]
    if kinds == ["redirect"]:
        redirect = (actions[0].get("redirect") or [{}])[0]
        code = str(redirect.get("status_code") or "").replace("HTTP_", "")
        return f"{label} → redirect {code}".rstrip()
    return f"{label} → {'/'.join(kinds) or 'no action'}"


# --- the parts --------------------------------------------------------------------------


class _Builder:
    def __init__(self, g: PlanGraph):
        self.g = g
        self.model = Model()
        self.tiers = subnet_tiers(g)
        self.boxes: dict[str, dict[str, Node]] = defaultdict(dict)  # kind -> address -> box
        self.internet = Node("internet", "internet", "Internet", "", shape="circle")
        self._bucket_names: dict[str, list[Resource]] | None = None

    # -- boxes and arrows --------------------------------------------------------------

    def node(self, kind: str, title: str, items: list[Resource], shape: str = "box") -> Node:
        address = group(items[0].address)
        node = Node(f"n{len(self.model.nodes) + 1}", kind, title, address, len(items))
        node.shape = shape
        node.members.add(address.lower())
        self.model.nodes.append(node)
        self.boxes[kind][address] = node
        return node

    def edge(self, src: Node, dst: Node, label: str, controls, members=(), exposure=False):
        keys = {m.lower() for m in members}
        self.model.edges.append(Edge(src.id, dst.id, label, tuple(controls), keys, exposure))

    def join(self, node: Node, resources: Iterable[Resource]) -> None:
        node.members |= {_key(r) for r in resources}

    def bounded(self, kind: str, groups: dict[str, list[Resource]]) -> list[list[Resource]]:
        """The first groups of a kind; past MAX_PER_KIND, the rest become one box."""
        keys = list(groups)
        if len(keys) <= MAX_PER_KIND:
            return list(groups.values())
        rest = [r for k in keys[MAX_PER_KIND - 1 :] for r in groups[k]]
        more = self.node(f"{kind}-more", f"... and {len(keys) - MAX_PER_KIND + 1} more", rest)
        more.address = f"{len(rest)} resources of that kind"
        self.join(more, rest)
        return [groups[k] for k in keys[: MAX_PER_KIND - 1]]

    def place(self, node: Node, subnets: list[Resource]) -> None:
        subnets = list({s.address: s for s in subnets if s.type == "aws_subnet"}.values())
        node.tier = _tier_of(subnets, self.tiers)
        node.facts.append(_subnet_fact(subnets, node.tier))

    def expose(self, node: Node, control: str, public_ip: bool, words: str) -> None:
        """A dashed arrow from the Internet when the box has a public IP or public subnet."""
        found = [words] if public_ip else []
        if node.tier in ("public", "mixed"):
            found.append("public subnet")
        if found:
            self.edge(self.internet, node, " + ".join(found), (control,), {node.address}, True)

    def sg_link(self, src: Node, dst: Node) -> bool:
        """`dst`'s security groups let `src`'s groups in."""
        g = self.g
        dst_groups = {m for m in dst.members if ".aws_security_group." in f".{m}"}
        src_groups = {m for m in src.members if ".aws_security_group." in f".{m}"}
        if not dst_groups or not src_groups:
            return False
        for sg in g.of_type("aws_security_group"):
            if _key(sg) in dst_groups and {_key(r) for r in _refs(g, sg, "ingress")} & src_groups:
                return True
        for rule in g.of_type(*SG_RULE_TYPES):
            if rule.type == "aws_security_group_rule" and rule.get("type") != "ingress":
                continue
            target = {_key(r) for r in _refs(g, rule, "security_group_id")}
            source = {
                _key(r)
                for path in ("source_security_group_id", "referenced_security_group_id")
                for r in _refs(g, rule, path)
            }
            if target & dst_groups and source & src_groups:
                return True
        return False

    # -- load balancers ----------------------------------------------------------------

    def albs(self) -> None:
        g = self.g
        lbs = [
            lb
            for lb in g.of_type(*LB_TYPES)
            if lb.get("load_balancer_type", default="application") == "application"
        ]
        for items in self.bounded("alb", _groups(lbs)):
            node = self.node("alb", "ALB", items)
            internal = True in {lb.get("internal") for lb in items}
            node.facts.append("internal" if internal else "internet-facing")
            subnets = []
            for lb in items:
                subnets += _refs(g, lb, "subnets")
                for i in _blocks(lb, "subnet_mapping"):
                    subnets += _refs(g, lb, "subnet_mapping", i, "subnet_id")
                self.join(node, _refs(g, lb, "security_groups"))
            self.place(node, subnets)

    def listeners(self) -> None:
        """Listeners, their rules, target groups and certificates join their ALB's box; each
        (protocol, port) of an internet-facing ALB is an arrow from the Internet."""
        g = self.g
        box_of = {
            lb.address: self.boxes["alb"][group(lb.address)]
            for lb in g.of_type(*LB_TYPES)
            if group(lb.address) in self.boxes["alb"]
        }
        rules = g.of_type(*RULE_TYPES)
        ports: dict[str, dict[tuple[str, str], list[Resource]]] = defaultdict(dict)
        for ls in g.of_type(*LISTENER_TYPES):
            lbs = _refs(g, ls, "load_balancer_arn")
            owners = [box_of[lb.address] for lb in lbs if lb.address in box_of]
            if owners:
                key = (str(ls.get("protocol")), str(ls.get("port")))
                ports[owners[0].address].setdefault(key, []).append(ls)
        for address, by_port in ports.items():
            node = self.boxes["alb"][address]
            for i, ((protocol, _), items) in enumerate(sorted(by_port.items())):
                names = {ls.address for ls in items}
                mine = items + [r for r in rules if _refers(g, r, "listener_arn", names)]
                self.join(node, mine)
                for ls in items:
                    self.join(node, self._listener_targets(ls))
                if "internet-facing" in node.facts and i < MAX_LISTENERS:
                    by_protocol = {"HTTP": ("FDK-TLS-01",), "HTTPS": ("FDK-TLS-02",)}
                    controls = by_protocol.get(protocol, ("FDK-TLS-01", "FDK-TLS-02"))
                    exact = {r.address for r in mine}  # one instance of a for_each'd listener
                    self.edge(self.internet, node, _listener_label(items[0]), controls, exact)

    def _listener_targets(self, ls: Resource) -> list[Resource]:
        g = self.g
        found = _refs(g, ls, "certificate_arn")
        for i in _blocks(ls, "default_action"):
            found += _refs(g, ls, "default_action", i, "target_group_arn")
            found += _refs(g, ls, "default_action", i, "forward")
        for validation in [r for r in found if r.type == "aws_acm_certificate_validation"]:
            found += _refs(g, validation, "certificate_arn")
        return found

    # -- the service and its database --------------------------------------------------

    def services(self) -> None:
        g = self.g
        for items in self.bounded("service", _groups(g.of_type("aws_ecs_service"))):
            node = self.node("service", "ECS service", items)
            if "FARGATE" in {s.get("launch_type") for s in items}:
                node.facts.append("Fargate")
            subnets, public_ip = [], False
            for svc in items:
                subnets += _refs(g, svc, "network_configuration", 0, "subnets")
                public_ip |= svc.get("network_configuration", 0, "assign_public_ip") is True
                self.join(node, _refs(g, svc, "cluster"))
                self.join(node, _refs(g, svc, "network_configuration", 0, "security_groups"))
                for td in _refs(g, svc, "task_definition"):
                    roles = _refs(g, td, "task_role_arn") + _refs(g, td, "execution_role_arn")
                    self.join(node, [td, *roles, *self._role_policies(roles)])
            self.place(node, subnets)
            if public_ip:
                node.facts.append("public IP")
            self.expose(node, "FDK-NET-04", public_ip, "public IP")

    def _role_policies(self, roles: list[Resource]) -> list[Resource]:
        names = {r.address for r in roles}
        types = ("aws_iam_role_policy", "aws_iam_role_policy_attachment")
        return [p for p in self.g.of_type(*types) if names and _refers(self.g, p, "role", names)]

    def alb_to_services(self) -> None:
        """ALB -> service: the target group the service registers in, else a security-group
        reference, else the only pair (dynamic blocks are not in the plan's configuration)."""
        g = self.g
        albs, services = self.boxes["alb"], self.boxes["service"]
        claimed = set().union(*(n.members for n in albs.values()))
        if len(albs) == 1:  # a target group serves a load balancer: the only one there is
            spare = [tg for tg in g.of_type(*TG_TYPES) if _key(tg) not in claimed]
            self.join(next(iter(albs.values())), spare)
        only_pair = len(albs) == 1 and len(services) == 1
        for svc in services.values():
            items = [s for s in g.of_type("aws_ecs_service") if group(s.address) == svc.address]
            for alb in albs.values():
                tgs, port = [], None
                for s in items:
                    for i in _blocks(s, "load_balancer"):
                        found = _refs(g, s, "load_balancer", i, "target_group_arn")
                        tgs += [tg for tg in found if _key(tg) in alb.members]
                        port = s.get("load_balancer", i, "container_port")
                if not (tgs or self.sg_link(alb, svc) or only_pair):
                    continue
                if not tgs:  # the ALB's own target group, when it has exactly one
                    mine = [tg for tg in g.of_type(*TG_TYPES) if _key(tg) in alb.members]
                    tgs = mine if len({_key(tg) for tg in mine}) == 1 else []
                label = f":{port}" if isinstance(port, int) else "forward"
                health = tgs[0].get("health_check", 0, "path") if tgs else None
                if isinstance(health, str):
                    label += f" · health {health}"
                self.edge(alb, svc, label, ("FDK-ECS-02",), {group(t.address) for t in tgs})

    def databases(self) -> None:
        g = self.g
        for items in self.bounded("db", _groups(g.of_type(*DB_TYPES))):
            engine, version = items[0].get("engine"), items[0].get("engine_version")
            title = " ".join(["RDS", *[v for v in (engine, version) if isinstance(v, str) and v]])
            node = self.node("db", title, items, shape="db")
            subnets, public = [], False
            for db in items:
                public |= db.get("publicly_accessible") is True
                for grp in _refs(g, db, "db_subnet_group_name", types=["aws_db_subnet_group"]):
                    self.join(node, [grp])
                    subnets += _refs(g, grp, "subnet_ids")
                for attr in ("parameter_group_name", "kms_key_id", "vpc_security_group_ids"):
                    self.join(node, _refs(g, db, attr))
            self.place(node, subnets)
            if public:
                node.facts.append("publicly accessible")
            self.expose(node, "FDK-NET-05", public, "publicly accessible")

    def app_to_db(self) -> None:
        """The server reaches its database: a security-group reference, or the only pair."""
        services, dbs = self.boxes["service"], self.boxes["db"]
        pairs = [(s, d) for s in services.values() for d in dbs.values() if self.sg_link(s, d)]
        if not pairs and len(services) == 1 and len(dbs) == 1:
            pairs = [(next(iter(services.values())), next(iter(dbs.values())))]
        for svc, db in pairs:
            tasks = {m for m in svc.members if ".aws_ecs_task_definition." in f".{m}"}
            members = {db.address, *tasks, *(m for m in db.members if "parameter_group" in m)}
            self.edge(svc, db, "PostgreSQL :5432", ("FDK-DATA-08",), members)

    def bastions(self) -> None:
        g = self.g
        for items in self.bounded("bastion", _groups(g.of_type("aws_instance"))):
            node = self.node("bastion", "EC2 instance", items)
            subnets, public = [], False
            for inst in items:
                subnets += _refs(g, inst, "subnet_id")
                public |= inst.get("associate_public_ip_address") is True
                self.join(node, _refs(g, inst, "vpc_security_group_ids"))
                self.join(node, _refs(g, inst, "iam_instance_profile"))
            self.place(node, subnets)
            if public:
                node.facts.append("public IP")
            self.expose(node, "FDK-NET-07", public, "public IP")

    # -- the WASM frontend -------------------------------------------------------------

    def distributions(self) -> None:
        g = self.g
        for items in self.bounded("cdn", _groups(g.of_type("aws_cloudfront_distribution"))):
            node = self.node("cdn", "CloudFront", items)
            aliases = sorted({a for d in items for a in d.known("aliases", default=[]) or []})
            node.members |= {a.lower().rstrip(".") for a in aliases}
            if aliases:
                node.facts.append(_names(aliases))
            viewers = [d.get("default_cache_behavior", 0, "viewer_protocol_policy") for d in items]
            label = "HTTPS" if all(v in HTTPS_ONLY for v in viewers) else "HTTP allowed"
            if any(is_unknown(v) for v in viewers):
                label = "viewers (policy known after apply)"
            for d in items:
                found = _refs(g, d, "default_cache_behavior", 0, "response_headers_policy_id")
                found += _refs(g, d, "viewer_certificate", 0, "acm_certificate_arn")
                for validation in [r for r in found if r.type == "aws_acm_certificate_validation"]:
                    found += _refs(g, validation, "certificate_arn")
                self.join(node, found)
            self.edge(self.internet, node, label, ("FDK-TLS-04",), {node.address})
            self._origins(node, items)

    def _origins(self, node: Node, items: list[Resource]) -> None:
        g = self.g
        drawn: set[str] = set()
        for d in items:
            for i in _blocks(d, "origin"):
                oac = _refs(g, d, "origin", i, "origin_access_control_id")
                self.join(node, oac)
                set_id = d.get("origin", i, "origin_access_control_id")
                has_oac = bool(oac) or is_unknown(set_id) or bool(set_id)
                buckets = _refs(g, d, "origin", i, "domain_name", types=["aws_s3_bucket"])
                for bucket in (self.bucket(b) for b in buckets):
                    if bucket.id in drawn:
                        continue
                    drawn.add(bucket.id)
                    label = "origin access control" if has_oac else "no origin access control"
                    policy = {m for m in bucket.members if "aws_s3_bucket_policy" in m}
                    members = {node.address, bucket.address, *policy}
                    self.edge(node, bucket, label, ("FDK-DATA-05",), members)

    def bucket(self, bucket: Resource) -> Node:
        """The box of a WASM bucket, with the resources configuring it (policy, CORS...)."""
        address = group(bucket.address)
        if address in self.boxes["bucket"]:
            return self.boxes["bucket"][address]
        items = [b for b in self.g.of_type("aws_s3_bucket") if group(b.address) == address]
        node = self.node("bucket", "S3 bucket (WASM)", items, shape="db")
        names = {b.address for b in items}
        for res in self.g.resources.values():
            if res.mode == "managed" and res.type.startswith("aws_s3_bucket_"):
                if _refers(self.g, res, "bucket", names):
                    self.join(node, [res])
        return node

    def dns(self) -> None:
        g = self.g
        zones: dict[str, Node] = {}
        for items in self.bounded("dns", _groups(g.of_type("aws_route53_zone"))):
            node = self.node("dns", "Route53 zone", items, shape="hex")
            names = sorted({str(z.get("name")).rstrip(".") for z in items if z.known("name")})
            if names:
                node.facts.append(_names(names))
            zones[node.address] = node
        if not zones:
            return
        targets = {**self.boxes["alb"], **self.boxes["cdn"]}
        links: dict[tuple[str, str], tuple[Node, Node, set[str], set[str]]] = {}
        for rec in g.of_type("aws_route53_record"):
            mine = [zones.get(group(z.address)) for z in _refs(g, rec, "zone_id")]
            mine = [z for z in mine if z] or (list(zones.values()) if len(zones) == 1 else [])
            if not mine:
                continue
            zone = mine[0]
            self.join(zone, [rec])
            for alias in _refs(g, rec, "alias", 0, "name"):
                target = targets.get(group(alias.address))
                if target is None:
                    continue
                link = links.setdefault((zone.id, target.id), (zone, target, set(), set()))
                if isinstance(rec.get("name"), str):
                    link[2].add(rec.get("name").rstrip("."))
                link[3].add(rec.address)
        for zone, target, names, records in links.values():
            target.members |= {n.lower() for n in names}  # probes name these hosts
            control = "FDK-DNS-01" if target.kind == "alb" else "FDK-WEB-02"
            label = _names(sorted(names)) or "alias"
            self.edge(zone, target, label, (control,), records | names)

    # -- who deploys -------------------------------------------------------------------

    def principals(self) -> None:
        """The CI user and the GitHub deploy role, with what their policies name."""
        g = self.g
        for items in self.bounded("ci", _groups(g.of_type("aws_iam_user"))):
            node = self.node("ci", "IAM user (CI)", items, shape="stadium")
            names = {u.address for u in items}
            types = ("aws_iam_user_policy", "aws_iam_user_policy_attachment")
            policies = [p for p in g.of_type(*types) if _refers(g, p, "user", names)]
            keys = [k for k in g.of_type("aws_iam_access_key") if _refers(g, k, "user", names)]
            self.join(node, policies + keys)
            self._grants(node, policies, "FDK-IAM-01")
        roles = [r for r in g.of_type("aws_iam_role") if self._github_trust(r)]
        for items in self.bounded("role", _groups(roles)):
            node = self.node("role", "IAM role (GitHub OIDC)", items, shape="stadium")
            policies = self._role_policies(items)
            self.join(node, policies)
            self._grants(node, policies, "FDK-IAM-03")

    def _github_trust(self, role: Resource) -> bool:
        """The role's trust policy names GitHub's OIDC issuer (a principal or a condition)."""
        for st in iam.statements(self.g, role, "assume_role_policy") or []:
            if any(GITHUB_OIDC in str(var) for _, var, _ in st.conditions):
                return True
            if not is_unknown(st.principals):
                for ptype, pid in st.principals:
                    if isinstance(pid, Resource):
                        if pid.type == "aws_iam_openid_connect_provider":
                            return True
                    elif ptype == "Federated" and GITHUB_OIDC in str(pid):
                        return True
        return False

    def _named(self, policy: Resource) -> list[Resource]:
        """Buckets and distributions that an allowing statement of the policy names."""
        g = self.g
        docs = [policy]
        if policy.type.endswith("_attachment"):
            docs = _refs(g, policy, "policy_arn", types=["aws_iam_policy"])
        if self._bucket_names is None:
            self._bucket_names = defaultdict(list)
            for b in g.of_type("aws_s3_bucket"):
                if isinstance(b.get("bucket"), str):
                    self._bucket_names[b.get("bucket")].append(b)
        found: list[Resource] = []
        for doc in docs:
            for st in iam.statements(g, doc) or []:
                if not st.allows or is_unknown(st.resources):
                    continue
                for item in st.resources:
                    if isinstance(item, Resource):
                        found.append(item)
                    elif is_unknown(item):  # an ARN known after apply: whose it is
                        hit = iam.arn_target(g, item, "aws_s3_bucket", DISTRIBUTION)
                        found += [hit[0]] if hit else []
                    elif isinstance(item, str) and item.startswith(S3_ARN):
                        name = item[len(S3_ARN) :].split("/")[0]
                        found += self._bucket_names.get(name, [])
        return found

    def _grants(self, node: Node, policies: list[Resource], control: str) -> None:
        named = {r.address: r for p in policies for r in self._named(p)}
        members = {node.address, *(group(p.address) for p in policies)}
        targets: dict[str, tuple[Node, str]] = {}
        for res in named.values():
            address = group(res.address)
            if res.type == "aws_s3_bucket":
                if address in self.boxes["bucket"] or len(self.boxes["bucket"]) < MAX_PER_KIND:
                    bucket = self.bucket(res)  # the WASM bucket, with or without CloudFront
                    targets[bucket.id] = (bucket, "deploys (S3 write)")
            elif res.type == "aws_cloudfront_distribution" and address in self.boxes["cdn"]:
                dist = self.boxes["cdn"][address]
                targets[dist.id] = (dist, "invalidates")
        for target, label in targets.values():
            self.edge(node, target, label, (control,), members)

    # -- the network ---------------------------------------------------------------------

    def network(self) -> None:
        """Tier members: subnets, their route tables and routes, gateways; the VPC apart."""
        g = self.g
        tiers: dict[str, set[str]] = {"public": set(), "private": set()}
        table_tier: dict[str, str] = {}
        for subnet in g.of_type("aws_subnet"):
            tier = self.tiers.get(subnet.address)
            if tier:
                tiers[tier].add(_key(subnet))
                zone = subnet.get("availability_zone")
                if isinstance(zone, str):
                    self.model.azs.setdefault(tier, set()).add(zone)
        for assoc in g.of_type("aws_route_table_association"):
            subnets = _refs(g, assoc, "subnet_id", types=["aws_subnet"])
            for tier in {self.tiers.get(s.address) for s in subnets} - {None}:
                tiers[tier].add(_key(assoc))
                for table in _refs(g, assoc, "route_table_id"):
                    tiers[tier].add(_key(table))
                    table_tier[table.address] = tier
        for route in g.of_type("aws_route"):
            for table in _refs(g, route, "route_table_id"):
                if table.address in table_tier:
                    tiers[table_tier[table.address]].add(_key(route))
        tiers["public"] |= {_key(gw) for gw in g.of_type("aws_nat_gateway", "aws_internet_gateway")}
        tiers["vpc"] = {_key(v) for v in g.of_type("aws_vpc")}
        self.model.tiers = tiers


def build(g: PlanGraph) -> Model:
    """Boxes and arrows of the deployment `g` plans (no statuses yet)."""
    b = _Builder(g)
    b.albs()
    b.listeners()
    b.services()
    b.alb_to_services()
    b.databases()
    b.app_to_db()
    b.bastions()
    b.distributions()
    b.principals()
    b.dns()
    b.network()
    if any(e.src == b.internet.id for e in b.model.edges):
        b.model.nodes.insert(0, b.internet)
    return b.model

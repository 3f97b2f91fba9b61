"""Security-group ingress rules from all three ways of writing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fdk_guard.plangraph import PlanGraph, is_unknown

from ._lib import in_cidr


@dataclass
class Ingress:
    group: str  # the security group the rule belongs to
    source: str  # the resource that defines the rule
    from_port: Any
    to_port: Any
    protocol: Any
    cidrs: list[Any]  # CIDR strings (v4 and v6); UNKNOWN items possible
    source_groups: set[str] | None  # None when not followable

    def covers(self, port: int) -> bool | None:
        if str(self.protocol) in ("-1", "all"):
            return True
        if is_unknown(self.from_port) or is_unknown(self.to_port):
            return None
        return self.from_port <= port <= self.to_port

    @property
    def from_world(self) -> bool:
        return any(in_cidr(c) for c in self.cidrs)

    def ports(self) -> str:
        if str(self.protocol) in ("-1", "all"):
            return "all ports"
        return f"{self.from_port}-{self.to_port}"


def _sg_refs(g, res, *path) -> set[str] | None:
    refs = g.ref_resources(res, *path)
    if refs is None:
        return None
    return {r.address for r in refs if r.type == "aws_security_group"}


def ingress_rules(g: PlanGraph) -> list[Ingress]:
    rules: list[Ingress] = []
    for sg in g.of_type("aws_security_group"):
        for i, rule in enumerate(sg.block("ingress")):
            cidrs = list(rule.get("cidr_blocks") or []) + list(rule.get("ipv6_cidr_blocks") or [])
            groups = None
            if sg.has_unknown("ingress", i, "security_groups"):
                groups = _sg_refs(g, sg, "ingress")
            else:
                groups = set()
            if rule.get("self"):
                groups = (groups or set()) | {sg.address}
            rules.append(
                Ingress(
                    sg.address,
                    sg.address,
                    rule.get("from_port"),
                    rule.get("to_port"),
                    rule.get("protocol"),
                    cidrs,
                    groups,
                )
            )
    for rule in g.of_type("aws_security_group_rule"):
        if rule.get("type") != "ingress":
            continue
        cidrs = list(rule.get("cidr_blocks") or []) + list(rule.get("ipv6_cidr_blocks") or [])
        groups = (
            _sg_refs(g, rule, "source_security_group_id")
            if rule.expression("source_security_group_id")
            else set()
        )
        for target in _sg_refs(g, rule, "security_group_id") or {"?"}:
            if rule.get("self") is True:
                groups = (groups or set()) | {target}
            rules.append(
                Ingress(
                    target,
                    rule.address,
                    rule.get("from_port"),
                    rule.get("to_port"),
                    rule.get("protocol"),
                    cidrs,
                    groups,
                )
            )
    for rule in g.of_type("aws_vpc_security_group_ingress_rule"):
        cidrs = [c for c in (rule.get("cidr_ipv4"), rule.get("cidr_ipv6")) if c is not None]
        groups = (
            _sg_refs(g, rule, "referenced_security_group_id")
            if rule.expression("referenced_security_group_id")
            else set()
        )
        for target in _sg_refs(g, rule, "security_group_id") or {"?"}:
            rules.append(
                Ingress(
                    target,
                    rule.address,
                    rule.get("from_port"),
                    rule.get("to_port"),
                    rule.get("ip_protocol"),
                    cidrs,
                    groups,
                )
            )
    return rules

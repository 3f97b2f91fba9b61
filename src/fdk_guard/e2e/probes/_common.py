"""Helpers every probe uses to word its verdict: control ID, expected, found."""

from __future__ import annotations

from fdk_guard.findings import Finding

ENGINE = "probe"


def passed(control: str, resource: str, found: str) -> Finding:
    return Finding(control, "pass", ENGINE, resource, f"{control}: {found}")


def failed(control: str, resource: str, expected: str, found: str) -> Finding:
    return Finding(
        control, "fail", ENGINE, resource, f"{control}: expected {expected}; found {found}"
    )


def not_applicable(control: str, resource: str, why: str) -> Finding:
    return Finding(control, "not_applicable", ENGINE, resource, f"{control}: {why}")

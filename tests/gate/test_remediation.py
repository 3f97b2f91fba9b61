"""Every control says what to change, in Terraform (summary.md, SARIF `help`, the terminal)."""

from __future__ import annotations

import re

import pytest

from fdk_guard import catalogue

CONTROLS = catalogue.load()


@pytest.mark.parametrize("cid", list(CONTROLS))
def test_every_control_has_a_remediation_naming_terraform(cid: str) -> None:
    text = CONTROLS[cid].remediation
    assert text, f"{cid} has no remediation in policies/catalogue.yaml"
    assert re.search(r"`[^`]+`", text), f"{cid}: name the resource type or attribute in `code`"
    assert len(text) <= 400, f"{cid}: keep the remediation to a few lines"

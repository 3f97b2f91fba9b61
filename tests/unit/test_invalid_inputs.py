"""Invalid inputs are refused at plan time with the variable's own validation message."""

from __future__ import annotations

import re

import pytest

from .cases import diagnostics_of, invalid_inputs
from .plans import REFERENCE

CASES = invalid_inputs()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def declared_validations(variables_tf) -> set[tuple[str, str]]:
    """(variable, error_message) of every validation block of a variables.tf."""
    text = variables_tf.read_text()
    found = set()
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'^variable\s+"([^"]+)"', text, re.M)]
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        for message in re.findall(r'error_message\s*=\s*"((?:[^"\\]|\\.)*)"', text[start:end]):
            found.add((name, message.replace('\\"', '"').replace("\\\\", "\\")))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=str)
def test_invalid_input_is_refused_with_its_message(planner, case):
    outcome = planner.plan(case.plan_request())
    if outcome.error is None:
        pytest.fail(
            f"{case.id}: the plan succeeded; expected {case.variable} refused", pytrace=False
        )
    diagnostics = diagnostics_of(outcome.error, case.variable)
    if not any(_one_line(case.message) in d for d in diagnostics):
        named = " | ".join(diagnostics) or "none names var." + case.variable
        pytest.fail(
            f"{case.id}: expected var.{case.variable} refused with {case.message!r}; "
            f"diagnostics: {named[:1500]}",
            pytrace=False,
        )


def test_every_validation_of_the_reference_has_a_case():
    declared = declared_validations(REFERENCE / "variables.tf")
    assert declared, "no validation found in reference/variables.tf"
    covered = {(c.variable, _one_line(c.message)) for c in CASES}
    missing = sorted(f"{v}: {m}" for v, m in declared if (v, _one_line(m)) not in covered)
    assert not missing, "validations without an invalid-input case:\n" + "\n".join(missing)


def test_every_case_names_a_declared_validation():
    declared = {(v, _one_line(m)) for v, m in declared_validations(REFERENCE / "variables.tf")}
    stale = [c.id for c in CASES if (c.variable, _one_line(c.message)) not in declared]
    assert not stale, f"cases whose message no validation of reference/variables.tf has: {stale}"

"""features/ against the catalogue: every scenario names a real control of its area, and
every control the catalogue does not mark "cannot express" has a scenario."""

from __future__ import annotations

from collections import Counter

import pytest

from fdk_guard import catalogue
from fdk_guard.engines.compliance import FEATURES_DIR
from tests.compliance.features import scenarios

AREAS = ("network", "data", "tls", "web", "ecs", "logging", "iam", "dns")
# features/<file> -> the catalogue area its scenarios belong to
FILE_AREA = {f"{area}.feature": area for area in AREAS}
CANNOT = "cannot express:"


def compliance_note(control: catalogue.Control) -> str:
    return str(control.notes.get("compliance", ""))


@pytest.fixture(scope="module")
def controls() -> dict[str, catalogue.Control]:
    return catalogue.load()


def test_one_feature_file_per_area() -> None:
    assert sorted(p.name for p in FEATURES_DIR.glob("*.feature")) == sorted(FILE_AREA)


def test_every_scenario_has_exactly_one_control_tag_of_its_area(controls) -> None:
    found = scenarios()
    assert len(found) >= 40  # the parser read the files (a broken regex finds nothing)
    for sc in found:
        assert len(sc.controls) == 1, f"{sc.file}: {sc.name!r} has tags {sc.tags}"
        control = sc.controls[0]
        assert control in controls, f"{sc.file}: {sc.name!r}: {control} is not in the catalogue"
        assert controls[control].area == FILE_AREA[sc.file], f"{control} in {sc.file}"


def test_scenario_names_are_unique() -> None:
    # The engine pairs console failure lines with scenarios by (feature, name).
    counts = Counter((sc.feature, sc.name) for sc in scenarios())
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_expressible_control_has_a_scenario(controls) -> None:
    tagged = {c for sc in scenarios() for c in sc.controls}
    expressible = {
        cid for cid, ctl in controls.items() if not compliance_note(ctl).startswith(CANNOT)
    }
    assert sorted(expressible - tagged) == []


def test_cannot_express_controls_have_no_scenario_and_say_why(controls) -> None:
    tagged = {c for sc in scenarios() for c in sc.controls}
    for cid, ctl in controls.items():
        note = compliance_note(ctl)
        if note.startswith(CANNOT):
            assert cid not in tagged, f"{cid} is marked '{note}' but has scenarios"
            assert len(note) > len(CANNOT) + 20, f"{cid}: say why it cannot be expressed"


def test_catalogue_engines_name_compliance_exactly_where_a_scenario_exists(controls) -> None:
    tagged = {c for sc in scenarios() for c in sc.controls}
    listed = {cid for cid, ctl in controls.items() if "compliance" in ctl.engines}
    assert sorted(listed ^ tagged) == []


def test_partial_controls_say_what_is_left_out(controls) -> None:
    tagged = {c for sc in scenarios() for c in sc.controls}
    for cid in tagged:
        note = compliance_note(controls[cid])
        assert note == "" or (note.startswith("partial: ") and len(note) > 40), cid

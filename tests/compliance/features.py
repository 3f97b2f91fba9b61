"""Read features/ as a reviewer would: each scenario with its tags, feature and file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fdk_guard.engines.compliance import CONTROL_TAG, FEATURES_DIR

TAG_LINE = re.compile(r"^\s*(@\S+(?:\s+@\S+)*)\s*$")
SCENARIO_LINE = re.compile(r"^\s*Scenario(?: Outline)?:\s*(?P<name>.+?)\s*$")
FEATURE_LINE = re.compile(r"^\s*Feature:\s*(?P<name>.+?)\s*$")


@dataclass(frozen=True)
class FeatureScenario:
    file: str
    feature: str
    name: str
    tags: tuple[str, ...]
    steps: tuple[str, ...] = ()

    @property
    def controls(self) -> tuple[str, ...]:
        return tuple(t for t in self.tags if CONTROL_TAG.match(t))


STEP_LINE = re.compile(r"^\s*(?P<step>(?:Given|When|Then|And|But) .+?)\s*$")


def scenarios(folder: Path = FEATURES_DIR) -> list[FeatureScenario]:
    found: list[FeatureScenario] = []
    for path in sorted(folder.glob("*.feature")):
        feature, tags, current = "", (), None
        for line in path.read_text().splitlines():
            if m := FEATURE_LINE.match(line):
                feature = m["name"]
            elif m := TAG_LINE.match(line):
                tags = tuple(t.lstrip("@") for t in m.group(1).split())
            elif m := SCENARIO_LINE.match(line):
                current = FeatureScenario(path.name, feature, m["name"], tags)
                found.append(current)
                tags = ()
            elif (m := STEP_LINE.match(line)) and current is not None:
                found[-1] = current = FeatureScenario(
                    current.file,
                    current.feature,
                    current.name,
                    current.tags,
                    (*current.steps, m["step"]),
                )
    return found

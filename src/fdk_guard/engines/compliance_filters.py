"""The When-filters of a terraform-compliance scenario, read from its step texts and
replayed on a plan's values, so the engine can tell which resources a filter could not
judge (the property it reads is unknown until apply) and which it rightly dropped.

Only the filter forms the features use are understood; a step it cannot read is taken to
keep every resource (the conservative reading: more `deferred`, never a hidden resource).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_ITS = re.compile(
    r"^(?:When|And) its (?P<prop>[A-Za-z0-9_]+) (?P<op>is not|does not include|is|has|includes"
    r'|contains) (?:"(?P<regex>.*)" regex|(?P<value>\S+))$'
)
_IT = re.compile(
    r"^(?:When|And) it (?P<op>has|contains|does not have|does not contain) "
    r"(?P<prop>[A-Za-z0-9_]+)$"
)


@dataclass(frozen=True)
class Filter:
    prop: str
    op: str  # is | is not | has | has not | includes | does not include ...
    value: str | None = None
    regex: str | None = None

    def keeps(self, values: dict) -> bool | None:
        """Whether terraform-compliance keeps a resource with these (known) values; None
        when it cannot be told here."""
        if self.op in ("has", "contains"):
            return _present(values, self.prop)
        if self.op in ("does not have", "does not contain"):
            return not _present(values, self.prop)
        if self.prop not in values or values[self.prop] is None:
            return False  # terraform-compliance drops a resource without the property
        found = self._matches(values[self.prop])
        if found is None:
            return None
        return not found if self.op in ("is not", "does not include") else found

    def _matches(self, value: Any) -> bool | None:
        items = value if isinstance(value, list) else [value]
        if any(isinstance(v, dict | list) for v in items):
            return None
        texts = [str(v).lower() if isinstance(v, bool) else str(v) for v in items]
        if self.regex is not None:
            return any(re.match(self.regex, t, re.IGNORECASE) for t in texts)
        return any(t.lower() == str(self.value).lower() for t in texts)


def parse(step: str) -> Filter | None:
    if m := _ITS.match(step):
        return Filter(m["prop"], m["op"], m["value"], m["regex"])
    if m := _IT.match(step):
        return Filter(m["prop"], m["op"])
    return None


def _present(node: Any, key: str) -> bool:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and v not in ([], "", {}):
                return True
            if _present(v, key):
                return True
    elif isinstance(node, list):
        return any(_present(v, key) for v in node)
    return False

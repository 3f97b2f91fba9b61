"""Reading the diagram's Mermaid text back in tests: boxes, their class, arrows, styles."""

from __future__ import annotations

import re


def boxes(text: str) -> dict[str, str]:
    """box id -> its label (first line of the label)."""
    out = {}
    for m in re.finditer(r'^\s*(n\d+)[\[\(\{]+"(.*?)"[\]\)\}]+$', text, re.MULTILINE):
        out[m.group(1)] = m.group(2)
    return out


def box(text: str, title: str) -> str:
    """The id of the one box whose label starts with `title`."""
    found = [i for i, label in boxes(text).items() if label.startswith(title)]
    assert len(found) == 1, f"{len(found)} boxes titled {title!r} in:\n{text}"
    return found[0]


def label(text: str, title: str) -> str:
    return boxes(text)[box(text, title)]


def css_class(text: str, box_id: str) -> str:
    for m in re.finditer(r"^\s*class (\S+) (\w+)$", text, re.MULTILINE):
        if box_id in m.group(1).split(","):
            return m.group(2)
    raise AssertionError(f"{box_id} has no class")


def arrows(text: str) -> list[tuple[str, str, str, str]]:
    """(source, arrow, label, target) in drawing order (linkStyle indexes)."""
    pattern = r'^\s*(\S+) (-->|-\.->)\|"(.*?)"\| (\S+)$'
    return [m.groups() for m in re.finditer(pattern, text, re.MULTILINE)]


def arrow_styles(text: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"linkStyle (\d+) (\S+)", text)}


def subgraph_of(text: str, box_id: str) -> str | None:
    """The innermost subgraph holding `box_id`."""
    stack: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("subgraph "):
            stack.append(line.split()[1].split("[")[0])
        elif line == "end":
            stack.pop()
        elif re.match(rf"{box_id}[\[\(\{{]", line):
            return stack[-1] if stack else None
    return None

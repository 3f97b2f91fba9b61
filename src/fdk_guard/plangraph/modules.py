"""The configuration of each module of a root, read from its .tf files as Terraform reads it.

A module's files are merged the way Terraform merges them: primary files first, then
`override.tf` and `*_override.tf` in name order, each override block replacing the
attributes it sets (and every nested block of a type it sets) of the block it names.
JSON configuration files (`*.tf.json`) are not read: values from them stay unknown.

Sources are given as {module key: {file name: text}}, the module key being the one
`.terraform/modules/modules.json` uses ("" for the root, "vpc", "ecs.container_definition").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from fdk_guard.plangraph.hcl import Block, Body, HclError, parse, parse_expression

__all__ = ["ModuleConfig", "load_module", "collect_sources", "module_key"]

_OVERRIDE = re.compile(r"^(override|.+_override)\.tf$")
_SOURCE = re.compile(r'^\s*source\s*=\s*"([^"]+)"', re.M)


@dataclass
class ModuleConfig:
    key: str
    variables: dict[str, Body] = field(default_factory=dict)
    locals: dict[str, tuple] = field(default_factory=dict)
    outputs: dict[str, Body] = field(default_factory=dict)
    calls: dict[str, Body] = field(default_factory=dict)
    resources: dict[tuple[str, str, str], Body] = field(default_factory=dict)  # mode,type,name
    files: dict[tuple[str, str, str], tuple[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def module_key(module_address: str) -> str:
    """module.a["k"].module.b[0] -> a.b (the key of its configuration)."""
    if not module_address:
        return ""
    no_keys = re.sub(r"\[[^\]]*\]", "", module_address)
    return ".".join(part for part in no_keys.split(".") if part != "module")


def _nested_name(block: Block) -> str:
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


def _merge_body(base: Body, over: Body) -> Body:
    """Terraform's override merge: attributes replace, nested blocks replace by type."""
    attrs = dict(base.attributes)
    attrs.update(over.attributes)
    lines = dict(base.lines)
    lines.update(over.lines)
    replaced = {_nested_name(b) for b in over.blocks}
    kept = [b for b in base.blocks if _nested_name(b) not in replaced]
    return Body(attrs, kept + list(over.blocks), lines)


def _add(cfg: ModuleConfig, body: Body, name: str, override: bool) -> None:
    for block in body.blocks:
        kind, labels = block.type, block.labels
        if kind in ("resource", "data") and len(labels) == 2:
            key = ("managed" if kind == "resource" else "data", labels[0], labels[1])
            if override and key in cfg.resources:
                cfg.resources[key] = _merge_body(cfg.resources[key], block.body)
            else:
                cfg.resources[key] = block.body
                cfg.files[key] = (name, block.line)
        elif kind == "locals":
            cfg.locals.update(block.body.attributes)
        elif kind in ("variable", "output", "module") and len(labels) == 1:
            table = {"variable": cfg.variables, "output": cfg.outputs, "module": cfg.calls}[kind]
            if override and labels[0] in table:
                table[labels[0]] = _merge_body(table[labels[0]], block.body)
            else:
                table[labels[0]] = block.body


def load_module(key: str, files: dict[str, str]) -> ModuleConfig:
    cfg = ModuleConfig(key)
    names = sorted(n for n in files if n.endswith(".tf"))
    primary = [n for n in names if not _OVERRIDE.match(Path(n).name)]
    overrides = [n for n in names if _OVERRIDE.match(Path(n).name)]
    for name in primary + overrides:
        try:
            body = parse(files[name], name)
        except HclError as err:
            cfg.errors.append(str(err))
            continue
        _add(cfg, body, name, name in overrides)
    return cfg


# templatefile("${path.module}/x.tpl", ...) or, in the root, templatefile("x.tpl", ...)
_TEMPLATE_CALL = re.compile(r'templatefile\(\s*"(\$\{path\.module\}/)?([^"$]+)"')
TEMPLATE_LIMIT = 256 * 1024  # a template bigger than this is left unread (its value unknown)


def template_key(path: str) -> str:
    """The key of a template file in a module's sources: its path under the module folder."""
    return "template:" + Path(path).as_posix().removeprefix("./")


def _tf_files(folder: Path, *, root: bool = False) -> dict[str, str]:
    """The .tf files of a module folder by name, and the templates its templatefile() calls
    read (`template:<path>`), so a plan judged later can still render them."""
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.tf")):
        try:
            out[path.name] = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    here = folder.resolve()
    for text in list(out.values()):
        for in_module, rel in _TEMPLATE_CALL.findall(text):
            if not in_module and not root:
                continue  # relative to the working directory, not this module
            path = (folder / rel).resolve()
            try:
                if path.is_relative_to(here) and path.stat().st_size <= TEMPLATE_LIMIT:
                    out[template_key(rel)] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
    return out


def collect_sources(root: Path) -> dict[str, dict[str, str]]:
    """The .tf files of `root` and of every module it calls, by module key.

    After `terraform init`, `.terraform/modules/modules.json` names every module's folder
    (registry and git modules included); before it, local `source = "./..."` paths are
    followed. Modules found neither way are left out (their values stay unknown).
    """
    root = Path(root)
    sources: dict[str, dict[str, str]] = {"": _tf_files(root, root=True)}
    manifest = root / ".terraform" / "modules" / "modules.json"
    if manifest.is_file():
        try:
            entries = json.loads(manifest.read_text()).get("Modules", [])
        except (OSError, ValueError):
            entries = []
        for entry in entries:
            key, folder = entry.get("Key", ""), entry.get("Dir", "")
            if key and folder and (root / folder).is_dir():
                sources[key] = _tf_files(root / folder)
        return sources
    todo = [("", root)]
    while todo:
        key, folder = todo.pop()
        cfg = load_module(key, sources[key])
        for name, call in cfg.calls.items():
            src = call.attributes.get("source")
            if not (src and src[0] == "lit" and isinstance(src[1], str)):
                continue
            if not src[1].startswith(("./", "../")):
                continue
            child = (folder / src[1]).resolve()
            child_key = f"{key}.{name}" if key else name
            if child.is_dir() and child_key not in sources:
                sources[child_key] = _tf_files(child)
                todo.append((child_key, child))
    return sources


# -- without source files: the plan's own `configuration` section ----------------------


def _expression_node(expr: dict) -> tuple:
    """A plan configuration expression as an evaluator node.

    The plan keeps constants and the references of an expression, not the expression:
    a single reference is followed as written; several become one unknown depending on
    them all; none (a function of constants) is unknown.
    """
    if "constant_value" in expr:
        return ("lit", expr["constant_value"])
    refs = expr.get("references") or []
    full = [r for r in refs if not any(o != r and o.startswith(r) for o in refs)]
    nodes = []
    for ref in full:
        try:
            nodes.append(parse_expression(ref))
        except HclError:
            continue
    if len(nodes) == 1 and len(full) == 1:
        return nodes[0]
    return ("call", "__depends_on__", nodes, False)


def _config_body(expressions: dict) -> Body:
    body = Body()
    for name, expr in (expressions or {}).items():
        if isinstance(expr, dict) and ("references" in expr or "constant_value" in expr):
            body.attributes[name] = _expression_node(expr)
        elif isinstance(expr, list):  # nested blocks
            for item in expr:
                if isinstance(item, dict):
                    body.blocks.append(Block(name, (), _config_body(item)))
    return body


def from_plan_configuration(plan: dict) -> dict[str, ModuleConfig]:
    """ModuleConfig for every module the plan's `configuration` describes (no locals,
    no dynamic blocks: the plan does not keep them)."""
    out: dict[str, ModuleConfig] = {}

    def walk(module: dict, key: str) -> None:
        cfg = ModuleConfig(key)
        for res in module.get("resources", []):
            mode = res.get("mode", "managed")
            body = _config_body(res.get("expressions", {}))
            for meta in ("count_expression", "for_each_expression"):
                if meta in res:
                    body.attributes[
                        meta.split("_")[0] if meta == "count_expression" else "for_each"
                    ] = _expression_node(res[meta])
            cfg.resources[(mode, res["type"], res["name"])] = body
        for name, var in (module.get("variables") or {}).items():
            vbody = Body()
            if "default" in var:
                vbody.attributes["default"] = ("lit", var["default"])
            cfg.variables[name] = vbody
        for name, out_ in (module.get("outputs") or {}).items():
            obody = Body()
            obody.attributes["value"] = _expression_node(out_.get("expression") or {})
            cfg.outputs[name] = obody
        for name, call in (module.get("module_calls") or {}).items():
            cbody = _config_body(call.get("expressions", {}))
            for meta in ("count_expression", "for_each_expression"):
                if meta in call:
                    cbody.attributes["count" if meta == "count_expression" else "for_each"] = (
                        _expression_node(call[meta])
                    )
            cfg.calls[name] = cbody
            walk(call.get("module", {}), f"{key}.{name}" if key else name)
        cfg.errors.append("read from the plan's configuration: no locals, no dynamic blocks")
        out[key] = cfg

    walk((plan.get("configuration") or {}).get("root_module", {}), "")
    return out

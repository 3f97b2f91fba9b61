"""A parser for Terraform's HCL native syntax: bodies, blocks, and expressions as small trees.

Why our own: python-hcl2 (lark) parsed terraform-aws-modules' vpc main.tf (60 kB) in about
2 s on our 2-core build machines, and a root built from community modules holds ~10 such
files: ten seconds of parsing per plan. This scanner does the same work in a fraction of
that. It covers the native syntax Terraform accepts (templates with interpolations and
directives, heredocs, for expressions, splats, conditionals, operators); what it does not
understand raises HclError, and the evaluator then treats that file's values as unknown.

Expression nodes are tuples whose first item names the kind:

    ("lit", value)                      number, bool, null, or a string without interpolation
    ("tmpl", parts)                     parts: str | node | ("%if", c, then, else)
                                        | ("%for", k, v, coll, body)
    ("var", name)                       a root name: var, local, module, aws_x, each, count...
    ("attr", obj, name)                 obj.name
    ("index", obj, key)                 obj[key]
    ("splat", obj, ops)                 obj[*] / obj.* followed by ops (("attr", name) or
                                        ("index", key)) applied to each element
    ("call", name, args, expand)        name(args...), `expand` when the last ends in `...`
    ("tuple", items)
    ("object", [(key, value), ...])     a bare identifier key is ("lit", "name")
    ("cond", c, a, b)
    ("binop", op, a, b)
    ("unop", op, a)
    ("for", kvar, vvar, coll, key, value, cond, group)   key is None for [for ...]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Block", "Body", "HclError", "parse", "parse_expression"]


class HclError(ValueError):
    """The text is not HCL this parser understands (message: file:line: what)."""


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    line: int = 0


@dataclass
class Body:
    attributes: dict[str, Any] = field(default_factory=dict)  # name -> expression node
    blocks: list[Block] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # attribute name -> line

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_SPACE = re.compile(r"(?:[ \t\r]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)
_SPACE_NL = re.compile(r"(?:[ \t\r\n]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_OPS = ("==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%")
_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class _Parser:
    def __init__(self, text: str, name: str = "<hcl>"):
        self.s = text
        self.i = 0
        self.name = name

    # -- scanning ------------------------------------------------------------------------

    def error(self, what: str) -> HclError:
        line = self.s.count("\n", 0, self.i) + 1
        return HclError(f"{self.name}:{line}: {what}")

    def line(self) -> int:
        return self.s.count("\n", 0, self.i) + 1

    def ws(self, newlines: bool = False) -> None:
        self.i = (_SPACE_NL if newlines else _SPACE).match(self.s, self.i).end()

    def peek(self, text: str) -> bool:
        return self.s.startswith(text, self.i)

    def eat(self, text: str) -> bool:
        if self.s.startswith(text, self.i):
            self.i += len(text)
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.eat(text):
            got = self.s[self.i : self.i + 20].split("\n")[0]
            raise self.error(f"expected {text!r}, found {got!r}")

    def ident(self) -> str | None:
        m = _IDENT.match(self.s, self.i)
        if not m:
            return None
        self.i = m.end()
        return m.group(0)

    # -- bodies --------------------------------------------------------------------------

    def body(self, closing: str | None = None) -> Body:
        body = Body()
        while True:
            self.ws(newlines=True)
            if self.i >= len(self.s):
                if closing:
                    raise self.error(f"missing {closing!r}")
                return body
            if closing and self.eat(closing):
                return body
            line = self.line()
            name = self.ident()
            if name is None:
                got = self.s[self.i : self.i + 20].split("\n")[0]
                raise self.error(f"expected an attribute or block, found {got!r}")
            self.ws()
            if self.peek("=") and not self.peek("=="):
                self.i += 1
                self.ws()
                body.attributes[name] = self.expression()
                body.lines[name] = line
                self.ws()
                if not (self.eat("\n") or self.peek("}") or self.i >= len(self.s)):
                    raise self.error(f"unexpected text after attribute {name}")
                continue
            labels: list[str] = []
            while not self.peek("{"):
                if self.peek('"'):
                    labels.append(self.quoted_label())
                else:
                    label = self.ident()
                    if label is None:
                        raise self.error(f"expected a block label or '{{' after {name}")
                    labels.append(label)
                self.ws()
            self.expect("{")
            body.blocks.append(Block(name, tuple(labels), self.body("}"), line))

    def quoted_label(self) -> str:
        node = self.string()
        if node[0] != "lit":
            raise self.error("a block label cannot hold an interpolation")
        return node[1]

    # -- expressions ---------------------------------------------------------------------

    def expression(self) -> tuple:
        cond = self.binary(0)
        self.ws()
        if self.peek("?"):
            self.i += 1
            self.ws(newlines=True)
            a = self.expression()
            self.ws(newlines=True)
            self.expect(":")
            self.ws(newlines=True)
            b = self.expression()
            return ("cond", cond, a, b)
        return cond

    def operator(self) -> str | None:
        for op in _OPS:
            if self.s.startswith(op, self.i):
                # `=>` and `==`/`!=`, `<<` heredocs and `/*` comments are not binary ops
                if op == "<" and self.s.startswith("<<", self.i):
                    return None
                if op == "/" and self.s.startswith(("/*", "//"), self.i):
                    return None
                return op
        return None

    def binary(self, min_prec: int) -> tuple:
        left = self.unary()
        while True:
            save = self.i
            self.ws()
            op = self.operator()
            if op is None or _PRECEDENCE[op] < min_prec:
                self.i = save
                return left
            self.i += len(op)
            self.ws(newlines=True)
            right = self.binary(_PRECEDENCE[op] + 1)
            left = ("binop", op, left, right)

    def unary(self) -> tuple:
        self.ws()
        if self.peek("!") and not self.peek("!="):
            self.i += 1
            return ("unop", "!", self.unary())
        if self.peek("-"):
            self.i += 1
            return ("unop", "-", self.unary())
        return self.postfix(self.primary())

    def postfix(self, node: tuple) -> tuple:
        while True:
            if self.peek(".*"):
                self.i += 2
                node = ("splat", node, self.splat_ops(attr_only=True))
            elif self.peek("[*]"):
                self.i += 3
                node = ("splat", node, self.splat_ops(attr_only=False))
            elif self.peek(".") and not self.peek(".."):
                self.i += 1
                m = _NUMBER.match(self.s, self.i)
                if m and m.group(0).isdigit():
                    self.i = m.end()
                    node = ("index", node, ("lit", int(m.group(0))))
                    continue
                name = self.ident()
                if name is None:
                    raise self.error("expected an attribute name after '.'")
                node = ("attr", node, name)
            elif self.peek("["):
                self.i += 1
                self.ws(newlines=True)
                key = self.expression()
                self.ws(newlines=True)
                self.expect("]")
                node = ("index", node, key)
            else:
                return node

    def splat_ops(self, attr_only: bool) -> list[tuple]:
        ops: list[tuple] = []
        while True:
            if self.peek(".") and not self.peek("..") and not self.peek(".*"):
                self.i += 1
                name = self.ident()
                if name is None:
                    m = _NUMBER.match(self.s, self.i)
                    if not m:
                        raise self.error("expected an attribute after a splat")
                    self.i = m.end()
                    ops.append(("index", ("lit", int(m.group(0)))))
                    continue
                ops.append(("attr", name))
            elif not attr_only and self.peek("[") and not self.peek("[*]"):
                self.i += 1
                key = self.expression()
                self.expect("]")
                ops.append(("index", key))
            else:
                return ops

    def primary(self) -> tuple:
        self.ws()
        ch = self.s[self.i : self.i + 1]
        if ch == '"':
            return self.string()
        if ch == "(":
            self.i += 1
            self.ws(newlines=True)
            inner = self.expression()
            self.ws(newlines=True)
            self.expect(")")
            return inner
        if ch == "[":
            return self.tuple_or_for()
        if ch == "{":
            return self.object_or_for()
        if self.peek("<<"):
            return self.heredoc()
        m = _NUMBER.match(self.s, self.i)
        if m:
            self.i = m.end()
            text = m.group(0)
            return ("lit", float(text) if any(c in text for c in ".eE") else int(text))
        name = self.ident()
        if name is None:
            got = self.s[self.i : self.i + 20].split("\n")[0]
            raise self.error(f"expected an expression, found {got!r}")
        if name in ("true", "false"):
            return ("lit", name == "true")
        if name == "null":
            return ("lit", None)
        if self.peek("::"):  # provider::aws::arn_parse(...)
            while self.eat("::"):
                name += "::" + (self.ident() or "")
        if self.peek("("):
            return self.call(name)
        return ("var", name)

    def call(self, name: str) -> tuple:
        self.expect("(")
        args: list[tuple] = []
        expand = False
        while True:
            self.ws(newlines=True)
            if self.eat(")"):
                break
            args.append(self.expression())
            self.ws(newlines=True)
            if self.eat("..."):
                expand = True
                self.ws(newlines=True)
            if self.eat(","):
                continue
            self.ws(newlines=True)
            self.expect(")")
            break
        return ("call", name, args, expand)

    def _for_intro(self) -> tuple[str | None, str, tuple] | None:
        save = self.i
        self.ws(newlines=True)
        m = _IDENT.match(self.s, self.i)
        if not m or m.group(0) != "for":
            self.i = save
            return None
        self.i += 3
        self.ws()
        first = self.ident()
        self.ws()
        second = None
        if self.eat(","):
            self.ws()
            second = self.ident()
            self.ws()
        if not first or self.ident() != "in":
            raise self.error("malformed for expression")
        self.ws(newlines=True)
        coll = self.expression()
        self.ws(newlines=True)
        self.expect(":")
        self.ws(newlines=True)
        return (first, second, coll) if second else (None, first, coll)

    def _for_tail(self) -> tuple | None:
        self.ws(newlines=True)
        m = _IDENT.match(self.s, self.i)
        if m and m.group(0) == "if":
            self.i += 2
            self.ws(newlines=True)
            return self.expression()
        return None

    def tuple_or_for(self) -> tuple:
        self.expect("[")
        intro = self._for_intro()
        if intro:
            kvar, vvar, coll = intro
            value = self.expression()
            cond = self._for_tail()
            self.ws(newlines=True)
            self.expect("]")
            return ("for", kvar, vvar, coll, None, value, cond, False)
        items: list[tuple] = []
        while True:
            self.ws(newlines=True)
            if self.eat("]"):
                return ("tuple", items)
            items.append(self.expression())
            self.ws(newlines=True)
            if not self.eat(","):
                self.ws(newlines=True)
                self.expect("]")
                return ("tuple", items)

    def object_or_for(self) -> tuple:
        self.expect("{")
        intro = self._for_intro()
        if intro:
            kvar, vvar, coll = intro
            key = self.expression()
            self.ws(newlines=True)
            self.expect("=>")
            self.ws(newlines=True)
            value = self.expression()
            group = self.eat("...")
            cond = self._for_tail()
            self.ws(newlines=True)
            self.expect("}")
            return ("for", kvar, vvar, coll, key, value, cond, group)
        elems: list[tuple[tuple, tuple]] = []
        while True:
            self.ws(newlines=True)
            if self.eat("}"):
                return ("object", elems)
            save = self.i
            name = self.ident()
            if name is not None:
                self.ws()
                if self.peek("=") and not self.peek("==") and not self.peek("=>"):
                    key: tuple = ("lit", name)
                elif self.peek(":") and not self.peek("::"):
                    key = ("lit", name)
                else:
                    self.i = save
                    key = self.expression()
            else:
                key = self.expression()
            self.ws()
            if not (self.eat("=") or self.eat(":")):
                raise self.error("expected '=' or ':' in an object")
            self.ws(newlines=True)
            value = self.expression()
            elems.append((key, value))
            self.ws()
            self.eat(",")

    # -- strings and templates -----------------------------------------------------------

    def string(self) -> tuple:
        self.expect('"')
        parts = self.template_parts(closing='"')
        return _template(parts)

    def template_parts(self, closing: str | None, heredoc_end: int | None = None) -> list:
        """Template parts up to `closing` (a quoted string) or position `heredoc_end`."""
        parts: list = []
        buf: list[str] = []
        stack: list[tuple] = []  # open %{if}/%{for} directives: (kind, node, parts_before)
        end = heredoc_end if heredoc_end is not None else len(self.s)
        while True:
            if self.i >= end:
                if closing is not None:
                    raise self.error("unterminated string")
                break
            ch = self.s[self.i]
            if closing is not None and ch == closing:
                self.i += 1
                break
            if closing is not None and ch == "\\":
                nxt = self.s[self.i + 1 : self.i + 2]
                if nxt == "u" or nxt == "U":
                    width = 4 if nxt == "u" else 8
                    buf.append(chr(int(self.s[self.i + 2 : self.i + 2 + width], 16)))
                    self.i += 2 + width
                else:
                    buf.append(_ESCAPES.get(nxt, nxt))
                    self.i += 2
                continue
            if self.s.startswith("$${", self.i) or self.s.startswith("%%{", self.i):
                buf.append(self.s[self.i + 1 : self.i + 3])
                self.i += 3
                continue
            if self.s.startswith("${", self.i):
                self.i += 2
                self.eat("~")
                self.ws(newlines=True)
                node = self.expression()
                self.ws(newlines=True)
                self.eat("~")
                self.expect("}")
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(node)
                continue
            if self.s.startswith("%{", self.i):
                if buf:
                    parts.append("".join(buf))
                    buf = []
                self.i += 2
                self.eat("~")
                self.ws()
                word = self.ident()
                self.ws()
                if word == "if":
                    cond = self.expression()
                    stack.append(("if", [cond, None, None], parts))
                    parts = []
                elif word == "else":
                    if not stack or stack[-1][0] != "if":
                        raise self.error("%{else} without %{if}")
                    stack[-1][1][1] = parts
                    parts = []
                elif word == "endif":
                    if not stack or stack[-1][0] != "if":
                        raise self.error("%{endif} without %{if}")
                    _, data, before = stack.pop()
                    then, other = (data[1], parts) if data[1] is not None else (parts, [])
                    before.append(("%if", data[0], then, other))
                    parts = before
                elif word == "for":
                    first = self.ident()
                    self.ws()
                    second = None
                    if self.eat(","):
                        self.ws()
                        second = self.ident()
                        self.ws()
                    if self.ident() != "in":
                        raise self.error("malformed %{for}")
                    self.ws()
                    coll = self.expression()
                    kv = (first, second) if second else (None, first)
                    stack.append(("for", [kv, coll], parts))
                    parts = []
                elif word == "endfor":
                    if not stack or stack[-1][0] != "for":
                        raise self.error("%{endfor} without %{for}")
                    _, data, before = stack.pop()
                    (kvar, vvar), coll = data
                    before.append(("%for", kvar, vvar, coll, parts))
                    parts = before
                else:
                    raise self.error(f"unknown template directive {word!r}")
                self.ws()
                self.eat("~")
                self.expect("}")
                continue
            buf.append(ch)
            self.i += 1
        if stack:
            raise self.error("unterminated template directive")
        if buf:
            parts.append("".join(buf))
        return parts

    def heredoc(self) -> tuple:
        m = _HEREDOC.match(self.s, self.i)
        if not m:
            raise self.error("malformed heredoc")
        indent, marker = m.group(1) == "-", m.group(2)
        end = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", re.M).search(self.s, m.end())
        if end is None:
            raise self.error(f"heredoc {marker} is never closed")
        raw = self.s[m.end() : end.start()]
        if indent:
            lines = raw.split("\n")
            widths = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
            cut = min(widths) if widths else 0
            raw = "\n".join(x[cut:] for x in lines)
        sub = _Parser(raw, self.name)
        parts = sub.template_parts(closing=None)
        self.i = end.end()
        return _template(parts)


def _template(parts: list) -> tuple:
    if not parts:
        return ("lit", "")
    if len(parts) == 1 and isinstance(parts[0], str):
        return ("lit", parts[0])
    if len(parts) == 1 and isinstance(parts[0], tuple) and parts[0][0] not in ("%if", "%for"):
        return ("tmpl", parts)  # "${x}" keeps x's type in Terraform: evaluator unwraps
    return ("tmpl", parts)


def parse(text: str, name: str = "<hcl>") -> Body:
    """The body of one .tf file."""
    parser = _Parser(text, name)
    return parser.body()


def parse_template(text: str, name: str = "<template>") -> tuple:
    """A template file (templatefile()): its whole text is one template."""
    return _template(_Parser(text, name).template_parts(closing=None))


def parse_expression(text: str, name: str = "<expr>") -> tuple:
    parser = _Parser(text, name)
    node = parser.expression()
    parser.ws(newlines=True)
    if parser.i != len(text):
        raise parser.error("unexpected text after the expression")
    return node

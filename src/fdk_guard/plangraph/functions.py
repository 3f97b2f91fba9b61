"""Terraform's built-in functions, as far as checks need them, over values with unknowns.

A function given an unknown argument returns an unknown that depends on it, except where
Terraform itself can answer (length of a list of unknowns, coalesce of a known first
value, merge of known keys...). A function this table lacks makes its result unknown
("cannot evaluate <name>()"), never a guess. `try` and `can` are special forms of the
evaluator, not listed here.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import re
from collections.abc import Callable
from typing import Any

from fdk_guard.plangraph.values import (
    EvalError,
    Unknown,
    has_unknown,
    is_scalar_unknown,
    is_unknown,
)

Function = Callable[..., Any]


def _num(v: Any) -> float | int:
    if isinstance(v, bool) or v is None:
        raise EvalError(f"a number is required, got {v!r}")
    if isinstance(v, int | float):
        return v
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            raise EvalError(f"a number is required, got {v!r}") from None
        return int(f) if f.is_integer() and "." not in v and "e" not in v.lower() else f
    raise EvalError(f"a number is required, got {type(v).__name__}")


def tostring(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if v is None:
        raise EvalError("a null value cannot be used as a string")
    raise EvalError(f"cannot convert {type(v).__name__} to string")


def _list(v: Any, what: str = "a list") -> list:
    if isinstance(v, list | tuple):
        return list(v)
    if isinstance(v, dict):
        raise EvalError(f"{what} is required, got an object")
    raise EvalError(f"{what} is required, got {v!r}")


def _strict(*names: str) -> Callable[[Function], Function]:
    """Decorator: the result is unknown when any argument holds an unknown."""

    def wrap(fn: Function) -> Function:
        def inner(*args: Any) -> Any:
            if any(has_unknown(a) for a in args):
                return Unknown.of(*args)
            return fn(*args)

        inner.__name__ = fn.__name__
        return inner

    return wrap


def _shallow(fn: Function) -> Function:
    """The result is unknown only when an argument is itself unknown (not a leaf inside)."""

    def inner(*args: Any) -> Any:
        if any(is_unknown(a) for a in args):
            return Unknown.of(*args)
        return fn(*args)

    inner.__name__ = fn.__name__
    return inner


# -- collections ----------------------------------------------------------------------


@_shallow
def f_length(v):
    if isinstance(v, str):
        return len(v)
    if isinstance(v, list | tuple | dict):
        return len(v)
    raise EvalError("length() needs a collection or string")


def f_concat(*lists):
    out: list = []
    for v in lists:
        if is_unknown(v):
            return Unknown.of(*lists)
        out += _list(v)
    return out


def _never_empty(x: Any) -> bool:
    """An unknown string that cannot be null or "": a JSON document, or a template with
    a literal piece."""
    if x.doc is not None:
        return True
    if x.ref is not None:  # an ID or ARN a provider sets is never empty
        last = str(x.ref[1][-1]) if x.ref[1] else ""
        return last == "id" or last.endswith(("_id", "arn", "_arn"))
    return bool(x.parts) and any(isinstance(p, str) and p for p in x.parts)


@_shallow
def f_compact(v):
    items = _list(v)
    if any(is_unknown(x) and not _never_empty(x) for x in items):
        return Unknown.of(v)
    return [x for x in items if is_unknown(x) or (x is not None and x != "")]


def _flatten(v: Any) -> list | Unknown:
    out: list = []
    for x in _list(v):
        if is_scalar_unknown(x):
            out.append(x)
            continue
        if is_unknown(x):
            return Unknown.of(v)
        if isinstance(x, list | tuple):
            sub = _flatten(x)
            if is_unknown(sub):
                return sub
            out += sub
        else:
            out.append(x)
    return out


f_flatten = _shallow(_flatten)


@_shallow
def f_element(v, i):
    items = _list(v)
    if not items:
        raise EvalError("element() on an empty list")
    return items[int(_num(i)) % len(items)]


@_shallow
def f_index(v, x):
    items = _list(v)
    if x in items:
        return items.index(x)
    raise EvalError("index(): value not in list")


@_shallow
def f_keys(m):
    if not isinstance(m, dict):
        raise EvalError("keys() needs a map")
    return sorted(m)


@_shallow
def f_values(m):
    if not isinstance(m, dict):
        raise EvalError("values() needs a map")
    return [m[k] for k in sorted(m)]


def f_lookup(m, key, *default):
    if is_unknown(m) or is_unknown(key):
        return Unknown.of(m, key, *default)
    if not isinstance(m, dict):
        raise EvalError("lookup() needs a map")
    k = tostring(key)
    if k in m:
        return m[k]
    if default:
        return default[0]
    raise EvalError(f"lookup(): no key {k!r}")


def f_merge(*maps):
    out: dict = {}
    for m in maps:
        if m is None:
            continue
        if is_unknown(m):
            return Unknown.of(*maps)
        if not isinstance(m, dict):
            raise EvalError("merge() needs maps or objects")
        out.update(m)
    return out


@_shallow
def f_contains(v, x):
    items = _list(v)
    if is_unknown(x) or any(is_unknown(i) for i in items):
        if x in items:
            return True
        return Unknown.of(v, x)
    return x in items


@_shallow
def f_distinct(v):
    out: list = []
    for x in _list(v):
        if is_unknown(x) and not is_scalar_unknown(x):
            return Unknown.of(v)
        if x not in out:
            out.append(x)
    return out


@_shallow
def f_toset(v):
    if isinstance(v, dict):
        raise EvalError("toset() needs a list")
    return f_distinct(v)


@_shallow
def f_tolist(v):
    if isinstance(v, dict):
        raise EvalError("tolist() needs a list")
    return _list(v)


@_shallow
def f_tomap(v):
    if not isinstance(v, dict):
        raise EvalError("tomap() needs a map")
    return dict(v)


@_shallow
def f_zipmap(ks, vs):
    ks, vs = _list(ks), _list(vs)
    if any(is_unknown(k) for k in ks):
        return Unknown.of(ks, vs)
    return {tostring(k): v for k, v in zip(ks, vs, strict=False)}


@_shallow
def f_slice(v, start, end):
    return _list(v)[int(_num(start)) : int(_num(end))]


@_shallow
def f_reverse(v):
    return list(reversed(_list(v)))


@_strict()
def f_sort(v):
    return sorted(tostring(x) for x in _list(v))


@_shallow
def f_one(v):
    items = _list(v)
    if len(items) > 1:
        raise EvalError("one() on a list of more than one element")
    return items[0] if items else None


@_strict()
def f_range(*args):
    nums = [_num(a) for a in args]
    if len(nums) == 1:
        start, end, step = 0, nums[0], 1
    elif len(nums) == 2:
        start, end, step = nums[0], nums[1], 1
    else:
        start, end, step = nums
    out, x = [], start
    while (step > 0 and x < end) or (step < 0 and x > end):
        out.append(x)
        x += step
        if len(out) > 100000:
            raise EvalError("range() too long")
    return out


def f_coalesce(*args):
    for a in args:
        if is_unknown(a):
            return Unknown.of(*args)
        if a is not None and a != "":
            return a
    raise EvalError("coalesce(): no non-null argument")


def f_coalescelist(*args):
    for a in args:
        if is_unknown(a):
            return Unknown.of(*args)
        if isinstance(a, list | tuple) and len(a):
            return list(a)
    return []


@_shallow
def f_setunion(*sets):
    out: list = []
    for s in sets:
        for x in _list(s):
            if x not in out:
                out.append(x)
    return out


@_shallow
def f_setintersection(first, *rest):
    out = [x for x in _list(first) if all(x in _list(r) for r in rest)]
    return out


@_shallow
def f_setsubtract(a, b):
    return [x for x in _list(a) if x not in _list(b)]


@_shallow
def f_setproduct(*sets):
    out: list = [[]]
    for s in sets:
        out = [prefix + [x] for prefix in out for x in _list(s)]
    return out


@_shallow
def f_chunklist(v, size):
    items, n = _list(v), int(_num(size))
    return [items[i : i + n] for i in range(0, len(items), n)] if n > 0 else [items]


@_shallow
def f_transpose(m):
    out: dict = {}
    for k, vs in m.items():
        for v in _list(vs):
            out.setdefault(tostring(v), []).append(k)
    return out


@_shallow
def f_matchkeys(values, keys, search):
    return [v for v, k in zip(_list(values), _list(keys), strict=False) if k in _list(search)]


@_shallow
def f_alltrue(v):
    items = _list(v)
    if any(is_unknown(x) for x in items):
        return Unknown.of(v)
    return all(x is True or x == "true" for x in items)


@_shallow
def f_anytrue(v):
    items = _list(v)
    if any(x is True or x == "true" for x in items if not is_unknown(x)):
        return True
    if any(is_unknown(x) for x in items):
        return Unknown.of(v)
    return False


@_strict()
def f_sum(v):
    return sum(_num(x) for x in _list(v))


# -- strings --------------------------------------------------------------------------


def _fmt_verb(verb: str, value: Any) -> str:
    if verb in ("s", "v"):
        return tostring(value) if not isinstance(value, dict | list) else json.dumps(value)
    if verb == "d":
        return str(int(_num(value)))
    if verb == "q":
        return json.dumps(tostring(value))
    if verb == "f":
        return f"{float(_num(value)):f}"
    if verb == "t":
        return "true" if value else "false"
    return tostring(value)


_VERB = re.compile(r"%(%|[-+ #0]*\d*(?:\.\d+)?[a-zA-Z])")


@_strict()
def f_format(spec, *args):
    it = iter(args)

    def sub(m: re.Match) -> str:
        if m.group(1) == "%":
            return "%"
        try:
            return _fmt_verb(m.group(1)[-1], next(it))
        except StopIteration:
            raise EvalError("format(): too few arguments") from None

    return _VERB.sub(sub, tostring(spec))


@_strict()
def f_formatlist(spec, *args):
    lists = [a for a in args if isinstance(a, list | tuple)]
    n = len(lists[0]) if lists else 1
    return [
        f_format(spec, *[a[i] if isinstance(a, list | tuple) else a for a in args])
        for i in range(n)
    ]


def f_join(sep, v):
    if is_unknown(sep) or is_unknown(v):
        return Unknown.of(sep, v)
    items = _list(v)
    if any(is_unknown(x) for x in items):
        parts: list = []
        for i, x in enumerate(items):
            if i:
                parts.append(tostring(sep))
            parts.append(x if is_unknown(x) else tostring(x))
        return Unknown(frozenset(), parts=tuple(parts))
    return tostring(sep).join(tostring(x) for x in items)


@_strict()
def f_split(sep, s):
    return tostring(s).split(tostring(sep))


def _str1(fn: Callable[[str], Any]) -> Function:
    @_strict()
    def inner(s):
        return fn(tostring(s))

    inner.__name__ = fn.__name__
    return inner


@_strict()
def f_replace(s, old, new):
    s, old, new = tostring(s), tostring(old), tostring(new)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        return re.sub(old[1:-1], re.sub(r"\$\{?(\d+)\}?", r"\\\1", new), s)
    return s.replace(old, new)


@_strict()
def f_substr(s, offset, length):
    s, o, n = tostring(s), int(_num(offset)), int(_num(length))
    if o < 0:
        o = len(s) + o
    return s[o:] if n < 0 else s[o : o + n]


@_strict()
def f_trimprefix(s, p):
    s, p = tostring(s), tostring(p)
    return s[len(p) :] if p and s.startswith(p) else s


@_strict()
def f_trimsuffix(s, p):
    s, p = tostring(s), tostring(p)
    return s[: -len(p)] if p and s.endswith(p) else s


@_strict()
def f_trim(s, chars):
    return tostring(s).strip(tostring(chars))


def f_startswith(s, p):
    if is_unknown(p):
        return Unknown.of(s, p)
    if is_unknown(s):
        if s.parts and isinstance(s.parts[0], str) and s.parts[0].startswith(tostring(p)):
            return True
        return Unknown.of(s, p)
    return tostring(s).startswith(tostring(p))


@_strict()
def f_endswith(s, p):
    return tostring(s).endswith(tostring(p))


@_strict()
def f_strcontains(s, p):
    return tostring(p) in tostring(s)


@_strict()
def f_regex(pattern, s):
    m = re.search(tostring(pattern), tostring(s))
    if not m:
        raise EvalError("regex(): no match")
    if m.groupdict():
        return m.groupdict()
    return list(m.groups()) if m.groups() else m.group(0)


@_strict()
def f_regexall(pattern, s):
    return [
        m.group(0) if not m.groups() else list(m.groups())
        for m in re.finditer(tostring(pattern), tostring(s))
    ]


@_strict()
def f_tonumber(v):
    return None if v is None else _num(v)


def f_tostring(v):
    if is_unknown(v):
        return Unknown.of(v) if not v.ref else v
    return None if v is None else tostring(v)


@_strict()
def f_tobool(v):
    if v is None or isinstance(v, bool):
        return v
    if v in ("true", "false"):
        return v == "true"
    raise EvalError(f"tobool(): {v!r} is not a bool")


# -- encoding -------------------------------------------------------------------------


def f_jsonencode(v):
    if is_unknown(v):
        return Unknown.of(v) if v.doc is None else v
    if has_unknown(v):
        return Unknown(frozenset(), reason="a JSON document with values known after apply", doc=v)
    return json.dumps(_plain(v), separators=(",", ":"))


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def f_jsondecode(s):
    if is_unknown(s):
        return s.doc if s.doc is not None else Unknown.of(s)
    try:
        return json.loads(tostring(s))
    except ValueError as err:
        raise EvalError(f"jsondecode(): {err}") from None


@_strict()
def f_base64encode(s):
    return base64.b64encode(tostring(s).encode()).decode()


@_strict()
def f_base64decode(s):
    return base64.b64decode(tostring(s)).decode(errors="replace")


def _hash(name: str) -> Function:
    @_strict()
    def inner(s):
        return hashlib.new(name, tostring(s).encode()).hexdigest()

    return inner


# -- numbers --------------------------------------------------------------------------


@_strict()
def f_max(*v):
    return max(_num(x) for x in v)


@_strict()
def f_min(*v):
    return min(_num(x) for x in v)


@_strict()
def f_abs(v):
    return abs(_num(v))


@_strict()
def f_ceil(v):
    return math.ceil(_num(v))


@_strict()
def f_floor(v):
    return math.floor(_num(v))


@_strict()
def f_pow(a, b):
    return _num(a) ** _num(b)


@_strict()
def f_signum(v):
    n = _num(v)
    return (n > 0) - (n < 0)


@_strict()
def f_parseint(s, base):
    return int(tostring(s), int(_num(base)))


# -- network --------------------------------------------------------------------------


@_strict()
def f_cidrsubnet(prefix, newbits, netnum):
    net = ipaddress.ip_network(tostring(prefix), strict=False)
    new_prefix = net.prefixlen + int(_num(newbits))
    if new_prefix > net.max_prefixlen:
        raise EvalError("cidrsubnet(): not enough bits")
    size = 2 ** (net.max_prefixlen - new_prefix)
    base = int(net.network_address) + int(_num(netnum)) * size
    return str(ipaddress.ip_network((base, new_prefix)))


@_strict()
def f_cidrsubnets(prefix, *bits):
    net = ipaddress.ip_network(tostring(prefix), strict=False)
    out, current = [], int(net.network_address)
    for b in bits:
        new_prefix = net.prefixlen + int(_num(b))
        size = 2 ** (net.max_prefixlen - new_prefix)
        current = ((current + size - 1) // size) * size
        out.append(str(ipaddress.ip_network((current, new_prefix))))
        current += size
    return out


@_strict()
def f_cidrhost(prefix, hostnum):
    net = ipaddress.ip_network(tostring(prefix), strict=False)
    return str(net.network_address + int(_num(hostnum)))


@_strict()
def f_cidrnetmask(prefix):
    return str(ipaddress.ip_network(tostring(prefix), strict=False).netmask)


# -- the table ------------------------------------------------------------------------

FUNCTIONS: dict[str, Function] = {
    "length": f_length,
    "concat": f_concat,
    "compact": f_compact,
    "flatten": f_flatten,
    "element": f_element,
    "index": f_index,
    "keys": f_keys,
    "values": f_values,
    "lookup": f_lookup,
    "merge": f_merge,
    "contains": f_contains,
    "distinct": f_distinct,
    "toset": f_toset,
    "tolist": f_tolist,
    "tomap": f_tomap,
    "zipmap": f_zipmap,
    "slice": f_slice,
    "reverse": f_reverse,
    "sort": f_sort,
    "one": f_one,
    "range": f_range,
    "coalesce": f_coalesce,
    "coalescelist": f_coalescelist,
    "setunion": f_setunion,
    "setintersection": f_setintersection,
    "setsubtract": f_setsubtract,
    "setproduct": f_setproduct,
    "chunklist": f_chunklist,
    "transpose": f_transpose,
    "matchkeys": f_matchkeys,
    "alltrue": f_alltrue,
    "anytrue": f_anytrue,
    "sum": f_sum,
    "format": f_format,
    "formatlist": f_formatlist,
    "join": f_join,
    "split": f_split,
    "lower": _str1(str.lower),
    "upper": _str1(str.upper),
    "title": _str1(str.title),
    "chomp": _str1(lambda s: s.rstrip("\r\n")),
    "trimspace": _str1(str.strip),
    "strrev": _str1(lambda s: s[::-1]),
    "replace": f_replace,
    "substr": f_substr,
    "trimprefix": f_trimprefix,
    "trimsuffix": f_trimsuffix,
    "trim": f_trim,
    "startswith": f_startswith,
    "endswith": f_endswith,
    "strcontains": f_strcontains,
    "regex": f_regex,
    "regexall": f_regexall,
    "tonumber": f_tonumber,
    "tostring": f_tostring,
    "tobool": f_tobool,
    "jsonencode": f_jsonencode,
    "jsondecode": f_jsondecode,
    "base64encode": f_base64encode,
    "base64decode": f_base64decode,
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "max": f_max,
    "min": f_min,
    "abs": f_abs,
    "ceil": f_ceil,
    "floor": f_floor,
    "pow": f_pow,
    "signum": f_signum,
    "parseint": f_parseint,
    "cidrsubnet": f_cidrsubnet,
    "cidrsubnets": f_cidrsubnets,
    "cidrhost": f_cidrhost,
    "cidrnetmask": f_cidrnetmask,
    # values the evaluator passes through unchanged
    "nonsensitive": lambda v: v,
    "sensitive": lambda v: v,
    "type": lambda v: Unknown.of(v, reason="type() is not evaluated"),
}

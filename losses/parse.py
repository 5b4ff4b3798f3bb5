"""Safe parsing of tensors typed by users: nested lists of numbers, no eval, bounded size.

The grammar is tiny (numbers, brackets/parentheses, commas, whitespace), so a hand-written tokenizer
with an explicit stack is enough; no recursion, so deep nesting cannot blow the stack.

What a Chinese keyboard types is read as its ASCII twin (see `_ascii_twins`): full-width forms, the
brackets an IME gives for '[' and ']', the enumeration comma, the ideographic full stop between two digits,
the minus sign U+2212 and any Unicode space. Everything else stays refused: no NFKC, which would read
'1²' as 12 or '①' as 1.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .errors import InputError

MAX_TEXT = 20_000       # characters a user may type into one field
MAX_ELEMENTS = 4_096    # numbers in one tensor: the page evaluates live on every keystroke
MAX_DEPTH = 5           # nesting levels, i.e. tensor dimensions
MAX_ABS = 1e6           # larger magnitudes make curves and NumPy steps meaningless

_TOKEN = re.compile(r"[ \t\n\r\f\v]*(?:(?P<open>[\[(])|(?P<close>[\])])|(?P<comma>,)|"
                    r"(?P<num>[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:nan|inf|infinity)))",
                    re.IGNORECASE | re.ASCII)
_IDEOGRAPHIC_DECIMAL = re.compile(r"(?<=[0-9])\u3002(?=[0-9])")  # "2。5": the IME's '.' key between digits


@lru_cache(maxsize=1)
def _ascii_twins() -> dict[int, str]:
    """One character for one character, so an error can quote the user's own text at the same position."""
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}  # full-width ASCII forms
    table.update({0x3010: "[", 0x3011: "]",      # 【 】: what '[' and ']' give in a Chinese IME
                  0x3001: ",",                   # ideographic (enumeration) comma
                  0x2212: "-", 0xFE63: "-"})     # minus sign, small hyphen-minus
    return table


def to_ascii(text: str) -> str:
    """Full-width and IME punctuation to ASCII, every Unicode space to ' '; same length as `text`."""
    text = _IDEOGRAPHIC_DECIMAL.sub(".", text.translate(_ascii_twins()))
    return "".join(" " if c.isspace() else c for c in text)


def _escape(text: str) -> str:
    """Show a fragment of user text literally inside a markdown message."""
    return "`" + text.replace("`", "'")[:20] + "`"


def parse_tensor_text(text: str, name: str = "input") -> float | list:
    """Parse '[[1, 2], [3, 4]]' into nested lists of floats. Raises InputError with a clear message."""
    if not isinstance(text, str):
        raise InputError("parse.not_text", name=name)
    if len(text) > MAX_TEXT:
        raise InputError("parse.too_long", name=name, n=len(text), limit=MAX_TEXT)
    original = text.strip()
    stripped = to_ascii(original)  # same length: positions in one are positions in the other
    if not stripped:
        raise InputError("parse.empty", name=name)
    stack: list[list] = []
    root: list = []
    current = root
    count = 0
    pos = 0
    expect_value = True
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if not m:
            bad = original[pos:].lstrip()
            raise InputError("parse.unreadable", name=name, bad=_escape(bad))
        pos = m.end()
        if m.group("open"):
            if not expect_value:
                raise InputError("parse.comma_before_open", name=name)
            if len(stack) >= MAX_DEPTH:
                raise InputError("parse.too_deep", name=name, depth=MAX_DEPTH)
            new: list = []
            current.append(new)
            stack.append(current)
            current = new
            expect_value = True
        elif m.group("close"):
            if not stack:
                raise InputError("parse.unmatched_close", name=name)
            if expect_value and current:
                raise InputError("parse.number_after_comma", name=name)
            current = stack.pop()
            expect_value = False
        elif m.group("comma"):
            if expect_value:
                raise InputError("parse.number_before_comma", name=name)
            expect_value = True
        else:
            if not expect_value:
                raise InputError("parse.comma_between", name=name)
            value = _number(m.group("num"), name)
            count += 1
            if count > MAX_ELEMENTS:
                raise InputError("parse.too_many", name=name, limit=MAX_ELEMENTS)
            current.append(value)
            expect_value = False
    if stack:
        raise InputError("parse.unclosed", name=name, n=len(stack))
    if len(root) != 1:
        raise InputError("parse.several", name=name)
    value = root[0]
    check_rectangular(value, name)
    return value


def _number(token: str, name: str) -> float:
    value = float(token)
    if math.isnan(value):
        raise InputError("parse.nan", name=name)
    if not math.isfinite(value) or abs(value) > MAX_ABS:
        raise InputError("parse.too_large", name=name, number=_escape(token), limit=MAX_ABS)
    return value


def check_rectangular(value, name: str) -> tuple[int, ...]:
    """Return the shape of a nested list, or raise InputError naming the first ragged row."""
    if not isinstance(value, list):
        return ()
    if not value:
        return (0,)
    shapes = [check_rectangular(v, name) for v in value]
    for i, s in enumerate(shapes[1:], start=1):
        if s != shapes[0]:
            raise InputError("parse.ragged", name=name, i=i, shape=_fmt(s), first=_fmt(shapes[0]))
    return (len(value),) + shapes[0]


def _fmt(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def format_tensor_text(value) -> str:
    """Inverse of parse_tensor_text for what the examples show: compact, with rows on one line each."""
    if isinstance(value, list):
        if value and isinstance(value[0], list) and isinstance(value[0][0] if value[0] else None, list):
            return "[" + ",\n ".join(format_tensor_text(v) for v in value) + "]"
        if value and isinstance(value[0], list):
            return "[" + ",\n ".join(format_tensor_text(v) for v in value) + "]"
        return "[" + ", ".join(_num(v) for v in value) + "]"
    return _num(value)


def _num(v) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(round(f, 6))

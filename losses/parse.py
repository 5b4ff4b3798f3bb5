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
        raise InputError(f"`{name}` must be text.", f"`{name}` 必须是文本。")
    if len(text) > MAX_TEXT:
        raise InputError(f"`{name}` is too long ({len(text):,} characters, limit {MAX_TEXT:,}).",
                         f"`{name}` 太长（{len(text):,} 个字符，上限 {MAX_TEXT:,}）。")
    original = text.strip()
    stripped = to_ascii(original)  # same length: positions in one are positions in the other
    if not stripped:
        raise InputError(f"`{name}` is empty: type a number or a list such as [1, 2, 3].",
                         f"`{name}` 为空：请输入一个数或列表，例如 [1, 2, 3]。")
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
            raise InputError(
                f"`{name}`: cannot read {_escape(bad)} — use numbers, commas and square brackets, e.g. [[1, 2], [3, 4]] "
                "(full-width commas, brackets and minus signs work too).",
                f"`{name}`：无法识别 {_escape(bad)} —— 只能使用数字、逗号和方括号，例如 [[1, 2], [3, 4]]"
                "（全角的 ，［］－ 和 【】 也可以）。")
        pos = m.end()
        if m.group("open"):
            if not expect_value:
                raise InputError(f"`{name}`: a comma is missing before a '['.", f"`{name}`：'[' 前缺少逗号。")
            if len(stack) >= MAX_DEPTH:
                raise InputError(f"`{name}` is nested more than {MAX_DEPTH} levels deep.",
                                 f"`{name}` 的嵌套超过 {MAX_DEPTH} 层。")
            new: list = []
            current.append(new)
            stack.append(current)
            current = new
            expect_value = True
        elif m.group("close"):
            if not stack:
                raise InputError(f"`{name}`: a ']' has no matching '['.", f"`{name}`：']' 没有对应的 '['。")
            if expect_value and current:
                raise InputError(f"`{name}`: a number is missing after a comma.", f"`{name}`：逗号后缺少数字。")
            current = stack.pop()
            expect_value = False
        elif m.group("comma"):
            if expect_value:
                raise InputError(f"`{name}`: a number is missing before a comma.", f"`{name}`：逗号前缺少数字。")
            expect_value = True
        else:
            if not expect_value:
                raise InputError(f"`{name}`: a comma is missing between two numbers.",
                                 f"`{name}`：两个数字之间缺少逗号。")
            value = float(m.group("num"))
            if math.isnan(value):
                raise InputError(f"`{name}` contains NaN (not a number); use finite numbers.",
                                 f"`{name}` 含有 NaN（非数字）；请使用有限的数值。")
            if not math.isfinite(value) or abs(value) > MAX_ABS:
                raise InputError(f"`{name}` contains {_escape(m.group('num'))}, outside ±{MAX_ABS:g}.",
                                 f"`{name}` 含有 {_escape(m.group('num'))}，超出 ±{MAX_ABS:g} 的范围。")
            count += 1
            if count > MAX_ELEMENTS:
                raise InputError(f"`{name}` has more than {MAX_ELEMENTS:,} numbers; use a smaller example.",
                                 f"`{name}` 超过 {MAX_ELEMENTS:,} 个数；请使用更小的例子。")
            current.append(value)
            expect_value = False
    if stack:
        raise InputError(f"`{name}`: {len(stack)} '[' not closed.", f"`{name}`：有 {len(stack)} 个 '[' 没有闭合。")
    if len(root) != 1:
        raise InputError(f"`{name}`: wrap several values in one list, e.g. [1, 2, 3].",
                         f"`{name}`：多个值请放在一个列表里，例如 [1, 2, 3]。")
    value = root[0]
    check_rectangular(value, name)
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
            raise InputError(
                f"`{name}` is ragged: row {i} has shape {_fmt(s)} but row 0 has {_fmt(shapes[0])}; every row needs the same length.",
                f"`{name}` 各行长度不一：第 {i} 行形状为 {_fmt(s)}，第 0 行为 {_fmt(shapes[0])}；每行长度必须相同。")
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

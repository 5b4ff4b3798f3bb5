"""reduce() with the divisor's words as a message (losses/text.py) instead of an English/Chinese pair.

Transition: reference/common.py's reduce() still takes divisor_en / divisor_zh; once it takes a message, the
callers pass `words` to it directly and this module goes away.
"""
from __future__ import annotations

from ..text import Msg
from .common import reduce


def reduce_by(per_element, reduction: str, steps: list, divisor: float, words: Msg):
    """torch's reduction of the elementwise losses; an averaging one divides by `divisor` (`words` says what)."""
    return reduce(per_element, reduction, steps, divisor=divisor,
                  divisor_en=words.text("en"), divisor_zh=words.text("zh"))

"""Label: a message (losses/text.py) for what a plot shows: curve axes, series names, markers.

The plot code still reads these as {lang: words} (label["en"], label.get(lang)); a Label answers both from
the catalog, so the words live in content/<lang>/ and the UI can move to ui.i18n.tr() at its own pace.
"""
from __future__ import annotations

from .text import Msg


class Label(Msg):
    """A Msg that can also be read like the old {"en": …, "zh": …} dicts (equal and hashable by key)."""

    def __getitem__(self, lang: str) -> str:
        return self.text(lang)

    def get(self, lang: str, default=None) -> str:
        return self.text(lang)


def L(key: str, /, **args) -> Label:  # noqa: N802 (like M: specs use it on every curve label)
    return Label(key, tuple(sorted(args.items())))

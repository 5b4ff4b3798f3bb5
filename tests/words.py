"""Words the tests need without writing them in Python (issue 17): test input kept in tests/data/*.toml (what a
Chinese student types, a throw-away loss's content, a table copied from the notes), and the fixed opening words
of a catalog string whose placeholders a test cannot predict. What the app shows comes from its own catalog
(ui.i18n.t, losses.text.text), so a test follows a change of wording there."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from losses.text import text

DATA = Path(__file__).resolve().parent / "data"


@cache
def data(name: str) -> dict:
    """tests/data/<name>.toml."""
    with open(DATA / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def opening(key: str, lang: str) -> str:
    """The words the catalog string `key` starts with, up to its first placeholder: what the page shows first,
    whatever the numbers it fills in."""
    return text(key, lang).partition("{")[0].strip()

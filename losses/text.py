"""Every human-language string of LossLab, reached through one function: text(key, lang, **args).

The words live in content/<lang>/, never in Python:
- content/<lang>/ui/*.toml: the interface, `key = "words with {placeholders}"`;
- content/<lang>/messages/<name>.toml: the domain's messages (refusals, derivation steps), under the key
  "<name>.…" (TOML tables nest: `[weight]` then `negative = "…"` in errors.toml is "errors.weight.negative");
- content/<lang>/<slug>.md: the loss's explanation, and in its TOML front matter (between two `+++` lines)
  the loss's own short strings (parameter help, example titles, curve labels) under the key "<slug>.…".

A key missing from a language falls back to English, so a new language can be added one file at a time.
Code holds keys and arguments (Msg), and turns them into words only when it shows them: the same cached
computation serves every language. Adding a language = one folder content/<code>/ plus one entry in
LANGUAGES. Placeholders are filled with str.format when arguments are given: write {{ }} for a brace.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CONTENT = Path(__file__).resolve().parent.parent / "content"
# The shipped languages. A third one: a folder content/<code>/ (its name for itself is its key
# "language_name") plus its code here.
LANGUAGES = ("en", "zh")
FALLBACK = "en"
_FRONT_MATTER = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n?", re.DOTALL)


def _flatten(table: dict, prefix: str, out: dict, where: str) -> None:
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, full + ".", out, where)
        elif full in out:
            raise KeyError(f"duplicate text key {full!r} in {where}")
        else:
            out[full] = value


def split_front_matter(text: str) -> tuple[dict, str]:
    """(the TOML front matter as a dict, the Markdown after it) of a content file."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    return tomllib.loads(m.group(1)), text[m.end():]


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """Every string of one language, by key (empty for a language without a folder)."""
    root = CONTENT / lang
    out: dict[str, str] = {}
    for path in sorted((root / "ui").glob("*.toml")):
        with open(path, "rb") as fh:
            _flatten(tomllib.load(fh), "", out, str(path))
    for path in sorted((root / "messages").glob("*.toml")):  # the file's name is its keys' namespace
        with open(path, "rb") as fh:
            _flatten(tomllib.load(fh), path.stem + ".", out, str(path))
    for path in sorted(root.glob("*.md")):
        front, _ = split_front_matter(path.read_text(encoding="utf-8"))
        _flatten(front, path.stem + ".", out, str(path))
    return out


def language_name(code: str) -> str:
    """What the language switch shows for a language: its own name for itself (content/<code>/ui/core.toml)."""
    return text("language_name", code)


def has_text(key: str) -> bool:
    return key in catalog(FALLBACK)


def text(key: str, lang: str, /, **args) -> str:
    """The words for `key` in `lang` (English when that language lacks them), placeholders filled."""
    words = catalog(lang).get(key)
    if words is None:
        words = catalog(FALLBACK)[key]  # a key English lacks is a bug: KeyError names it
    return words.format(**args) if args else words


@dataclass(frozen=True)
class Msg:
    """A message as the domain hands it to the interface: a key and its arguments (numbers, names, already
    formatted arrays), turned into words by .text(lang). Hashable, so cached results can hold it."""
    key: str
    args: tuple = ()

    def text(self, lang: str) -> str:
        # An argument may itself be a message (e.g. a divisor's words): it is said in the same language.
        return text(self.key, lang, **{k: v.text(lang) if hasattr(v, "text") else v for k, v in self.args})

    def __str__(self) -> str:
        return self.text(FALLBACK)


def M(key: str, /, **args) -> Msg:  # noqa: N802 (short on purpose: specs use it on every string)
    """Msg(key, args) with the arguments as keywords: M("errors.not_numbers", name="weight")."""
    return Msg(key, tuple(sorted(args.items())))

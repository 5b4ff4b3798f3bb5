"""InputError: the one exception the UI shows to users, in both languages."""
import functools
import tomllib
from pathlib import Path


class InputError(ValueError):
    """Invalid user input. Carries an English and a Chinese message that say what to fix."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en = en
        self.zh = zh

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @classmethod
    def from_torch(cls, exc: Exception) -> "InputError":
        # torch's own messages are English only; keep them, but say in both languages what happened.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        first = first[:300]
        return cls(f"PyTorch rejected these inputs: {first}", f"PyTorch 拒绝了这些输入：{first}")

    @classmethod
    def keyed(cls, key: str, **args) -> "InputError":
        """A message from content/ui/diagnose.toml by key, {placeholders} filled from args."""
        entry = messages()[key]
        return cls(entry["en"].format(**args), entry["zh"].format(**args))


@functools.lru_cache(maxsize=1)
def messages() -> dict:
    """content/ui/diagnose.toml: the domain's own keyed messages (refusals, derivation steps)."""
    with open(Path(__file__).resolve().parent.parent / "content" / "ui" / "diagnose.toml", "rb") as fh:
        return tomllib.load(fh)

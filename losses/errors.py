"""InputError: the one exception the UI shows to users, as a message key and its arguments (losses/text.py)."""
from .text import FALLBACK, M, Msg


class InputError(ValueError):
    """Invalid user input, with a message that says what to fix: InputError("errors.key", name=..., ...)."""

    def __init__(self, key: str | Msg, /, **args):
        self.msg = key if isinstance(key, Msg) else M(key, **args)
        super().__init__(self.msg.text(FALLBACK))

    def message(self, lang: str) -> str:
        return self.msg.text(lang)

    # The two shipped languages by name (tests and logs read them).
    en = property(lambda self: self.message("en"))
    zh = property(lambda self: self.message("zh"))

    @classmethod
    def from_torch(cls, exc: Exception) -> "InputError":
        # torch's own messages are English only; keep them, but say in the reader's language what happened.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return cls("errors.torch_rejected", first=first[:300])

    @classmethod
    def keyed(cls, key: str, **args) -> "InputError":
        return cls(key, **args)

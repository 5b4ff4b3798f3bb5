"""Every loss declares inputs the page must refuse (LossSpec.refusals: torch raises, or leaves the result
undefined) and the message each gets. One generic check for all of them, as torch's common_modules checks
each module's declared error inputs: torch's evaluation, the NumPy derivation and the diagnosis all refuse
with that message, which the catalog has in every shipped language."""
import re

import pytest

from losses import REGISTRY, InputError
from losses.text import LANGUAGES, catalog

CASES = [(slug, i, r) for slug, spec in REGISTRY.items() for i, r in enumerate(spec.refusals)]


def test_every_loss_declares_a_refusal():
    assert not [slug for slug, spec in REGISTRY.items() if not spec.refusals]


@pytest.mark.parametrize("slug, i, refusal", CASES, ids=[f"{s}-{i}" for s, i, _ in CASES])
def test_declared_bad_input_is_refused_with_its_message(slug, i, refusal):
    spec = REGISTRY[slug]
    for run in (spec.evaluate, spec.reference, spec.diagnose):
        with pytest.raises(InputError) as info:
            run(refusal.inputs, refusal.params)
        err = info.value
        assert err.msg.key == refusal.key, (run.__name__, err.msg.key)
        assert not err.en.startswith("PyTorch rejected"), "the page explains it before torch does"
    for lang in LANGUAGES:
        assert refusal.key in catalog(lang), (refusal.key, lang)
        assert err.message(lang).strip() and "{" not in re.sub(r"`[^`]*`", "", err.message(lang))
    assert err.message("zh") != err.message("en")

"""Property-based fuzzing: whatever a user types or sends, the parser and every registered loss answer
with a value or an InputError — never another exception, never a hang."""
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples  # the tier's Hypothesis example count (full in make test)

from losses import REGISTRY, InputError
from losses.parse import MAX_ABS, parse_tensor_text

FUZZ = settings(max_examples=examples(450), deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32),
                    st.floats(-5, 5), st.integers(-3, 12).map(float), st.sampled_from([0.0, 1.0, -1.0, 0.5]))


def nested(depth: int):
    if depth == 0:
        return numbers
    return st.lists(nested(depth - 1), min_size=0, max_size=4)


any_value = st.one_of(numbers, nested(1), nested(2), nested(3),
                      st.text(max_size=40), st.sampled_from(["[[1, 2], [3]]", "abc", "1e999", "[]", "nan",
                                                             "<script>alert(1)</script>", "[" * 50]))


@FUZZ
@given(st.text(max_size=200))
def test_parser_never_raises_anything_but_input_error(text):
    try:
        value = parse_tensor_text(text)
    except InputError as err:
        assert err.en and err.zh
        return
    flat = np.asarray(value, dtype=float).ravel()
    assert np.all(np.isfinite(flat)) and np.all(np.abs(flat) <= MAX_ABS)


@FUZZ
@given(nested(3))
def test_parser_round_trips_what_it_accepts(value):
    text = repr(value).replace("nan", "NaN")
    try:
        parsed = parse_tensor_text(text)
    except InputError:
        return
    np.testing.assert_array_equal(np.asarray(parsed, dtype=float), np.asarray(value, dtype=float))


def _mutate(spec, data):
    """Start from valid inputs and break some of them: wrong shapes, values, types, text."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    inputs = {k: np.asarray(v).tolist() for k, v in spec.sample(rng).items()}
    for name in spec.arg_names:
        choice = data.draw(st.integers(0, 5))
        if choice == 1:
            inputs[name] = data.draw(any_value)
        elif choice == 2:
            arr = np.asarray(inputs[name], dtype=float)
            arr = arr * data.draw(st.sampled_from([-1.0, 0.0, 3.0, 1e3, 1e5]))
            inputs[name] = arr.tolist()
        elif choice == 3:
            arr = np.asarray(inputs[name], dtype=float)
            inputs[name] = arr.reshape(-1).tolist() if arr.ndim > 1 else arr.reshape(1, -1).tolist()
    params = {}
    for p in spec.params:
        if not data.draw(st.booleans()):
            continue
        if p.kind in ("float", "int"):
            params[p.name] = data.draw(st.one_of(st.floats(p.lo, p.hi), st.floats(allow_nan=True, width=32),
                                                 st.integers(-5, 5)))
        elif p.kind == "choice":
            params[p.name] = data.draw(st.one_of(st.sampled_from(p.choices), st.text(max_size=5)))
        elif p.kind == "bool":
            params[p.name] = data.draw(st.booleans())
        elif p.kind == "tensor":
            params[p.name] = data.draw(st.one_of(st.none(), any_value))
    return inputs, params


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_evaluate_answers_with_a_value_or_an_input_error(slug):
    spec = REGISTRY[slug]

    @FUZZ
    @given(st.data())
    def run(data):
        inputs, params = _mutate(spec, data)
        try:
            value = spec.evaluate(inputs, params)
            ref, steps = spec.reference(inputs, params)
        except InputError as err:
            assert err.en and err.zh
            return
        assert isinstance(value, torch.Tensor)
        if not spec.nonfinite:
            assert torch.isfinite(value).all(), f"{slug}: non-finite result for {inputs} {params}"
        if torch.isfinite(value).all():
            # torch computes in float32: differences of large numbers lose ~1e-7 of their magnitude.
            scale = max([float(np.max(np.abs(a))) for a in spec.to_arrays(inputs).values()] + [1.0])
            np.testing.assert_allclose(np.asarray(ref, dtype=float), value.double().numpy(), rtol=1e-4,
                                       atol=1e-4 + 1e-6 * scale)

    run()


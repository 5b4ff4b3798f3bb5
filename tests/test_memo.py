"""ui/memo.py: one result per argument values, shared; '_' arguments outside the key; no exception kept."""
import numpy as np
import pytest

from ui.memo import freeze, shared


def test_each_distinct_argument_value_is_computed_once():
    calls = []

    @shared(maxsize=8)
    def square(x, items):
        calls.append((x, items))
        return {"x": x * x}

    first = square(3, {"a": [1, 2]})
    assert square(3, {"a": [1, 2]}) is first            # same values: the same shared object
    assert square(3, {"a": [1, 3]}) is not first        # a nested value differs: a new entry
    assert len(calls) == 2
    # 1, 1.0 and True are equal as dict keys; the cached result must not cross between them
    assert freeze(1) != freeze(1.0) != freeze(True)
    assert freeze(-0.0) != freeze(0.0)


def test_arrays_key_by_contents_and_underscored_arguments_are_not_keyed():
    calls = []

    @shared(maxsize=8)
    def total(name, _values):
        calls.append(name)
        return float(np.sum(_values))

    assert total("a", np.ones(3)) == 3.0
    assert total("a", np.zeros(3)) == 3.0   # `_values` is not in the key: the first result comes back
    assert calls == ["a"]
    assert freeze(np.arange(3)) == freeze(np.arange(3)) != freeze(np.arange(3.0))


def test_least_recently_used_entries_go_first_and_exceptions_are_not_kept():
    calls = []

    @shared(maxsize=2)
    def f(x):
        calls.append(x)
        if x < 0:
            raise ValueError(x)
        return x

    f(1), f(2), f(1), f(3)            # 2 is the least recently used when 3 arrives
    f(1), f(2)
    assert calls == [1, 2, 3, 2]
    for _ in range(2):
        with pytest.raises(ValueError):
            f(-1)
    assert calls[-2:] == [-1, -1]
    assert f.cache_info()["size"] == 2
    f.cache_clear()
    assert f.cache_info()["size"] == 0

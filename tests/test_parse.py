import pytest

from losses.errors import InputError
from losses.parse import MAX_DEPTH, format_tensor_text, parse_tensor_text


@pytest.mark.parametrize("text,expected", [
    ("1", 1.0), ("-2.5e-1", -0.25), ("[1, 2, 3]", [1.0, 2.0, 3.0]), ("[[1,2],[3,4]]", [[1, 2], [3, 4]]),
    ("(1, 2)", [1.0, 2.0]), ("  [ 1 ,\n 2 ] ", [1.0, 2.0]), ("[]", []), ("[1, 2,]", None),
])
def test_parses_numbers_and_lists(text, expected):
    if expected is None:
        with pytest.raises(InputError):
            parse_tensor_text(text)
    else:
        assert parse_tensor_text(text) == expected


@pytest.mark.parametrize("text,fragment", [
    ("[[1, 2], [3]]", "ragged"), ("abc", "cannot read"), ("1e999", "outside"), ("nan", "NaN"),
    ("[1 2]", "comma"), ("[1, 2", "not closed"), ("1]", "matching"), ("[1], [2]", "one list"),
    ("__import__('os')", "cannot read"), ("[" * (MAX_DEPTH + 1) + "1" + "]" * (MAX_DEPTH + 1), "nested"),
    ("x" * 30_000, "too long"),
])
def test_rejects_with_a_clear_message(text, fragment):
    with pytest.raises(InputError) as info:
        parse_tensor_text(text, "input")
    assert fragment in info.value.en
    assert info.value.zh and info.value.zh != info.value.en


def test_round_trip():
    value = [[0.5, -1.0, 2.0], [0.0, 3.0, -0.5]]
    assert parse_tensor_text(format_tensor_text(value)) == value
    assert parse_tensor_text(format_tensor_text([[[1, 2]], [[3, 4]]])) == [[[1, 2]], [[3, 4]]]


def test_markdown_in_user_text_is_quoted_not_rendered():
    with pytest.raises(InputError) as info:
        parse_tensor_text("**bold** `x`", "input")
    assert "`**bold** 'x'`" in info.value.en

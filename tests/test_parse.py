import pytest

from losses.errors import InputError
from losses.parse import MAX_DEPTH, format_tensor_text, parse_tensor_text
from ui.i18n import t


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


# ---- what a Chinese keyboard types (issue 13 §2) ------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("[2.0，1.0，0.1]", [2.0, 1.0, 0.1]),                 # full-width commas, the case the issue reports
    ("［２．０，　－１］", [2.0, -1.0]),                    # full-width brackets, digits, point, minus, ideographic space
    ("【1, 2】", [1.0, 2.0]),                              # what '[' and ']' give in a Chinese IME
    ("（1，2）", [1.0, 2.0]),
    ("[1、2、3]", [1.0, 2.0, 3.0]),                        # the enumeration comma
    ("[2。5, 1]", [2.5, 1.0]),                            # the IME's '.' key between two digits
    ("[\u22121.5, \ufe632]", [-1.5, -2.0]),               # U+2212 minus sign, small hyphen-minus
    ("[[1，2]，\n [3，4]]", [[1.0, 2.0], [3.0, 4.0]]),
    ("[1,\u00a02]", [1.0, 2.0]),                          # a no-break space pasted from a web page
    ("１ｅ－３", 0.001),
])
def test_accepts_full_width_and_ime_punctuation(text, expected):
    assert parse_tensor_text(text) == expected


@pytest.mark.parametrize("text,quoted", [
    ("[1²]", "`²]`"),          # NFKC would read 12: a superscript is not a digit here
    ("[①, 2]", "`①, 2]`"),
    ("[١]", "`١]`"),           # other scripts' digits stay refused (ASCII and full-width only)
    ("[1, 2]。", "`。`"),       # a full stop that is not between two digits is not a decimal point
    ("[1；2]", "`；2]`"),       # no row separator: rows are nested lists
    ("[1，2，x]", "`x]`"),
])
def test_refuses_the_rest_quoting_what_the_user_typed(text, quoted):
    with pytest.raises(InputError) as info:
        parse_tensor_text(text, "input")
    assert quoted in info.value.en and quoted in info.value.zh
    # the message names the full-width characters it accepts, in the reader's language
    assert "full-width" in info.value.en and info.value.zh == t("parse.unreadable", "zh", name="input", bad=quoted)


@pytest.mark.parametrize("wide, narrow", [("［1，2", "[1, 2"), ("［［1，2］，［3］］", "[[1, 2], [3]]"),
                                         ("［1 2］", "[1 2]"), ("［1，，2］", "[1,,2]")])
def test_full_width_mistakes_get_the_same_message_as_ascii_ones(wide, narrow):
    with pytest.raises(InputError) as a:
        parse_tensor_text(wide)
    with pytest.raises(InputError) as b:
        parse_tensor_text(narrow)
    assert a.value.en == b.value.en and a.value.zh == b.value.zh

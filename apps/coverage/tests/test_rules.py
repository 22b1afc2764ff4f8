from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from apps.coverage.rules import (
    CODE_CHARS,
    credit_code_problem,
    make_credit_code,
    normalize_credit_code,
    rate,
    should_build_alone,
)


def test_a_published_credit_code_is_valid():
    # 91110000600037341L: a code printed on a public business licence (checked by hand against GB 32100).
    assert credit_code_problem("91110000600037341L") is None
    assert credit_code_problem(normalize_credit_code(" 9111 0000 6000 37341l ")) is None


@given(st.integers(min_value=0, max_value=31**8 - 1), st.sampled_from(["enterprise", "social"]))
def test_generated_codes_are_valid(n, kind):
    assert credit_code_problem(make_credit_code(n, kind=kind)) is None


@given(st.integers(min_value=0, max_value=31**8 - 1), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_changed_is_detected(n, position, data):
    code = make_credit_code(n)
    replacement = data.draw(st.sampled_from([c for c in CODE_CHARS if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    assert credit_code_problem(changed) is not None


def test_problems_are_explained_in_words():
    assert "18位" in credit_code_problem("9133")
    assert "不允许的字符" in credit_code_problem("91330100MA2B3C4D5O")
    assert "校验位" in credit_code_problem(
        make_credit_code(7)[:17] + "0" if make_credit_code(7)[17] != "0" else make_credit_code(7)[:17] + "1"
    )


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_rates_are_fractions_to_four_places(part, total):
    value = rate(min(part, total), total)
    assert value == value.quantize(Decimal("0.0001"))
    assert Decimal(0) <= value <= Decimal(1)
    if total == 0:
        assert value == 0


def test_three_party_members_without_an_own_organization_should_build_alone():
    assert should_build_alone(3, "joint") and should_build_alone(5, "none")
    assert not should_build_alone(2, "none") and not should_build_alone(8, "own")

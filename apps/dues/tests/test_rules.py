from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.dues.rules import monthly_dues

money = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("200000"), places=2, allow_nan=False, allow_infinity=False
)


@pytest.mark.parametrize(
    ("base", "category", "expected"),
    [
        ("0", "employed", "0.00"),
        ("2999.99", "employed", "15.00"),
        ("3000", "employed", "15.00"),
        ("3000.01", "employed", "30.00"),
        ("4999.99", "employed", "50.00"),
        ("5000", "employed", "50.00"),
        ("5000.01", "employed", "75.00"),
        ("10000", "employed", "150.00"),
        ("10000.01", "employed", "200.00"),
        ("2999.90", "employed", "15.00"),  # 14.9995 rounds half up
        ("1001", "employed", "5.01"),  # 5.005 rounds half up
        ("5000", "retired", "25.00"),
        ("5000.01", "retired", "50.00"),
        ("8000", "student", "0.20"),
        ("0", "unemployed", "0.20"),
        ("0", "low_income", "0.20"),
        ("0", "farmer", "0.20"),
    ],
)
def test_brackets_of_the_2008_regulation(base, category, expected):
    assert monthly_dues(Decimal(base), category) == Decimal(expected)


@given(money)
def test_employed_rate_is_the_brackets_rate_on_the_whole_base(base):
    rate = (
        Decimal("0.005")
        if base <= 3000
        else Decimal("0.01")
        if base <= 5000
        else Decimal("0.015")
        if base <= 10000
        else Decimal("0.02")
    )
    expected = (base * rate).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert monthly_dues(base, "employed") == expected
    assert monthly_dues(base, "employed").as_tuple().exponent == -2


@given(money, money)
def test_more_income_never_means_less_dues(a, b):
    low, high = sorted((a, b))
    for category in ("employed", "retired"):
        assert monthly_dues(low, category) <= monthly_dues(high, category)


@given(money)
def test_retirees_pay_no_more_than_the_employed(base):
    assert monthly_dues(base, "retired") <= monthly_dues(base, "employed")


def test_farmer_amount_is_configurable_between_twenty_fen_and_one_yuan(settings):
    settings.XF_DUES_FARMER_AMOUNT = "0.50"
    assert monthly_dues(Decimal("0"), "farmer") == Decimal("0.50")
    settings.XF_DUES_FARMER_AMOUNT = "5"
    assert monthly_dues(Decimal("0"), "farmer") == Decimal("1.00")


def test_negative_base_and_unknown_category_are_refused():
    with pytest.raises(ValueError):
        monthly_dues(Decimal("-1"), "employed")
    with pytest.raises(ValueError):
        monthly_dues(Decimal("1"), "nobody")
